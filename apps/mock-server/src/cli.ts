import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { connectionLimits, MAX_TIMEOUT_MS } from './connection-limits.js';
import { normalizeCorsOrigin } from './cors-origins.js';
import { normalizeAllowedHost } from './host-check.js';
import { parseDurationSeconds, rateLimitFlags } from './limit-flags.js';
import { createLogger, type LogLevel } from './logger.js';
import { PACKAGE } from './package-info.js';
import { ProblemError } from './problems.js';
import { parseSeed, type SeedFixture, SeedRejectedError } from './seed.js';
import { type MockServer, startMockServer } from './server.js';
import { parseYaml, YamlAliasError, yamlLibrary } from './yaml-text.js';

const HELP = `hangar-mock: a local emulator of the Hangar API that enforces every token rule

Usage: hangar-mock [options]

Options:
  --data-dir DIR     where state lives (SQLite, master key, admin key); default ./.hangar
  --memory           keep everything in memory; nothing is written to disk
  --host HOST        interface to bind; default 127.0.0.1
  --port PORT        port to listen on; default 4280 (0 picks a free port)
  --seed FILE        YAML (or JSON) fixture of users, orgs, members and apps to load
  --cors-origin ORIGIN
                     also let web pages on ORIGIN call the server (repeatable; * for any);
                     pages on localhost, 127.0.0.1 and [::1] (any port) always may
  --allowed-host HOST
                     also answer requests whose Host is HOST (repeatable), e.g. a container
                     name; any Host but localhost, 127.0.0.0/8, [::1] and --host gets 421
                     (protection from DNS rebinding)
  --headers-timeout MS
                     milliseconds to receive a request's headers; default 10000 (0: no limit;
                     at most 86400000, 24 hours, as for the next two)
  --request-timeout MS
                     milliseconds to receive a whole request; default 30000 (0: no limit)
  --keep-alive-timeout MS
                     close a keep-alive connection idle for MS milliseconds; default 5000
  --max-connections N
                     open connections at most (a further one is closed); default 512
  --latency DURATION
                     delay every /v1 answer by DURATION (50ms, 1.5s, or milliseconds), 0 to
                     600s; default 0;
                     per-operation delays and failures: POST /_admin/faults
  --rate-limit N/DURATION
                     requests per token in a window, e.g. 600/1m (default 1000/1m); a client
                     address gets 5 times as many; over it: 429 with Retry-After
  --login-rate-limit N/DURATION
                     failed logins per email in a window (default 10/15m; 5 times as many per
                     address); once reached, logins for that email are refused until it passes
  --no-rate-limit    no rate limits at all (load tests, benchmarks)
  --idempotency-retention DURATION
                     how long an Idempotency-Key answer is replayed; default 24h
  --event-retention N
                     audit events kept per organization (newest first); default 1000
  --json             print one JSON line {"url","email","password","token","admin_key"} on stdout
  --log-level LEVEL  fatal, error, warn, info (default), debug, trace or silent; logs go to stderr
  -h, --help         show this help
  --version          print the version

Environment:
  HANGAR_MOCK_SECRET     master key (64 hex characters, or any string of 16+ characters)
  HANGAR_MOCK_ADMIN_KEY  admin key for the /_admin test controls

Examples:
  hangar-mock
  hangar-mock --memory --port 0 --json
  hangar-mock --data-dir /tmp/hangar --seed fixtures.yaml
  hangar-mock --cors-origin https://app.example.com
  hangar-mock --memory --latency 50ms                     # a slow network, for timeouts
  hangar-mock --host 0.0.0.0 --allowed-host hangar-mock   # in a container named hangar-mock
`;

const LOG_LEVELS: readonly LogLevel[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];

class UsageError extends Error {}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new UsageError(`--port must be a number from 0 to 65535, got "${value}"`);
  }
  return port;
}

/** A whole number of at least `min` for `flag`, e.g. `--max-connections 64`. */
function parseCount(flag: string, value: string | undefined, min = 0): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) < min) {
    throw new UsageError(`${flag} must be a whole number of at least ${min}, got "${value}"`);
  }
  return Number(value);
}

/** A timeout flag in ms: a whole number from 0 to {@link MAX_TIMEOUT_MS}. */
function parseTimeout(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > MAX_TIMEOUT_MS) {
    throw new UsageError(
      `${flag} must be a whole number from 0 to ${MAX_TIMEOUT_MS} (24 hours), got "${value}"`,
    );
  }
  return Number(value);
}

/** The longest `--latency`: ten minutes, as a fault rule's `latency_ms`. */
const MAX_LATENCY_MS = 600_000;

/** `--latency`: `50ms`, `1.5s` or whole milliseconds (`50`), at most ten minutes, in ms. */
export function parseLatency(value: string): number {
  if (/^-\d/.test(value.trim())) throw new UsageError(negativeLatency(value));
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(value.trim());
  const ms = match ? Number(match[1]) * (match[2] === 's' ? 1000 : 1) : Number.NaN;
  if (!match || !(ms <= MAX_LATENCY_MS)) {
    throw new UsageError(
      `--latency must be a duration such as 50ms or 1.5s (at most 600s), got "${value}"`,
    );
  }
  return Math.round(ms);
}

function printBanner(server: MockServer, where: string): void {
  const { url, devUser, devToken, adminKey } = server;
  process.stdout.write(
    [
      `hangar-mock is running at ${url} (${where})`,
      '',
      `  email:      ${devUser.email}`,
      `  password:   ${devUser.password}`,
      `  token:      ${devToken}`,
      `  admin key:  ${adminKey}`,
      '',
      'Log the CLI in:',
      `  hangar auth login --api-url ${url}`,
      'or use the token directly:',
      `  export HANGAR_API_URL=${url} HANGAR_API_TOKEN=${devToken}`,
      '',
      'Stop with Ctrl-C.',
      '',
    ].join('\n'),
  );
}

/** What to type instead, for flags people guess from the ones that exist (else empty). */
/** The message for a negative `--latency` (parseArgs takes `-1s` after a space for a flag). */
function negativeLatency(value: string): string {
  return `--latency must be 0 or more, e.g. 50ms, got "${value}"`;
}

/**
 * parseArgs' message for `error`, unless it refused `--latency -1s` (a value starting with a
 * dash is ambiguous to it, Node's ERR_PARSE_ARGS_INVALID_OPTION_VALUE): then what to type.
 */
function parseErrorMessage(error: Error, argv: string[]): string {
  const at = argv.indexOf('--latency');
  const value = at >= 0 ? argv[at + 1] : undefined;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && value !== undefined && /^-\d/.test(value)) {
    return negativeLatency(value);
  }
  return error.message;
}

function usageHint(argv: string[]): string {
  if (argv.some((arg) => /^--(no-)?response-cache(=|$)/.test(arg))) {
    return 'hangar-mock has no response cache any more: every read is computed; drop the flag.\n';
  }
  return '';
}

/** Runs the `hangar-mock` command with `argv` (without node and script). Exit codes: 0, 1, 2 usage. */
export async function main(argv: string[]): Promise<void> {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    process.stderr.write(
      `hangar-mock: ${parseErrorMessage(error as Error, argv)}\n${usageHint(argv)}Run hangar-mock --help for usage.\n`,
    );
    process.exitCode = 2;
    return;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (values.version) {
    // The same line as `hangar --version` (oclif's user agent), read from the installed package.
    process.stdout.write(
      `${PACKAGE.name}/${PACKAGE.version} ${process.platform}-${process.arch} node-${process.version}\n`,
    );
    return;
  }
  let server: MockServer;
  let logger: Logger;
  try {
    const logLevel = (values['log-level'] ?? 'info') as LogLevel;
    if (!LOG_LEVELS.includes(logLevel)) {
      throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
    }
    logger = createLogger(logLevel);
    if (values.memory && values['data-dir']) {
      throw new UsageError('--memory and --data-dir cannot be used together');
    }
    const corsOrigins = (values['cors-origin'] ?? []).map((origin) => {
      try {
        return normalizeCorsOrigin(origin);
      } catch (error) {
        throw new UsageError(`--cors-origin: ${(error as Error).message}`);
      }
    });
    const allowedHosts = (values['allowed-host'] ?? []).map((host) => {
      try {
        return normalizeAllowedHost(host);
      } catch (error) {
        throw new UsageError(`--allowed-host: ${(error as Error).message}`);
      }
    });
    const limits = {
      headersTimeoutMs: parseTimeout('--headers-timeout', values['headers-timeout']),
      requestTimeoutMs: parseTimeout('--request-timeout', values['request-timeout']),
      keepAliveTimeoutMs: parseTimeout('--keep-alive-timeout', values['keep-alive-timeout']),
      maxConnections: parseCount('--max-connections', values['max-connections'], 1),
    };
    try {
      connectionLimits(limits);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    let rateLimits: ReturnType<typeof rateLimitFlags>;
    let retention: number | undefined;
    try {
      rateLimits = rateLimitFlags(values);
      const text = values['idempotency-retention'];
      retention =
        text === undefined ? undefined : parseDurationSeconds('--idempotency-retention', text);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const eventRetention = parseCount('--event-retention', values['event-retention'], 1);
    const seed = values.seed === undefined ? undefined : readSeedFile(values.seed);
    const port = values.port === undefined ? 4280 : parsePort(values.port);
    const host = values.host ?? '127.0.0.1';
    const latencyMs = values.latency === undefined ? 0 : parseLatency(values.latency);
    server = await startMockServer({
      latencyMs,
      port,
      host,
      ...(values.memory ? { memory: true } : { dataDir: values['data-dir'] ?? './.hangar' }),
      ...(seed === undefined ? {} : { seed }),
      corsOrigins,
      allowedHosts,
      ...(eventRetention === undefined ? {} : { eventRetention }),
      ...limits,
      rateLimits,
      ...(retention === undefined ? {} : { idempotencyRetentionSeconds: retention }),
      logger,
    }).catch((error: NodeJS.ErrnoException) => {
      if (error instanceof SeedRejectedError) {
        throw new UsageError(`--seed ${values.seed}: ${error.message}`);
      }
      throw listenError(error, host, port);
    });
  } catch (error) {
    const usage = error instanceof UsageError;
    process.stderr.write(`hangar-mock: ${(error as Error).message}\n`);
    process.exitCode = usage ? 2 : 1;
    return;
  }

  // Stderr is written asynchronously (logger.ts), and pino's flush does not wait for a write in
  // flight: let the event loop run dry (the last writes complete, pino writes what is queued on
  // exit), and force the exit after a second should anything else keep the process alive.
  const exit = (code: number) => {
    process.exitCode = code;
    setTimeout(() => process.exit(code), 1000).unref();
  };
  // Through the logger, not a bare write: stderr carries one JSON log line per event.
  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal }, `${signal}: finishing in-flight requests`);
    server.close().then(
      () => exit(0),
      (error: Error) => {
        logger.error({ err: error }, 'could not stop cleanly');
        exit(1);
      },
    );
  };
  // Before the ready line: whoever reads it may signal right away.
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  if (values.json) {
    const { url, devUser, devToken, adminKey } = server;
    const line = {
      url,
      email: devUser.email,
      password: devUser.password,
      token: devToken,
      admin_key: adminKey,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  } else {
    printBanner(
      server,
      values.memory ? 'in memory' : `data in ${values['data-dir'] ?? './.hangar'}`,
    );
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      'data-dir': { type: 'string' },
      memory: { type: 'boolean' },
      host: { type: 'string' },
      port: { type: 'string' },
      seed: { type: 'string' },
      'cors-origin': { type: 'string', multiple: true },
      'allowed-host': { type: 'string', multiple: true },
      'headers-timeout': { type: 'string' },
      'request-timeout': { type: 'string' },
      'keep-alive-timeout': { type: 'string' },
      'max-connections': { type: 'string' },
      latency: { type: 'string' },
      'rate-limit': { type: 'string' },
      'login-rate-limit': { type: 'string' },
      'no-rate-limit': { type: 'boolean' },
      'idempotency-retention': { type: 'string' },
      'event-retention': { type: 'string' },
      json: { type: 'boolean' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
    },
  });
}

/**
 * The `--seed` fixture file, parsed (YAML, or JSON, which YAML reads too) and checked.
 * @throws UsageError naming the file: when it cannot be read (missing, a directory, no access),
 *   with the line and column of a YAML syntax error, or with every field that breaks a rule.
 */
function readSeedFile(path: string): SeedFixture {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`--seed ${path}: cannot read the fixture file (${code})`);
  }
  try {
    return parseSeed(parseYaml(text));
  } catch (error) {
    if (error instanceof yamlLibrary().YAMLParseError) {
      const at = error.linePos?.[0];
      const where = at ? `line ${at.line}, column ${at.col}: ` : '';
      // The library's message repeats the position and quotes the source: keep its first clause.
      const reason = error.message.split(' at line ')[0];
      throw new UsageError(`--seed ${path}: ${where}not valid YAML (${reason})`);
    }
    if (error instanceof YamlAliasError) {
      throw new UsageError(`--seed ${path}: not valid YAML (${error.message})`);
    }
    if (error instanceof ProblemError) throw new UsageError(`--seed ${path}: ${error.message}`);
    throw error;
  }
}

/**
 * The one-line reason a server could not listen on `host`:`port`, saying what to type instead
 * (`error.code` is Node's errno name from `net.Server.listen` or its DNS lookup); other errors
 * pass through unchanged.
 */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  switch (error.code) {
    case 'EADDRINUSE':
      return new Error(
        `port ${port} on ${host} is already in use (another hangar-mock?): stop that program, ` +
          'or pick another port with --port PORT (--port 0 takes any free one)',
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new UsageError(
        `--host ${host} is not an address or a name that resolves (${error.code}): ` +
          'use an address of this machine, e.g. --host 127.0.0.1 or --host 0.0.0.0',
      );
    case 'EADDRNOTAVAIL':
      return new UsageError(
        `--host ${host} is not an address of this machine (EADDRNOTAVAIL): ` +
          'use one of its addresses, e.g. --host 127.0.0.1 or --host 0.0.0.0',
      );
    case 'EACCES':
      return new Error(
        `not allowed to listen on port ${port} (EACCES; ports below 1024 need privileges): ` +
          'pick another with --port PORT',
      );
    default:
      return error;
  }
}
