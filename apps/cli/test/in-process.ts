// Runs the CLI's real entry point (bin/run.js) inside the test process, as @oclif/test's
// runCommand does, instead of starting Node ~150 times: oclif and the commands are loaded once per
// test file, and each call costs milliseconds instead of a process start (seconds under load).
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';

/** What one call gives back (the same shape as a subprocess run). */
export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

type Write = typeof process.stdout.write;

let calls = 0;
let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `bin` with `args` in this process, with `env` as the whole environment and `input` as
 * standard input (then closed; never a terminal), stdout and stderr captured (never terminals
 * either), and `process.exit` turned into the exit code. Calls are queued, one at a time: they
 * swap process-wide state (env, argv, stdin, stdout/stderr writers, exitCode), which is safe
 * because vitest gives each test file its own process and runs a file's tests in sequence.
 * Needs `disableConsoleIntercept` (vitest config) so console output reaches the captured writers.
 * @param bin absolute path of bin/run.js
 * @returns the exit code (0 when none was set), stdout and stderr as UTF-8 text
 */
export function runInProcess(
  bin: string,
  args: string[],
  env: Record<string, string>,
  input: string,
): Promise<InProcessResult> {
  const result = queue.then(() => runOnce(bin, args, env, input));
  queue = result.catch(() => undefined);
  return result;
}

async function runOnce(
  bin: string,
  args: string[],
  env: Record<string, string>,
  input: string,
): Promise<InProcessResult> {
  const output = { stdout: '', stderr: '' };
  const restore = [
    swapEnv(env),
    swapProperty(process, 'argv', [process.execPath, bin, ...args]),
    swapProperty(process, 'stdin', Readable.from([Buffer.from(input)])),
    swapProperty(process.stdout, 'isTTY', false),
    swapProperty(process.stderr, 'isTTY', false),
    swapProperty(process.stdout, 'write', capture(output, 'stdout')),
    swapProperty(process.stderr, 'write', capture(output, 'stderr')),
    swapProperty(process, 'exit', exitThrows),
  ];
  const exitCodeBefore = process.exitCode;
  process.exitCode = undefined;
  try {
    // A new module instance per call (the query makes a new URL; ES modules are cached by URL),
    // so bin/run.js runs top to bottom again; its imports (oclif, the commands) stay loaded.
    calls += 1;
    await import(/* @vite-ignore */ `${pathToFileURL(bin).href}?call=${calls}`);
    const code = process.exitCode ?? 0;
    return { code: typeof code === 'number' ? code : Number(code), ...output };
  } finally {
    process.exitCode = exitCodeBefore;
    for (const undo of restore.reverse()) undo();
  }
}

/**
 * `process.exit(code)` as bin/run.js's error handler understands it: an oclif exit error
 * (`code: 'EEXIT'`, `oclif.exit`), which it turns into `process.exitCode` without a message.
 */
function exitThrows(code?: number | string | null): never {
  throw Object.assign(new Error(`process.exit(${code ?? ''})`), {
    code: 'EEXIT',
    oclif: { exit: Number(code ?? 0) },
  });
}

/** A stream `write` that appends to `output[name]` and reports success. */
function capture(output: { stdout: string; stderr: string }, name: 'stdout' | 'stderr'): Write {
  return ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    output[name] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    if (callback) process.nextTick(callback);
    return true;
  }) as Write;
}

/** Makes `env` the whole of process.env; returns the undo. */
function swapEnv(env: Record<string, string>): () => void {
  const saved = { ...process.env };
  const replace = (next: NodeJS.ProcessEnv) => {
    for (const key of Object.keys(process.env)) delete process.env[key];
    Object.assign(process.env, next);
  };
  replace(env);
  return () => replace(saved);
}

/** Sets `target[key]` (an own property or a getter) to `value`; returns the undo. */
function swapProperty<T extends object>(target: T, key: PropertyKey, value: unknown): () => void {
  const saved = Object.getOwnPropertyDescriptor(target, key);
  Object.defineProperty(target, key, { configurable: true, writable: true, value });
  return () => {
    if (saved) Object.defineProperty(target, key, saved);
    else delete (target as Record<PropertyKey, unknown>)[key];
  };
}
