// Tests of the repository's own scripts, run by scripts/run-tests.mjs beside the packages' tests.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['*.test.mjs'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
    // Starts vitest as a subprocess: allow for a loaded 2-core machine.
    testTimeout: 60_000,
  },
});
