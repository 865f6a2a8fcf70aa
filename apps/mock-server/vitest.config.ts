import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
    // Tests start servers on data directories (scrypt, SQLite); on a loaded 2-core machine a
    // restart test takes 5-8 s, past vitest's 5 s default.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
