/**
 * Prism (`@stoplight/prism-cli`, the mock users would otherwise pick) mocking the contract,
 * `openapi/hangar.yaml`, started as users start it: `prism mock -h 127.0.0.1 -p PORT
 * openapi/hangar.yaml` (its default verbosity: a few lines on stdout per request, read and
 * dropped by this process; with `-v warn` it would not print the line saying it listens).
 */
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './paths.js';
import { type ServerProcess, startServerProcess } from './proc.js';

const require = createRequire(import.meta.url);

/** Prism's CLI script (its package's `bin`), resolved from this package's dependencies. */
export const PRISM_BIN = join(
  dirname(require.resolve('@stoplight/prism-cli/package.json')),
  'dist/index.js',
);

/** A TCP port free on 127.0.0.1 right now (Prism takes no `-p 0`). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Node arguments that start Prism on a free port (its URL is announced on stdout). */
export async function prismArgs(): Promise<string[]> {
  const port = await freePort();
  const contract = join(REPO_ROOT, 'openapi/hangar.yaml');
  return [PRISM_BIN, 'mock', '-h', '127.0.0.1', '-p', String(port), contract];
}

/** Starts Prism; resolves once it says it is listening. */
export async function startPrism(): Promise<ServerProcess> {
  return startServerProcess(await prismArgs(), { announce: /listening/i, timeoutMs: 60_000 });
}
