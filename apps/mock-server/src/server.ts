import { chmodSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { loadContract } from '@hangar/contract';
import type { Logger } from 'pino';
import { createApp } from './app.js';
import { type CacheStats, Caches } from './caches.js';
import { answerClientErrors } from './client-errors.js';
import { ServerClock } from './clock.js';
import { clockSettings } from './clock-settings.js';
import {
  applyConnectionLimits,
  type ConnectionLimits,
  connectionLimits,
  serverTimeouts,
} from './connection-limits.js';
import { normalizeCorsOrigin } from './cors-origins.js';
import { lockDataDir } from './data-dir-lock.js';
import { tightenDataDir } from './data-dir-mode.js';
import { Db } from './db/database.js';
import type { TokensTable } from './db/schema.js';
import { emailIs } from './emails.js';
import { FaultRules } from './faults.js';
import { normalizeAllowedHost } from './host-check.js';
import { Journal } from './journal.js';
import { createLogger, type LogLevel } from './logger.js';
import { IssuerKeys } from './oidc.js';
import { OidcProvider } from './oidc-provider.js';
import { rowLimit } from './pagination.js';
import { ProblemError } from './problems.js';
import { DEFAULT_RATE_LIMITS, type RateLimitSettings, RateLimits } from './rate-limits.js';
import { redactValueOf } from './redact.js';
import { ensureDataDir, loadAdminKey, loadMasterKey, masterKeyFromSecret } from './secrets.js';
import {
  applySeed,
  DEFAULT_SEED,
  DEV_EMAIL,
  DEV_PASSWORD,
  parseSeed,
  type SeedFixture,
  SeedRejectedError,
} from './seed.js';
import type { Services } from './services.js';
import { startupToken } from './startup-token.js';
import { parseYaml } from './yaml-text.js';

export interface MockServerOptions extends ConnectionLimits {
  /** TCP port; 0 (the default in-process) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Keep everything in memory (the default unless `dataDir` is given). */
  memory?: boolean;
  /** Directory for the SQLite file, master key and admin key (created with mode 0700). */
  dataDir?: string;
  /** A seed fixture (object, or YAML/JSON text) applied after the default seed, every start. */
  seed?: SeedFixture | string;
  /** Master key (32 bytes, or a string as for HANGAR_MOCK_SECRET); else env, else the data dir. */
  masterKey?: Uint8Array | string;
  /**
   * Admin key for `/_admin/*`; else HANGAR_MOCK_ADMIN_KEY, else the data dir's or a random one.
   * Blank (empty or only whitespace) counts as unset.
   */
  adminKey?: string;
  /** pino level; default `silent` in-process. */
  logLevel?: LogLevel;
  /** Where logs go; default stderr. */
  logDestination?: NodeJS.WritableStream;
  /** A pino logger to write to instead (`logLevel` and `logDestination` are then ignored). */
  logger?: Logger;
  /** Validate every response against the contract; default on when NODE_ENV is `test`. */
  validateResponses?: boolean;
  /**
   * Browser origins allowed by CORS besides loopback ones (`http://localhost:*`,
   * `http://127.0.0.1:*`, `http://[::1]:*`, any port), e.g. `['https://app.example.com']`;
   * `['*']` allows every origin.
   */
  corsOrigins?: readonly string[];
  /**
   * Host names (or IP addresses) the server answers for besides loopback ones (`localhost`,
   * `127.0.0.0/8`, `[::1]`) and `host`, e.g. `['mock.internal']`; any other `Host` header gets
   * 421 (DNS rebinding, see host-check.ts).
   */
  allowedHosts?: readonly string[];
  /**
   * Milliseconds every `/v1` operation waits before it runs (a slow network or server); default
   * 0. Per-operation delays are fault rules (`POST /_admin/faults` with `latency_ms`).
   */
  latencyMs?: number;
  /**
   * Rate limits (rate-limits.ts): policies replacing the defaults, or `false` for none (load
   * tests). `/_admin/rate-limits` changes them while running.
   */
  rateLimits?: Partial<RateLimitSettings> | false;
  /** How long `Idempotency-Key` answers are replayed, in seconds of the server clock; default 24 h. */
  idempotencyRetentionSeconds?: number;
  /**
   * Audit events kept per organization, newest first (at least 1); default 1000
   * (`DEFAULT_EVENT_RETENTION` in events.ts). Older events are dropped as new ones are recorded.
   */
  eventRetention?: number;
}

export interface MockServer {
  /** Base URL, e.g. `http://127.0.0.1:4280` (with the real port when 0 was asked for). */
  url: string;
  adminKey: string;
  /**
   * The dev user's start-up personal token (30 years; survives `/_admin/reset`, except that a
   * revoked one stays revoked). The same string on every start with the same data directory
   * until it is revoked or expires.
   */
  devToken: string;
  devUser: { email: string; password: string };
  /**
   * The counters of this server's cache (caches.ts) since it started: how many token checks
   * were answered from the verified-token cache (`hits`), how many ran in full (`misses`), and
   * the entries held. For tests and diagnostics; not part of the HTTP API.
   */
  cacheStats(): { verifiedTokens: CacheStats };
  /** Stops accepting connections, finishes in-flight requests, then closes the database. */
  close(): Promise<void>;
}

/** The SQLite file in a data directory. */
const DB_FILE = 'hangar.db';

function seedFromOption(seed: SeedFixture | string | undefined): SeedFixture | undefined {
  if (seed === undefined) return undefined;
  // YAML is a superset of JSON, so one parser reads both fixture formats.
  return parseSeed(typeof seed === 'string' ? parseYaml(seed) : seed);
}

function masterKeyFrom(
  option: Uint8Array | string | undefined,
  dataDir: string | undefined,
  hasTokens: () => boolean,
): Uint8Array {
  if (option instanceof Uint8Array) {
    if (option.length !== 32) throw new Error('masterKey must be 32 bytes');
    return option;
  }
  const secret = option ?? process.env.HANGAR_MOCK_SECRET;
  if (secret) return masterKeyFromSecret(secret);
  return loadMasterKey(dataDir, hasTokens);
}

/**
 * Starts a mock server. First start on a data directory seeds the default fixture (dev user,
 * `dev-personal`, `acme` with `acme-web` and `acme-api`) in the same transaction as the schema,
 * so a start killed half-way leaves nothing a later start trips on; a restart keeps the data.
 * A data directory serves one server at a time (see data-dir-lock.ts). `devToken` is the dev
 * user's start-up personal token: the same one on every start with the same data directory
 * while it is active, a new one once it is revoked or expired.
 * @throws Error when the port is taken, the data directory is unusable or in use by another
 *   process (DataDirInUseError), its master key is missing while it holds tokens
 *   (MissingMasterKeyError), the seed is invalid (ProblemError) or names what the data cannot hold
 *   (SeedRejectedError), its `oidc-keys.json` is damaged, or an `allowedHosts` entry or a connection
 *   limit is invalid (see connection-limits.ts).
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  // Checked before anything is opened: a bad origin or seed must not leave a database open.
  const corsOrigins = (options.corsOrigins ?? []).map(normalizeCorsOrigin);
  const allowedHosts = (options.allowedHosts ?? []).map(normalizeAllowedHost);
  const limits = connectionLimits(options);
  const extraSeed = seedFromOption(options.seed);
  const memory = options.memory === true || options.dataDir === undefined;
  const dataDir = memory ? undefined : resolve(options.dataDir as string);
  if (dataDir) ensureDataDir(dataDir);
  const unlock = dataDir ? lockDataDir(dataDir) : () => {};
  try {
    // Once the directory is ours: a second server on it must not chmod it, only be refused.
    const modeWarning = dataDir ? tightenDataDir(dataDir) : undefined;
    const checked = { corsOrigins, allowedHosts, limits, extraSeed, modeWarning };
    return await startLocked(options, dataDir, checked, unlock);
  } catch (error) {
    unlock();
    throw error;
  }
}

/**
 * The data directory's database (or an in-memory one). A `hangar.db` SQLite cannot open as a
 * database (another file under that name, a damaged one) is refused with its path and the way
 * out, instead of SQLite's bare `file is not a database`; the file is left as it is.
 */
function openDatabase(dataDir: string | undefined): Db {
  if (!dataDir) return new Db(':memory:');
  const file = join(dataDir, DB_FILE);
  try {
    return new Db(file);
  } catch (error) {
    const { code, message } = error as { code?: unknown; message: string };
    if (code !== 'SQLITE_NOTADB' && code !== 'SQLITE_CORRUPT') throw error;
    throw new Error(
      `${file} is not a SQLite database (${message}): move it away (the next start makes a new one) or use another --data-dir`,
      { cause: error },
    );
  }
}

/** The rest of {@link startMockServer}, once the data directory (if any) is this process's. */
async function startLocked(
  options: MockServerOptions,
  dataDir: string | undefined,
  checked: {
    corsOrigins: string[];
    allowedHosts: string[];
    limits: Required<ConnectionLimits>;
    extraSeed: SeedFixture | undefined;
    /** What {@link tightenDataDir} changed or could not, for the log. */
    modeWarning: string | undefined;
  },
  unlock: () => void,
): Promise<MockServer> {
  const { corsOrigins, allowedHosts, limits, extraSeed, modeWarning } = checked;
  const logger =
    options.logger ?? createLogger(options.logLevel ?? 'silent', options.logDestination);
  if (modeWarning) logger.warn(modeWarning);
  const db = openDatabase(dataDir);
  if (dataDir) chmodSync(join(dataDir, DB_FILE), 0o600);
  const clock = new ServerClock();
  const oidc = new OidcProvider(clock, dataDir);

  let services: Services;
  let adminKey: string;
  let devTokenRow: TokensTable;
  let devToken: string;
  try {
    await db.migrateAndSeed(() => applySeed(db, DEFAULT_SEED, clock.nowMs()));
    clock.persistIn(clockSettings(db));
    const hasTokens = () =>
      db.first(db.q.selectFrom('tokens').select('id').limit(rowLimit(1))) !== undefined;
    const masterKey = masterKeyFrom(options.masterKey, dataDir, hasTokens);
    // Blank counts as unset: an empty key would let any request carrying an empty
    // X-Hangar-Admin-Key header use the test controls.
    const givenAdminKey = options.adminKey ?? process.env.HANGAR_MOCK_ADMIN_KEY;
    adminKey = givenAdminKey?.trim() ? givenAdminKey : loadAdminKey(dataDir);
    services = {
      db,
      clock,
      masterKey,
      logger,
      caches: new Caches(masterKey),
      issuerKeys: new IssuerKeys({ nowMs: () => clock.nowMs(), local: oidc }),
    };
    if (options.eventRetention !== undefined) {
      if (!Number.isSafeInteger(options.eventRetention) || options.eventRetention < 1) {
        throw new Error(
          `eventRetention must be a whole number of at least 1, got ${options.eventRetention}`,
        );
      }
      services.eventRetention = options.eventRetention;
    }
    if (extraSeed) {
      try {
        applySeed(db, extraSeed, clock.nowMs());
      } catch (error) {
        if (!(error instanceof ProblemError)) throw error;
        throw new SeedRejectedError(error.message, { cause: error });
      }
    }
    const devUser = db.first(db.q.selectFrom('users').select('id').where(emailIs(DEV_EMAIL)));
    if (!devUser) throw new Error(`the data directory has no user ${DEV_EMAIL}`);
    const issued = startupToken(services, devUser.id);
    devTokenRow = issued.row;
    devToken = issued.secret;
  } catch (error) {
    db.close();
    throw error;
  }
  const devPassword = extraSeed?.users.find((u) => u.email === DEV_EMAIL)?.password ?? DEV_PASSWORD;

  const rateLimits = new RateLimits(clock, {
    ...DEFAULT_RATE_LIMITS,
    ...(options.rateLimits === false ? { enabled: false } : options.rateLimits),
  });
  const startLimits = rateLimits.settings;
  const reset = () => {
    rateLimits.update(startLimits);
    db.transaction(() => {
      // The start-up token as it is now: once revoked it stays revoked (and with it every token
      // attenuated from it, which shares its identifier).
      const startup =
        db.first(db.q.selectFrom('tokens').selectAll().where('id', '=', devTokenRow.id)) ??
        devTokenRow;
      db.run(db.q.deleteFrom('idempotency_keys'));
      db.run(db.q.deleteFrom('used_id_tokens'));
      for (const table of [
        'trust_policies',
        'events',
        'tokens',
        'machines',
        'apps',
        'memberships',
        'orgs',
        'users',
      ] as const) {
        db.run(db.q.deleteFrom(table));
      }
      clock.reset();
      applySeed(db, DEFAULT_SEED, clock.nowMs());
      // Back to the start-up state: the start's fixture too (`--seed`, `seed`), which applied to
      // the same default data then and so applies again now.
      if (extraSeed) applySeed(db, extraSeed, clock.nowMs());
      const devUser = db.first(db.q.selectFrom('users').select('id').where(emailIs(DEV_EMAIL)));
      // Same identifier and caveats as before: the start-up token string keeps working.
      db.run(
        db.q
          .insertInto('tokens')
          .values({ ...startup, created_by: devUser?.id as string, last_used_at: null }),
      );
    });
  };

  const contract = loadContract();
  const faults = new FaultRules(
    () => clock.nowMs(),
    new Set(contract.operations.map((op) => op.operationId)),
  );
  const journal = new Journal();
  try {
    await oidc.loadSaved();
  } catch (error) {
    db.close();
    throw error;
  }
  const app = createApp(services, {
    contract,
    admin: {
      adminKey,
      reset: () => {
        reset();
        faults.reset();
        journal.clear();
        services.issuerKeys.clear();
      },
      faults,
      journal,
      rateLimits,
      oidc,
    },
    latencyMs: options.latencyMs ?? 0,
    validateResponses: options.validateResponses ?? process.env.NODE_ENV === 'test',
    logRequests: logger.isLevelEnabled('info'),
    corsOrigins,
    boundHost: options.host ?? '127.0.0.1',
    allowedHosts,
    rateLimits,
    ...(options.idempotencyRetentionSeconds === undefined
      ? {}
      : { idempotencyRetentionSeconds: options.idempotencyRetentionSeconds }),
  });

  const host = options.host ?? '127.0.0.1';
  // By value, from the first request on: a key set by HANGAR_MOCK_ADMIN_KEY or `adminKey` may
  // have any shape, so redact.ts's `hma_` pattern alone would let it into logs and the journal.
  const forgetAdminKey = redactValueOf(adminKey);
  let server: Server;
  try {
    server = await new Promise<Server>((resolvePromise, reject) => {
      // Node's own check of a missing Host answers a bare 400; host-check.ts answers a problem.
      const s = createServer({ ...serverTimeouts(limits), requireHostHeader: false }, app);
      applyConnectionLimits(s, limits, logger);
      s.once('error', reject);
      s.listen(options.port ?? 0, host, () => resolvePromise(s));
    });
  } catch (error) {
    forgetAdminKey();
    db.close();
    throw error;
  }
  answerClientErrors(server, logger, () => clock.nowMs());
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  oidc.setServerUrl(url);
  logger.info({ url, dataDir: dataDir ?? ':memory:' }, 'hangar-mock listening');

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolvePromise) => {
      // Keep-alive connections go as soon as their in-flight response is written; after 10 s,
      // whatever is left is cut.
      const sweep = setInterval(() => server.closeIdleConnections(), 25);
      const force = setTimeout(() => server.closeAllConnections(), 10_000);
      force.unref();
      server.close(() => {
        clearInterval(sweep);
        clearTimeout(force);
        db.close();
        unlock();
        forgetAdminKey();
        logger.info('hangar-mock stopped');
        logger.flush();
        resolvePromise();
      });
      server.closeIdleConnections();
    });
    return closing;
  };

  return {
    url,
    adminKey,
    devToken,
    devUser: { email: DEV_EMAIL, password: devPassword },
    cacheStats: () => ({ verifiedTokens: services.caches.verifiedTokens.stats() }),
    close,
  };
}
