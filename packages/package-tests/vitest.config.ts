import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
    // attw packs each package; the packaging test installs tarballs (better-sqlite3 compiles
    // from source) into a fresh project: minutes on a loaded 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
});
