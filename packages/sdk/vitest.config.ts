import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
    // Type tests (*.test-d.ts, expectTypeOf) run through tsc: a wrong type fails the test.
    typecheck: {
      enabled: true,
      include: ['test/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
    // Some tests start an in-process mock server: allow for a loaded 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
