#!/usr/bin/env node
// Runs the contract suite. Without flags it starts the mock server in-process; with
// `--base-url URL --admin-key KEY` it drives that server instead. Other arguments go to vitest
// (e.g. `-t matrix`). The admin key reaches the suite through the environment, never argv of
// a child process or output.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const USAGE = `usage: pnpm contract [-- --base-url URL --admin-key KEY] [vitest args]
  --base-url URL    server root (without /v1); default: start the mock server in-process
  --admin-key KEY   X-Hangar-Admin-Key of that server (or HANGAR_CONTRACT_ADMIN_KEY); required with --base-url
The suite resets the server and seeds its own fixture through /_admin: never point it at data you keep.`;

const env = { ...process.env };
const passThrough = [];
const args = process.argv.slice(2).filter((arg) => arg !== '--');
for (let i = 0; i < args.length; i += 1) {
  const arg = args[i];
  const [flag, inline] = arg.split(/=(.*)/s, 2);
  const value = () => inline ?? args[++i];
  if (flag === '--base-url') env.HANGAR_CONTRACT_BASE_URL = value();
  else if (flag === '--admin-key') env.HANGAR_CONTRACT_ADMIN_KEY = value();
  else if (flag === '-h' || flag === '--help') {
    console.log(USAGE);
    process.exit(0);
  } else passThrough.push(arg);
}
if (env.HANGAR_CONTRACT_BASE_URL !== undefined && !env.HANGAR_CONTRACT_BASE_URL) {
  console.error(`--base-url needs a value\n${USAGE}`);
  process.exit(2);
}
if (env.HANGAR_CONTRACT_BASE_URL && !env.HANGAR_CONTRACT_ADMIN_KEY) {
  console.error(`--admin-key is required with --base-url\n${USAGE}`);
  process.exit(2);
}
console.error(
  env.HANGAR_CONTRACT_BASE_URL
    ? `contract suite against ${env.HANGAR_CONTRACT_BASE_URL}`
    : 'contract suite against the in-process mock server',
);

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(packageDir, 'package.json'));
const vitest = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const child = spawn(process.execPath, [vitest, 'run', ...passThrough], {
  cwd: packageDir,
  env,
  stdio: 'inherit',
});
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
