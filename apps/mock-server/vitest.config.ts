import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
    // Tests start servers and processes: on a loaded 2-core machine one can take well over 5 s.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
