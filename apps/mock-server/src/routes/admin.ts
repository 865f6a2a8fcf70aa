import { createHash, timingSafeEqual } from 'node:crypto';
import type { AdminOperationId, AdminOperations, AdminPaths } from '@hangar/sdk/admin';
import express, { type Request, type RequestHandler, type Router } from 'express';
import { issuePersonalToken, PERSONAL_TOKEN_SECONDS } from '../auth/issue.js';
import { MAX_BODY_DEPTH, nestedDeeperThan, nestingLimit, tooDeeplyNested } from '../body-depth.js';
import { formatTimeMs } from '../clock.js';
import { decodingBody } from '../content-encoding.js';
import type { FaultRules } from '../faults.js';
import type { Journal } from '../journal.js';
import { sendJson } from '../json-reply.js';
import type { OidcProvider } from '../oidc-provider.js';
import { problem } from '../problems.js';
import { parseRateLimitsChange, type RateLimits, rateLimitsView } from '../rate-limits.js';
import { wellFormedBody } from '../request-body.js';
import { applySeed, parseSeed } from '../seed.js';
import type { Services } from '../services.js';
import { parseYaml } from '../yaml-text.js';
import { faultRoutes } from './faults.js';
import { journalRoutes } from './journal.js';
import { oidcAdminRoutes } from './oidc.js';

/** Header carrying the admin key on `/_admin/*` requests. */
export const ADMIN_KEY_HEADER = 'x-hangar-admin-key';

/** Test controls need these from the server that owns the state. */
export interface AdminControls {
  adminKey: string;
  /** Wipes every table, re-seeds the default fixture and restores the start-up token. */
  reset(): void;
  /** The fault rules (faults.ts). */
  faults: FaultRules;
  /** The request journal (journal.ts). */
  journal: Journal;
  /** The server's rate limits (`/_admin/rate-limits`). */
  rateLimits: RateLimits;
  /** The test identity provider (oidc-provider.ts). */
  oidc: OidcProvider;
}

const JSON_TYPES = ['application/json'];
const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];
/** Request bodies above this size get 413 `payload_too_large` (openapi/hangar-admin.yaml). */
const BODY_LIMIT = '1mb';
/** Go's longest duration in whole seconds, as for token lifetimes. */
const MAX_ADVANCE_SECONDS = 9_223_372_036;
/**
 * The latest time the clock may show: a personal token minted then (the longest-lived token,
 * PERSONAL_TOKEN_SECONDS; no token outlives the one that minted it) still expires within year
 * 9999, the last one an RFC 3339 `date-time` (four-digit year) can state. Past it, times the
 * server writes would leave RFC 3339 (`+010000-…`) and tokens would be minted already expired.
 */
const LATEST_CLOCK_MS = Date.UTC(9999, 11, 31, 23, 59, 59) - PERSONAL_TOKEN_SECONDS * 1000;

/** 400 on `field` unless moving the clock to `targetMs` stays within LATEST_CLOCK_MS. */
function checkWithinLatest(field: string, targetMs: number): void {
  if (targetMs > LATEST_CLOCK_MS) {
    throw badField(
      field,
      `must not move the clock past ${formatTimeMs(LATEST_CLOCK_MS)}, so that a personal token (30 years) minted then still expires within year 9999`,
    );
  }
}
/** RFC 3339 `date-time` (section 5.6), as `SetClockRequest.now` states it. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

type Method = 'get' | 'post' | 'put' | 'delete';
type AdminPath = keyof AdminPaths;

/** The path and method at which the admin document declares operation `K`. */
type Where<K extends AdminOperationId> = {
  [P in AdminPath]: {
    [M in Method]: [AdminPaths[P][M]] extends [AdminOperations[K]]
      ? [AdminOperations[K]] extends [AdminPaths[P][M]]
        ? { path: P; method: M }
        : never
      : never;
  }[Method];
}[AdminPath];

/** The success status the admin document declares for operation `K`: 200, else 201. */
type SuccessStatus<K extends AdminOperationId> = 200 extends keyof AdminOperations[K]['responses']
  ? 200
  : 201;

/** The success body the admin document declares for operation `K`. */
type Success<K extends AdminOperationId> =
  AdminOperations[K]['responses'] extends Record<
    SuccessStatus<K>,
    { content: { 'application/json': infer B } }
  >
    ? B
    : never;

/**
 * One admin operation, typed by openapi/hangar-admin.yaml: it sits at the path and method the
 * document gives it and answers its declared 200 body, or a contract change fails typecheck.
 */
export type AdminRoute<K extends AdminOperationId> = Where<K> & {
  /** Media types its body may have; left out, it takes no body (one sent is not read). */
  accepts?: readonly string[];
  /** The status of a success, when not 200. */
  status?: SuccessStatus<K>;
  handle(req: Request): Success<K> | Promise<Success<K>>;
};

/** What the router needs of any {@link AdminRoute}. */
interface AnyRoute {
  path: AdminPath;
  method: Method;
  accepts?: readonly string[];
  status?: number;
  handle(req: Request): unknown;
}

/** The admin document's operations outside `/_admin`: public, no admin key (routes/oidc.ts). */
export type PublicOperationId = 'getOidcConfiguration' | 'getOidcJwks';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** 401 problem unless the request carries the admin key (compared in constant time). */
function requireAdminKey(adminKey: string): RequestHandler {
  const expected = digest(adminKey);
  return (req, _res, next) => {
    const given = req.get(ADMIN_KEY_HEADER);
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      throw problem('unauthenticated', `Send the admin key in the X-Hangar-Admin-Key header`);
    }
    next();
  };
}

/** 415 for a body of a media type the route does not take; then the parsers for those it does. */
function bodyOf(accepts: readonly string[]): RequestHandler[] {
  const check: RequestHandler = (req, _res, next) => {
    // `req.is` is null without a body (a 400 from the handler says what is missing).
    if (req.is([...accepts]) === false) {
      // The YAML aliases are named by the one the document lists, application/yaml.
      const named = accepts.map((type) => (YAML_TYPES.includes(type) ? YAML_TYPES[0] : type));
      const names = [...new Set(named)].join(' or ');
      throw problem('unsupported_media_type', `Send the request body as ${names}`);
    }
    next();
  };
  const parsers = [
    decodingBody(express.json({ limit: BODY_LIMIT })),
    nestingLimit(),
    wellFormedBody(),
  ];
  if (accepts.some((type) => YAML_TYPES.includes(type))) {
    parsers.push(decodingBody(express.text({ type: YAML_TYPES, limit: BODY_LIMIT })));
  }
  return [check, ...parsers];
}

function badField(field: string, message: string): Error {
  return problem('validation_failed', `${field}: ${message}`, { errors: [{ field, message }] });
}

/** A JSON body's property, or undefined when the body is not an object. */
function bodyField(req: Request, name: string): unknown {
  const body: unknown = req.body;
  return typeof body === 'object' && body !== null
    ? (body as Record<string, unknown>)[name]
    : undefined;
}

/**
 * The test controls, described by openapi/hangar-admin.yaml and guarded by the admin key:
 * `POST /_admin/reset`, `POST /_admin/seed` (JSON or YAML fixture), `GET|POST|PUT /_admin/clock`.
 * A wrong key is 401 on every path; with the key, a known path asked with another method is 405
 * with `Allow`, and an unknown path 404.
 */
export function adminRouter(services: Services, controls: AdminControls): Router {
  const { clock } = services;
  /** Every operation of the admin document has exactly one route: a missing one fails typecheck. */
  const routes: { [K in Exclude<AdminOperationId, PublicOperationId>]: AdminRoute<K> } = {
    resetServer: {
      path: '/_admin/reset',
      method: 'post',
      handle: () => {
        controls.reset();
        return { ok: true };
      },
    },
    seedFixture: {
      path: '/_admin/seed',
      method: 'post',
      accepts: [...JSON_TYPES, ...YAML_TYPES],
      handle: (req) => {
        let input: unknown = req.body;
        if (typeof input === 'string') {
          try {
            input = parseYaml(input);
          } catch (error) {
            const reason = (error as Error).message;
            throw problem('validation_failed', `The YAML fixture does not parse: ${reason}`);
          }
          // A YAML fixture nests no deeper than a JSON one may (body-depth.ts).
          if (nestedDeeperThan(input, MAX_BODY_DEPTH)) throw tooDeeplyNested();
        }
        const fixture = parseSeed(input);
        const userIds = applySeed(services.db, fixture, clock.nowMs());
        const users = services.db.transaction(() =>
          fixture.users.map((user, i) => ({
            email: user.email,
            token: issuePersonalToken(services, userIds[i] as string, 'Seed token').secret,
          })),
        );
        return { users };
      },
    },
    getClock: {
      path: '/_admin/clock',
      method: 'get',
      handle: () => ({ now: formatTimeMs(clock.nowMs()) }),
    },
    advanceClock: {
      path: '/_admin/clock',
      method: 'post',
      accepts: JSON_TYPES,
      handle: (req) => {
        const seconds = bodyField(req, 'advance_seconds');
        if (
          typeof seconds !== 'number' ||
          !Number.isInteger(seconds) ||
          seconds < 1 ||
          seconds > MAX_ADVANCE_SECONDS
        ) {
          throw badField(
            'body.advance_seconds',
            `must be an integer from 1 to ${MAX_ADVANCE_SECONDS}`,
          );
        }
        checkWithinLatest('body.advance_seconds', clock.nowMs() + seconds * 1000);
        return { now: formatTimeMs(clock.advance(seconds).getTime()) };
      },
    },
    setClock: {
      path: '/_admin/clock',
      method: 'put',
      accepts: JSON_TYPES,
      handle: (req) => {
        const text = bodyField(req, 'now');
        const target = typeof text === 'string' && RFC3339.test(text) ? Date.parse(text) : NaN;
        if (Number.isNaN(target)) {
          throw badField('body.now', 'must be an RFC 3339 time such as 2026-12-01T08:00:00Z');
        }
        const nowMs = clock.nowMs();
        // Times are shown in whole seconds: the second `getClock` showed is not "earlier".
        if (target < Math.floor(nowMs / 1000) * 1000) {
          const shown = formatTimeMs(nowMs);
          throw badField('body.now', `must not be earlier than the server's time, ${shown}`);
        }
        checkWithinLatest('body.now', target);
        if (target - nowMs > MAX_ADVANCE_SECONDS * 1000) {
          throw badField('body.now', `must be at most ${MAX_ADVANCE_SECONDS} s after now`);
        }
        return { now: formatTimeMs(clock.advance(Math.max(0, target - nowMs) / 1000).getTime()) };
      },
    },
    ...faultRoutes(controls.faults),
    ...journalRoutes(controls.journal, controls.faults.operationIds),
    ...oidcAdminRoutes(controls.oidc),
    getRateLimits: {
      path: '/_admin/rate-limits',
      method: 'get',
      handle: () => rateLimitsView(controls.rateLimits.settings),
    },
    setRateLimits: {
      path: '/_admin/rate-limits',
      method: 'put',
      accepts: JSON_TYPES,
      handle: (req) => rateLimitsView(controls.rateLimits.update(parseRateLimitsChange(req.body))),
    },
  };

  // Strict, as the /v1 routes: `/_admin/reset/` is not `/_admin/reset`.
  const router = express.Router({ strict: true, caseSensitive: true });
  router.use(requireAdminKey(controls.adminKey));
  const allowed = new Map<string, string[]>();
  for (const route of Object.values(routes) as AnyRoute[]) {
    // `{fault_id}` in the document is `:fault_id` to Express.
    const local = route.path.slice('/_admin'.length).replace(/\{(\w+)\}/g, ':$1');
    const steps = route.accepts ? bodyOf(route.accepts) : [];
    router[route.method](local, ...steps, async (req, res) => {
      sendJson(res, route.status ?? 200, await route.handle(req));
    });
    const methods = allowed.get(local) ?? [];
    methods.push(route.method.toUpperCase(), ...(route.method === 'get' ? ['HEAD'] : []));
    allowed.set(local, methods);
  }
  for (const [local, methods] of allowed) {
    router.all(local, (req, res) => {
      const allow = methods.join(', ');
      res.set('Allow', allow);
      throw problem(
        'method_not_allowed',
        `${req.method} is not allowed on /_admin${local}; use ${allow}`,
      );
    });
  }
  router.use(() => {
    throw problem('not_found', 'No such route');
  });
  return router;
}
