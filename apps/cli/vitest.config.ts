import { packageTestConfig } from '../../vitest.shared.js';

// Tests start servers and some start the real binary, several times each.
export default packageTestConfig(60_000, {
  // Most tests run the CLI in-process (test/in-process.ts), which captures process.stdout and
  // process.stderr: console output must reach them rather than vitest's console interception.
  disableConsoleIntercept: true,
  // The built CLI bundle (scripts/bundle.mjs) runs as Node loads it, as @oclif/core did before it
  // was bundled: vitest would otherwise transform it, and oclif's own import() of plugin commands
  // with it.
  server: { deps: { external: [/\/dist\/bundle\//] } },
});
