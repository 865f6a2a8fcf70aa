import { createHash, createHmac } from 'node:crypto';
import { at, loadContract } from '@hangar/contract';
import { type Caveat, normalizeToken } from '@hangar/tokens';
import type { Request, RequestHandler, Response } from 'express';
import type { OperationRoute } from './auth/access-table.js';
import type { Caller } from './auth/authenticate.js';
import { attenuatedFrom } from './auth/issue.js';
import { MAX_BODY_DEPTH, tooDeeplyNested } from './body-depth.js';
import { problem } from './problems.js';
import type { Services } from './services.js';
import { SECRET_CACHE_CONTROL, withoutTokenSecrets, withTokenSecrets } from './token-secrets.js';

/** The request header naming a key (draft-ietf-httpapi-idempotency-key-header). */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** The answer header marking a replay (as Stripe's API). */
export const REPLAYED_HEADER = 'Idempotent-Replayed';
/**
 * What a key may be: the contract's `IdempotencyKey` parameter schema (openapi/hangar.yaml:
 * `maxLength`, `pattern` — printable ASCII, no space first or last — and `x-hangar-rule`, the
 * rule in words), the rule the SDK (`IDEMPOTENCY_KEY_RULE`) and the CLI apply too. Read once
 * from the contract.
 */
const KEY_SCHEMA = at(loadContract().document, '/components/parameters/IdempotencyKey/schema') as {
  maxLength: number;
  pattern: string;
  'x-hangar-rule': string;
};
/** Longest key accepted, in characters. */
export const MAX_KEY_LENGTH = KEY_SCHEMA.maxLength;
const KEY_PATTERN = new RegExp(KEY_SCHEMA.pattern);
/** How long a stored answer is replayed by default: 24 hours of the server clock, in seconds. */
export const DEFAULT_RETENTION_SECONDS = 24 * 60 * 60;

/**
 * How long after its stored answer a token refused as rotated or revoked may still replay its
 * own rotation or revocation ({@link IdempotencyKeys.ownReplayCheck}): 10 minutes of the server
 * clock, in ms. A retry after a dropped connection comes within seconds or minutes; a whole
 * retention (24 h) would let a leaked old token with a guessable key fetch its replacement.
 */
export const OWN_REPLAY_WINDOW_MS = 10 * 60 * 1000;

/** The methods whose operations take a key: every POST and DELETE of the contract. */
const KEYED_METHODS = new Set(['post', 'delete']);

/**
 * The operations that revoke or rotate the calling token itself, and the field of their stored
 * success answer naming that token (Token `id`, CreatedToken `replaces`).
 */
const OWN_TOKEN_FIELD: Partial<Record<OperationRoute['operationId'], 'id' | 'replaces'>> = {
  revokeCurrentToken: 'id',
  rotateCurrentToken: 'replaces',
};

/**
 * JSON with object keys sorted, so `{"a":1,"b":2}` and `{"b":2,"a":1}` are the same body.
 * Bounded: request-body.ts refused bodies nested deeper than {@link MAX_BODY_DEPTH} already;
 * should one get here, it is refused again rather than walked.
 * @throws ProblemError `validation_failed` for a body nested deeper than that (body-depth.ts)
 */
function canonicalJson(value: unknown, depth = 0): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  if (depth >= MAX_BODY_DEPTH) throw tooDeeplyNested();
  const inner = (child: unknown) => canonicalJson(child, depth + 1);
  if (Array.isArray(value)) return `[${value.map(inner).join(',')}]`;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${inner(v)}`).join(',')}}`;
}

/**
 * The key scope of a token: its identifier and a digest of the token string presented (the
 * `Authorization` value without its scheme, which RFC 9110 section 11.1 makes case-insensitive,
 * and without surrounding space: `bearer X` is the same token as `Bearer X`). Attenuated tokens
 * share their parent's identifier, so the identifier alone would let a narrower token replay a
 * wider one's stored answers (a new org token, say) by sending the same key and body: the
 * replay runs before the handler's authorization. One token string is one scope, as one API key
 * is in Stripe's API.
 */
function tokenScope(id: string, authorization: string | undefined): string {
  const digest = createHash('sha256')
    .update(normalizeToken(authorization ?? ''))
    .digest('base64url');
  return `token:${id}:${digest}`;
}

/**
 * Whose key a request uses: the calling token ({@link tokenScope}); for an operation without
 * security (createSession) the email it logs in as, lower-cased, with the request's
 * `fingerprint` (an HMAC, no password in clear); else the client address. Anyone may send a
 * login, so a login's key must not tell a wrong password from the stored right one: with the
 * fingerprint in the scope another password is another scope, so it runs as a login without a
 * key would (401, counted by the login limits in rate-limits.ts), never a 422 that is neither.
 */
function scopeOf(req: Request, res: Response, fingerprint: string): string {
  const caller = res.locals.caller as Caller | undefined;
  if (caller) return tokenScope(caller.token.id, req.headers.authorization);
  const email = (req.body as { email?: unknown } | undefined)?.email;
  if (typeof email === 'string') return `email:${email.toLowerCase()}:${fingerprint}`;
  return `address:${req.socket.remoteAddress ?? 'unknown'}`;
}

/**
 * The key of a request, or undefined without one.
 * @throws 400 `validation_failed` naming the header and the rule: a key that is empty, longer
 *   than MAX_KEY_LENGTH or not printable ASCII (KEY_SCHEMA), or the header sent on more than one line (Node would join them with ", "
 *   into one key no client meant; `req.headersDistinct` keeps them apart).
 */
function keyOf(req: Request): string | undefined {
  const lines = req.headersDistinct[IDEMPOTENCY_KEY_HEADER.toLowerCase()];
  if (lines === undefined) return undefined;
  if (lines.length > 1) {
    throw invalidKey(
      `was sent ${lines.length} times; send one ${IDEMPOTENCY_KEY_HEADER} per request`,
    );
  }
  // Node reads header bytes as Latin-1: a UTF-8 key arrives as characters above U+007E.
  const key = lines[0] as string;
  if (key.length > MAX_KEY_LENGTH || !KEY_PATTERN.test(key)) {
    throw invalidKey(`must be ${KEY_SCHEMA['x-hangar-rule']}`);
  }
  return key;
}

/** 400 `validation_failed` naming the `Idempotency-Key` header, with `message`. */
function invalidKey(message: string) {
  const field = `header.${IDEMPOTENCY_KEY_HEADER}`;
  return problem('validation_failed', `${field}: ${message}`, { errors: [{ field, message }] });
}

/**
 * `Idempotency-Key` for every POST and DELETE of the contract (draft-ietf-httpapi-idempotency-
 * key-header; Stripe's semantics where the draft leaves a choice). Keys are scoped to the caller
 * (see {@link scopeOf}) and live `retentionSeconds` of the server clock.
 * - First use: the operation runs; its answer (status, type, body; any status below 500) is
 *   stored as it is written, with token strings replaced by markers (token-secrets.ts), so no
 *   secret is stored. A 5xx is not stored: the retry runs again.
 * - Same key, same method, path and body: the stored answer again, `Idempotent-Replayed: true`,
 *   token strings re-derived from the master key (the same strings).
 * - Same key, anything else different: 422 `idempotency_key_reused`.
 * - Same key while the first is still running: 409 `idempotency_key_in_use`.
 * - A token that revoked or rotated itself with a key is refused afterwards, except for the
 *   replay of that answer within OWN_REPLAY_WINDOW_MS ({@link IdempotencyKeys.ownReplayCheck});
 *   with another body, or later: 401.
 * Runs after authentication, rate limits and contract validation: a request refused by those
 * stores nothing.
 */
export class IdempotencyKeys {
  readonly #services: Services;
  readonly #retentionMs: number;
  /** `scope \n key` of requests running now (one process owns the database: data-dir-lock.ts). */
  readonly #running = new Set<string>();

  /** @param retentionSeconds how long answers are replayed, in seconds of the server clock. */
  constructor(services: Services, retentionSeconds = DEFAULT_RETENTION_SECONDS) {
    this.#services = services;
    this.#retentionMs = retentionSeconds * 1000;
  }

  /** The step for `route`: none for operations other than POST and DELETE. */
  steps(route: OperationRoute): RequestHandler[] {
    return KEYED_METHODS.has(route.operation.method) ? [this.#step()] : [];
  }

  /**
   * For authentication (auth/authenticate.ts `mayReplay`) on revokeCurrentToken and
   * rotateCurrentToken (undefined on other operations): whether `req` may be the retry of the
   * request by which the presented token revoked or rotated itself. Authentication refuses that
   * token afterwards, so without this a retry whose first answer was lost (a dropped connection)
   * gets 401 and, for a rotation, the new token (whose secret is not stored) is lost. Yes only
   * when the token is the row's own (not attenuated from it), `req`
   * carries a well-formed key, and the answer stored for that key in this token's scope, within
   * OWN_REPLAY_WINDOW_MS of the server clock (not the whole retention), is a success naming this
   * token as the one revoked or rotated. The step then
   * replays it only for the same method, path and body; anything else gets the deferred 401.
   */
  ownReplayCheck(
    route: OperationRoute,
  ): ((req: Request, token: { id: string; caveats: readonly Caveat[] }) => boolean) | undefined {
    const field = OWN_TOKEN_FIELD[route.operationId];
    if (!field) return undefined;
    return (req, token) => {
      let key: string | undefined;
      try {
        key = keyOf(req);
      } catch {
        return false; // A malformed key is no retry: the token's own 401 comes first.
      }
      if (key === undefined) return false;
      const { db } = this.#services;
      const row = db.first(
        db.q
          .selectFrom('tokens')
          .select(['kind', 'org_id', 'app_id', 'actions'])
          .where('id', '=', token.id),
      );
      if (!row || attenuatedFrom(token.caveats, row)) return false;
      const stored = this.#stored(tokenScope(token.id, req.headers.authorization), key);
      if (!stored || stored.status >= 300 || stored.body === null) return false;
      if (stored.created_at <= this.#services.clock.nowMs() - OWN_REPLAY_WINDOW_MS) return false;
      return (JSON.parse(stored.body) as Record<string, unknown>)[field] === token.id;
    };
  }

  /** The answer stored for `key` in `scope` within retention, or undefined. */
  #stored(scope: string, key: string) {
    const { db, clock } = this.#services;
    return db.first(
      db.q
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('scope', '=', scope)
        .where('key', '=', key)
        .where('created_at', '>', clock.nowMs() - this.#retentionMs),
    );
  }

  /** HMAC-SHA256 under the master key of what makes two requests "the same", base64url. */
  #fingerprint(req: Request): string {
    const what = `${req.method} ${req.path}\n${canonicalJson(req.body ?? null)}`;
    return createHmac('sha256', this.#services.masterKey).update(what, 'utf8').digest('base64url');
  }

  #step(): RequestHandler {
    return (req, res, next) => {
      // A revoked or rotated-away token let through for the retry of its own revocation or
      // rotation (ownReplayCheck): the replay of that answer, or its 401; nothing else runs.
      const replayOnly = (res.locals.caller as Caller | undefined)?.replayOnly;
      const key = keyOf(req);
      if (key === undefined) return replayOnly ? replayOnly() : next();
      const fingerprint = this.#fingerprint(req);
      const scope = scopeOf(req, res, fingerprint);
      const slot = `${scope}\n${key}`;
      if (this.#running.has(slot)) {
        throw problem(
          'idempotency_key_in_use',
          `A request with this ${IDEMPOTENCY_KEY_HEADER} is still running; retry after it finishes`,
        );
      }
      const stored = this.#stored(scope, key);
      if (replayOnly && stored?.fingerprint !== fingerprint) replayOnly();
      if (stored) {
        if (stored.fingerprint !== fingerprint) {
          throw problem(
            'idempotency_key_reused',
            `This ${IDEMPOTENCY_KEY_HEADER} was used for another request (another method, path or body); use a new key for a new request`,
          );
        }
        res.status(stored.status).set(REPLAYED_HEADER, 'true');
        if (stored.content_type) res.set('Content-Type', stored.content_type);
        if (stored.body === null) return void res.end();
        const { body, carriesSecret } = withTokenSecrets(
          this.#services.masterKey,
          JSON.parse(stored.body),
        );
        // Headers are not stored: one that follows from the body is set again from it.
        if (carriesSecret) res.set('Cache-Control', SECRET_CACHE_CONTROL);
        return void res.end(JSON.stringify(body));
      }
      this.#running.add(slot);
      // Freed when the answer is written (#recordOnEnd), even to a client that has gone: an
      // operation awaiting something (createSession's scrypt, exchangeToken's issuer fetch)
      // keeps running after its connection drops, and a retry then must not run it twice.
      // A connection closed after the answer started without res.end frees it here.
      res.once('close', () => {
        if (res.headersSent) this.#running.delete(slot);
      });
      this.#recordOnEnd(res, { scope, key, fingerprint });
      next();
    };
  }

  /**
   * Stores the answer as `res.end` writes it (the handler's reply or its problem), in the same
   * tick as the handler's own writes, then frees the key.
   */
  #recordOnEnd(res: Response, id: { scope: string; key: string; fingerprint: string }): void {
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.end = ((...args: unknown[]) => {
      res.end = end as Response['end'];
      this.#record(res, id, args[0]);
      this.#running.delete(`${id.scope}\n${id.key}`);
      return end(...args);
    }) as Response['end'];
  }

  #record(res: Response, id: { scope: string; key: string; fingerprint: string }, chunk: unknown) {
    if (res.statusCode >= 500) return;
    const { db, clock, masterKey } = this.#services;
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString() : '';
    let body: string | null = null;
    if (text) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return; // Every answer is JSON or empty; anything else is not replayed, never stored raw.
      }
      body = JSON.stringify(withoutTokenSecrets(masterKey, parsed));
    }
    const now = clock.nowMs();
    db.transaction(() => {
      db.run(
        db.q.deleteFrom('idempotency_keys').where('created_at', '<=', now - this.#retentionMs),
      );
      db.run(
        db.q
          .insertInto('idempotency_keys')
          .values({
            ...id,
            status: res.statusCode,
            content_type: (res.get('Content-Type') as string | undefined) ?? null,
            body,
            created_at: now,
          })
          .onConflict((c) => c.columns(['scope', 'key']).doNothing()),
      );
    });
  }
}
