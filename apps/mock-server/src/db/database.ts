import BetterSqlite3 from 'better-sqlite3';
import {
  type Compilable,
  type InferResult,
  Kysely,
  type Migration,
  type MigrationProvider,
  Migrator,
  SqliteDialect,
} from 'kysely';
import { LRUCache } from 'lru-cache';
import * as initial from './migrations/0001_initial.js';
import * as tokenNames from './migrations/0002_token_names.js';
import * as settings from './migrations/0003_settings.js';
import * as tokenRotation from './migrations/0004_token_rotation.js';
import * as idempotencyKeys from './migrations/0005_idempotency_keys.js';
import * as events from './migrations/0006_events.js';
import * as trustPolicies from './migrations/0007_trust_policies.js';
import * as trustPolicyCreatorToken from './migrations/0008_trust_policy_creator_token.js';
import * as usedIdTokens from './migrations/0009_used_id_tokens.js';
import type { Database } from './schema.js';

const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_token_names': tokenNames,
  '0003_settings': settings,
  '0004_token_rotation': tokenRotation,
  '0005_idempotency_keys': idempotencyKeys,
  '0006_events': events,
  '0007_trust_policies': trustPolicies,
  '0008_trust_policy_creator_token': trustPolicyCreatorToken,
  '0009_used_id_tokens': usedIdTokens,
};

/**
 * An in-memory database with every migration applied and nothing else (`serialize()`), made by
 * the first `:memory:` Db of the process. Later ones open a copy of it instead of running the
 * migrations again: a test suite starts a server per file or per test, and the migrations were
 * the largest part of such a start (docs/benchmarks.md).
 */
let migratedImage: Buffer | undefined;

/** Named values bound into a prepared query. */
export type Params = Record<string, string | number | null>;

/**
 * Builds a query from placeholder params. It must use each param as a whole value (no
 * arithmetic or string building on it): the query is compiled once, with stand-ins.
 */
export type QueryBuilder<P extends Params, Q extends Compilable> = (q: Kysely<Database>, p: P) => Q;

interface Prepared {
  statement: BetterSqlite3.Statement;
  /** Per SQL parameter: the name of a param to bind, or a constant from the builder. */
  slots: ({ name: string } | { value: unknown })[];
}

const PARAM_MARK = '\u0000hangar-param:';

/**
/**
 * Prepared statements kept for {@link Db.all}, {@link Db.first} and {@link Db.run}, least recently
 * used dropped first. The SQL of those queries has a handful of shapes, but one built from caller
 * data (a list of ids, one `?` each) would otherwise keep a statement per length, forever.
 */
export const STATEMENT_CACHE_SIZE = 256;

/**
 * The mock server's database: Kysely builds every query (typed by `schema.ts`), better-sqlite3
 * runs it synchronously through a cache of prepared statements. Synchronous on purpose: a
 * request's reads and writes happen in one tick, so no other request interleaves with them.
 */
export class Db {
  readonly sqlite: BetterSqlite3.Database;
  /** Query builder only; execute with {@link all}, {@link first} and {@link run}. */
  readonly q: Kysely<Database>;
  readonly #statements = new LRUCache<string, BetterSqlite3.Statement>({
    max: STATEMENT_CACHE_SIZE,
  });
  readonly #prepared = new Map<QueryBuilder<never, Compilable>, Prepared>();
  readonly #preparedRaw = new Map<QueryBuilder<never, Compilable>, Prepared>();

  /** Whether this is an in-memory database (`:memory:`), gone when it is closed. */
  readonly #memory: boolean;
  /** Whether it was copied from {@link migratedImage}: every migration is already applied. */
  readonly #fromImage: boolean;

  /** Opens `file` (or `:memory:`) with WAL journaling and foreign keys on. Call {@link migrate} next. */
  constructor(file: string) {
    this.#memory = file === ':memory:';
    this.#fromImage = this.#memory && migratedImage !== undefined;
    // better-sqlite3 opens a buffer from `serialize()` as a new in-memory database of its own.
    this.sqlite = new BetterSqlite3(this.#fromImage ? migratedImage : file);
    this.sqlite.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a commit survives a process crash or kill; only an OS crash can lose
    // the last transactions.
    this.sqlite.pragma('synchronous = NORMAL');
    this.sqlite.pragma('foreign_keys = ON');
    this.sqlite.pragma('busy_timeout = 5000');
    // 4 MiB of page cache instead of this better-sqlite3 build's 16 MiB: a list page is one index
    // range scan of a few pages, and the operating system caches the file anyway; the difference
    // was resident memory after the 100,000-token benchmark (docs/benchmarks.md).
    this.sqlite.pragma('cache_size = -4096');
    this.q = new Kysely<Database>({ dialect: new SqliteDialect({ database: this.sqlite }) });
  }

  /**
   * Applies pending migrations (Kysely's Migrator) and, when the database holds no user yet,
   * calls `seedFirst`, all in one transaction: a crash or kill at any point leaves either the
   * database as it was or everything committed, never tables without their seed. "First" is
   * decided inside that transaction (no row in `users`: every seed creates at least one), not by
   * whether the file existed. BEGIN IMMEDIATE takes SQLite's write lock before the first read, so
   * another connection doing the same waits (busy_timeout) and then sees it all done. An
   * in-memory database (nothing of it survives a crash) is copied from {@link migratedImage}
   * when the process has one, else migrated and then kept as that image; then seeded.
   * @returns whether `seedFirst` ran.
   * @throws whatever a migration or `seedFirst` throws (the transaction is rolled back).
   */
  async migrateAndSeed(seedFirst: () => void): Promise<boolean> {
    if (this.#memory && !this.#fromImage) {
      // An in-memory database cannot outlive a crash, so its migrations commit on their own;
      // the migrated, still empty database is then kept for the next `:memory:` Db.
      await this.#inTransaction(() => this.#migrateToLatest());
      migratedImage = this.sqlite.serialize();
    }
    return await this.#inTransaction(async () => {
      if (!this.#memory) await this.#migrateToLatest();
      const first = this.sqlite.prepare('select 1 from users limit 1').get() === undefined;
      if (first) seedFirst();
      return first;
    });
  }

  /** Kysely's Migrator, its own transaction off: the caller's spans it. */
  async #migrateToLatest(): Promise<void> {
    const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };
    const migrator = new Migrator({ db: this.q, provider, disableTransactions: true });
    const { error } = await migrator.migrateToLatest();
    if (error) throw error;
  }

  /** Runs `work` inside BEGIN IMMEDIATE ... COMMIT, rolled back if it throws. */
  async #inTransaction<T>(work: () => Promise<T>): Promise<T> {
    this.sqlite.exec('BEGIN IMMEDIATE');
    try {
      const result = await work();
      this.sqlite.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.sqlite.inTransaction) this.sqlite.exec('ROLLBACK');
      throw error;
    }
  }

  /** Applies pending migrations in one transaction, seeding nothing (for tests and tools). */
  async migrate(): Promise<void> {
    await this.migrateAndSeed(() => {});
  }

  /** How many prepared statements {@link all}, {@link first} and {@link run} keep (at most {@link STATEMENT_CACHE_SIZE}). */
  get cachedStatements(): number {
    return this.#statements.size;
  }

  #prepare(sql: string): BetterSqlite3.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.sqlite.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * Compiles `build` once (per database) and keeps its statement; later calls only bind
   * `params`. For the hot paths (authentication, visibility, token lists), where building and
   * compiling with Kysely on every request would cost more than running the query.
   */
  #preparedFor<P extends Params, Q extends Compilable>(
    build: QueryBuilder<P, Q>,
    raw = false,
  ): Prepared {
    const cache = raw ? this.#preparedRaw : this.#prepared;
    let prepared = cache.get(build as QueryBuilder<never, Compilable>);
    if (!prepared) {
      const standIns = new Proxy({} as P, {
        get: (_target, name) => `${PARAM_MARK}${String(name)}`,
      });
      const { sql, parameters } = build(this.q, standIns).compile();
      const slots = parameters.map((value) =>
        typeof value === 'string' && value.startsWith(PARAM_MARK)
          ? { name: value.slice(PARAM_MARK.length) }
          : { value },
      );
      const statement = this.sqlite.prepare(sql);
      if (raw) statement.raw(true);
      prepared = { statement, slots };
      cache.set(build as QueryBuilder<never, Compilable>, prepared);
    }
    return prepared;
  }

  #bind(prepared: Prepared, params: Params): unknown[] {
    return prepared.slots.map((slot) => ('name' in slot ? params[slot.name] : slot.value));
  }

  /** Every row of the prepared query `build` with `params` bound. */
  allWith<P extends Params, Q extends Compilable>(
    build: QueryBuilder<P, Q>,
    params: P,
  ): InferResult<Q> {
    const prepared = this.#preparedFor(build);
    return prepared.statement.all(this.#bind(prepared, params)) as InferResult<Q>;
  }

  /** The first row of the prepared query `build` with `params` bound, or undefined. */
  firstWith<P extends Params, Q extends Compilable>(
    build: QueryBuilder<P, Q>,
    params: P,
  ): InferResult<Q>[number] | undefined {
    const prepared = this.#preparedFor(build);
    return prepared.statement.get(this.#bind(prepared, params)) as
      | InferResult<Q>[number]
      | undefined;
  }

  /**
   * Like {@link allWith}, but each row is an array of its column values in select order
   * (better-sqlite3's raw mode): about 40% cheaper for a page of rows, since no object with
   * named properties is built per row in native code. For the hottest lists only.
   */
  allRawWith<P extends Params, Q extends Compilable>(
    build: QueryBuilder<P, Q>,
    params: P,
  ): unknown[][] {
    const prepared = this.#preparedFor(build, true);
    return prepared.statement.all(this.#bind(prepared, params)) as unknown[][];
  }

  /** Like {@link firstWith}, the row as an array of column values in select order, or undefined. */
  firstRawWith<P extends Params, Q extends Compilable>(
    build: QueryBuilder<P, Q>,
    params: P,
  ): unknown[] | undefined {
    const prepared = this.#preparedFor(build, true);
    return prepared.statement.get(this.#bind(prepared, params)) as unknown[] | undefined;
  }

  /** Every row of a select (or of a `returning` write). */
  all<Q extends Compilable>(query: Q): InferResult<Q> {
    const { sql, parameters } = query.compile();
    return this.#prepare(sql).all(parameters as unknown[]) as InferResult<Q>;
  }

  /** The first row, or undefined. */
  first<Q extends Compilable>(query: Q): InferResult<Q>[number] | undefined {
    const { sql, parameters } = query.compile();
    return this.#prepare(sql).get(parameters as unknown[]) as InferResult<Q>[number] | undefined;
  }

  /** Runs a write; returns the number of rows changed. */
  run(query: Compilable): number {
    const { sql, parameters } = query.compile();
    return this.#prepare(sql).run(parameters as unknown[]).changes;
  }

  /** Runs `fn` in one transaction (rolled back if it throws). */
  transaction<T>(fn: () => T): T {
    return this.sqlite.transaction(fn)();
  }

  /** Checkpoints the WAL and closes the file. */
  close(): void {
    if (this.sqlite.open) this.sqlite.close();
  }
}
