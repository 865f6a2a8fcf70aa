/** Absolute paths of the repository's binaries and scripts the cases start. */
import { fileURLToPath } from 'node:url';

const root = (relative: string) => fileURLToPath(new URL(`../../${relative}`, import.meta.url));

export const REPO_ROOT = root('');
export const CLI_BIN = root('apps/cli/bin/run.js');
/** The CLI's own start-up benchmark (issue 5); the `cli-start` case runs it rather than copy it. */
export const CLI_STARTUP_SCRIPT = root('apps/cli/bench/startup.mjs');
export const MOCK_BIN = root('apps/mock-server/bin/hangar-mock.js');
export const BARE_EXPRESS_SERVER = fileURLToPath(
  new URL('./servers/bare-express.mjs', import.meta.url),
);
export const PLAIN_HTTP_SERVER = fileURLToPath(
  new URL('./servers/plain-http.mjs', import.meta.url),
);
/** Floor baseline: bare Express + verify + SQLite reads, see the file's header. */
export const MINIMAL_AUTH_SERVER = fileURLToPath(
  new URL('./servers/minimal-auth.mjs', import.meta.url),
);
/** hangar-mock in-process: import, starts, resets, timed inside one process (see its header). */
export const IN_PROCESS_START = fileURLToPath(
  new URL('./servers/in-process-start.mjs', import.meta.url),
);
