import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
    // Most tests run the CLI in-process (test/in-process.ts), which captures process.stdout and
    // process.stderr: console output must reach them rather than vitest's console interception.
    disableConsoleIntercept: true,
    // Tests start servers and some start the real binary, several times each: allow for a
    // loaded 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
