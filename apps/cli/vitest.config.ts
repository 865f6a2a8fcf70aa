import { packageTestConfig } from '../../vitest.shared.js';

// Tests start servers and some start the real binary, several times each.
export default packageTestConfig(60_000, {
  // Most tests run the CLI in-process (test/in-process.ts), which captures process.stdout and
  // process.stderr: console output must reach them rather than vitest's console interception.
  disableConsoleIntercept: true,
});
