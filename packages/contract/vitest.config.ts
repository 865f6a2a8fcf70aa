import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
    // Compiling the contract's schemas takes a moment on a loaded 2-core machine.
    testTimeout: 30_000,
  },
});
