import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
    // Property tests run hundreds of HMAC chains each: allow for a loaded 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
