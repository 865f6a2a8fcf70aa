import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
    // Each test runs the real binary several times (~0.3 s per start on a busy 2-core machine).
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
