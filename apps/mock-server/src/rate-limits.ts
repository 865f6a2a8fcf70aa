import type { Request, RequestHandler, Response } from 'express';
import type { OperationRoute } from './auth/access-table.js';
import type { Caller } from './auth/authenticate.js';
import type { ServerClock } from './clock.js';
import { problem } from './problems.js';

/** A quota of `quota` units per `windowSeconds` seconds of the server clock. */
export interface RateLimitPolicy {
  quota: number;
  windowSeconds: number;
}

/**
 * The limits in force. `token` and `address` count every request (per calling token, per client
 * address); `loginEmail` and `loginAddress` count failed `createSession` calls (per email, per
 * address) and, once used up, refuse every login for that email or from that address, the right
 * password included, until the window passes.
 */
export interface RateLimitSettings {
  enabled: boolean;
  token: RateLimitPolicy;
  address: RateLimitPolicy;
  loginEmail: RateLimitPolicy;
  loginAddress: RateLimitPolicy;
}

/** Per client address, a quota is this many times the per-token (or per-email) one. */
export const ADDRESS_FACTOR = 5;

/**
 * Defaults: 1000 requests a minute per token (5000 per address), 10 failed logins per 15 minutes
 * per email (50 per address): far above what a test suite sends, far below a guessing loop.
 */
export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  enabled: true,
  token: { quota: 1000, windowSeconds: 60 },
  address: { quota: 1000 * ADDRESS_FACTOR, windowSeconds: 60 },
  loginEmail: { quota: 10, windowSeconds: 900 },
  loginAddress: { quota: 10 * ADDRESS_FACTOR, windowSeconds: 900 },
};

/** Policy names as the `RateLimit-Policy` header gives them. */
const HEADER_NAMES: Record<Exclude<keyof RateLimitSettings, 'enabled'>, string> = {
  token: 'token',
  address: 'address',
  loginEmail: 'login-email',
  loginAddress: 'login-address',
};
type PolicyName = keyof typeof HEADER_NAMES;

/** The operation whose failures (401) count against the login policies. */
const LOGIN_OPERATION = 'createSession';

/** One counter: `count` units used in the window that started at `startMs`. */
interface Window {
  startMs: number;
  count: number;
}

/** What one policy said about a request, for the headers. */
interface Verdict {
  name: PolicyName;
  policy: RateLimitPolicy;
  remaining: number;
  /** Seconds until the window resets, at least 1. */
  resetSeconds: number;
}

/** Sweep expired windows once the map holds this many (bounds memory under many addresses). */
const SWEEP_AT = 10_000;

/**
 * Rate limits on the server clock, so a test moves time with `/_admin/clock` instead of waiting.
 * Own code rather than a library: the limiters on npm (rate-limiter-flexible, express-rate-limit)
 * read `Date.now()`, which the admin clock does not move. Each subject gets a fixed window that
 * starts at its first counted unit and lasts `windowSeconds`; a failed login therefore locks
 * out its email for the rest of that window whatever is tried next.
 * Headers follow draft-ietf-httpapi-ratelimit-headers-09: `RateLimit-Policy: "token";q=1000;w=60`
 * and `RateLimit: "token";r=999;t=60`, one item per policy that applied; over a quota, 429
 * `rate_limited` with `Retry-After` (RFC 9110 section 10.2.3) in seconds.
 */
export class RateLimits {
  #settings: RateLimitSettings;
  readonly #clock: ServerClock;
  readonly #windows = new Map<string, Window>();

  constructor(clock: ServerClock, settings: RateLimitSettings = DEFAULT_RATE_LIMITS) {
    this.#clock = clock;
    this.#settings = structuredClone(settings);
  }

  get settings(): RateLimitSettings {
    return structuredClone(this.#settings);
  }

  /** Replaces the policies given (the others stay) and starts every counter afresh. */
  update(change: Partial<RateLimitSettings>): RateLimitSettings {
    this.#settings = { ...this.#settings, ...structuredClone(change) };
    this.#windows.clear();
    return this.settings;
  }

  /**
   * The window of `subject` under `name`; when none is running, a fresh one starting now, kept
   * only if `keep` (a window starts at its first counted unit, not at a look).
   */
  #window(name: PolicyName, subject: string, nowMs: number, keep: boolean): Window {
    const key = `${name}\n${subject}`;
    const windowMs = this.#settings[name].windowSeconds * 1000;
    const window = this.#windows.get(key);
    if (window && nowMs < window.startMs + windowMs) return window;
    const fresh = { startMs: nowMs, count: 0 };
    if (keep) {
      if (this.#windows.size >= SWEEP_AT) this.#sweep(nowMs);
      this.#windows.set(key, fresh);
    } else if (window) {
      this.#windows.delete(key);
    }
    return fresh;
  }

  #sweep(nowMs: number): void {
    for (const [key, window] of this.#windows) {
      const name = key.slice(0, key.indexOf('\n')) as PolicyName;
      if (nowMs >= window.startMs + this.#settings[name].windowSeconds * 1000) {
        this.#windows.delete(key);
      }
    }
  }

  /**
   * Checks `subject` against `name`, taking `cost` units if it is within the quota; a cost of 0
   * only asks whether the quota is used up.
   */
  #check(name: PolicyName, subject: string, cost: number): Verdict & { over: boolean } {
    const policy = this.#settings[name];
    const now = this.#clock.nowMs();
    const window = this.#window(name, subject, now, cost > 0);
    const over = cost === 0 ? window.count >= policy.quota : window.count + cost > policy.quota;
    if (!over) window.count += cost;
    const resetMs = window.startMs + policy.windowSeconds * 1000 - now;
    return {
      name,
      policy,
      over,
      remaining: Math.max(0, policy.quota - window.count),
      resetSeconds: Math.max(1, Math.ceil(resetMs / 1000)),
    };
  }

  /**
   * Gives back one unit `#check` took for `subject` under `name`, if its window still runs (a
   * login that did not fail).
   */
  #refund(name: PolicyName, subject: string): void {
    const window = this.#windows.get(`${name}\n${subject}`);
    if (window && window.count > 0) window.count -= 1;
  }

  /**
   * The steps for `route`: per client address (before authentication, so guessed tokens count),
   * per token (right after authentication), and for createSession, after validation, failed
   * logins per email and per address. Each does nothing while limits are off.
   */
  steps(route: OperationRoute): {
    beforeAuth: RequestHandler[];
    afterAuth: RequestHandler[];
    afterValidation: RequestHandler[];
  } {
    return {
      beforeAuth: [this.#perAddress()],
      afterAuth: route.secured ? [this.#perToken()] : [],
      afterValidation: route.operationId === LOGIN_OPERATION ? [this.#perLogin()] : [],
    };
  }

  #apply(res: Response, verdicts: (Verdict & { over: boolean })[]): void {
    const all = [...((res.locals.rateLimits as Verdict[] | undefined) ?? []), ...verdicts];
    res.locals.rateLimits = all;
    res.set(
      'RateLimit-Policy',
      all
        .map((v) => `"${HEADER_NAMES[v.name]}";q=${v.policy.quota};w=${v.policy.windowSeconds}`)
        .join(', '),
    );
    res.set(
      'RateLimit',
      all.map((v) => `"${HEADER_NAMES[v.name]}";r=${v.remaining};t=${v.resetSeconds}`).join(', '),
    );
    const over = verdicts.filter((v) => v.over);
    if (over.length === 0) return;
    const wait = Math.max(...over.map((v) => v.resetSeconds));
    res.set('Retry-After', String(wait));
    const what = over.map((v) => DESCRIPTIONS[v.name]).join(' and ');
    throw problem('rate_limited', `Too many ${what}; retry in ${wait} seconds`);
  }

  #perAddress(): RequestHandler {
    return (req, res, next) => {
      if (!this.#settings.enabled) return next();
      this.#apply(res, [this.#check('address', addressOf(req), 1)]);
      next();
    };
  }

  #perToken(): RequestHandler {
    return (_req, res, next) => {
      if (!this.#settings.enabled) return next();
      const caller = res.locals.caller as Caller | undefined;
      if (caller) this.#apply(res, [this.#check('token', caller.token.id, 1)]);
      next();
    };
  }

  /**
   * Refuses a login once failures used up a login quota. Each login takes one unit of both
   * quotas up front, given back when it does not fail (401): the RateLimit header of a failed
   * login then counts that failure, and logins running in parallel cannot all pass the check
   * before any of them is counted.
   */
  #perLogin(): RequestHandler {
    return (req, res, next) => {
      if (!this.#settings.enabled) return next();
      const email = String((req.body as { email?: unknown }).email ?? '').toLowerCase();
      const address = addressOf(req);
      const verdicts = [
        this.#check('loginEmail', email, 1),
        this.#check('loginAddress', address, 1),
      ];
      const taken = [
        ...(verdicts[0]?.over ? [] : [['loginEmail', email] as const]),
        ...(verdicts[1]?.over ? [] : [['loginAddress', address] as const]),
      ];
      res.once('close', () => {
        if (res.statusCode === 401) return;
        for (const [name, subject] of taken) this.#refund(name, subject);
      });
      this.#apply(res, verdicts);
      next();
    };
  }
}

const DESCRIPTIONS: Record<PolicyName, string> = {
  token: 'requests with this token',
  address: 'requests from this address',
  loginEmail: 'failed logins for this email',
  loginAddress: 'failed logins from this address',
};

/** The client's address as the socket sees it (no proxy headers: the mock is not behind one). */
function addressOf(req: Request): string {
  return req.socket.remoteAddress ?? 'unknown';
}

/** API field names of the policies (openapi/hangar-admin.yaml `RateLimits`). */
const API_NAMES: Record<PolicyName, string> = {
  token: 'token',
  address: 'address',
  loginEmail: 'login_email',
  loginAddress: 'login_address',
};
const POLICY_NAMES = Object.keys(API_NAMES) as PolicyName[];
const MAX_QUOTA = 1_000_000_000;
const MAX_WINDOW_SECONDS = 31_536_000;

/** The `RateLimits` view of `settings` (openapi/hangar-admin.yaml). */
export function rateLimitsView(settings: RateLimitSettings) {
  const policy = (p: RateLimitPolicy) => ({ quota: p.quota, window_seconds: p.windowSeconds });
  return {
    enabled: settings.enabled,
    token: policy(settings.token),
    address: policy(settings.address),
    login_email: policy(settings.loginEmail),
    login_address: policy(settings.loginAddress),
  };
}

/**
 * A `SetRateLimitsRequest` body (openapi/hangar-admin.yaml) as a settings change.
 * @throws ProblemError 400 `validation_failed` naming the first failing field (`body.token.quota`).
 */
export function parseRateLimitsChange(body: unknown): Partial<RateLimitSettings> {
  const bad = (field: string, message: string) =>
    problem('validation_failed', `${field}: ${message}`, { errors: [{ field, message }] });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw bad('body', 'must be a JSON object');
  }
  const change: Partial<RateLimitSettings> = {};
  const known = new Set(['enabled', ...Object.values(API_NAMES)]);
  for (const [field, value] of Object.entries(body)) {
    if (!known.has(field)) throw bad(`body.${field}`, `unknown field "${field}"`);
    if (field === 'enabled') {
      if (typeof value !== 'boolean') throw bad('body.enabled', 'must be true or false');
      change.enabled = value;
    }
  }
  const integer = (value: unknown, field: string, max: number) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
      throw bad(field, `must be an integer from 1 to ${max}`);
    }
    return value;
  };
  for (const name of POLICY_NAMES) {
    const value = (body as Record<string, unknown>)[API_NAMES[name]];
    if (value === undefined) continue;
    const at = `body.${API_NAMES[name]}`;
    if (typeof value !== 'object' || value === null) throw bad(at, 'must be an object');
    for (const field of Object.keys(value)) {
      if (field !== 'quota' && field !== 'window_seconds') {
        throw bad(`${at}.${field}`, `unknown field "${field}"`);
      }
    }
    const { quota, window_seconds } = value as Record<string, unknown>;
    change[name] = {
      quota: integer(quota, `${at}.quota`, MAX_QUOTA),
      windowSeconds: integer(window_seconds, `${at}.window_seconds`, MAX_WINDOW_SECONDS),
    };
  }
  return change;
}
