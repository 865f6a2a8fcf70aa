import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
    // Matrix rows and the pagination setup make hundreds of requests each.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
