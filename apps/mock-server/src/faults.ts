/**
 * Faults on demand (openapi/hangar-admin.yaml, `createFault`): rules that make `/v1` operations
 * answer an error status, wait, or drop the connection before or after the operation runs, and
 * the whole-server latency of `hangar-mock --latency`. The rules live in memory and are wiped by
 * `/_admin/reset`.
 */
import { randomBytes } from 'node:crypto';
import type { AdminComponents } from '@hangar/sdk/admin';
import type { RequestHandler } from 'express';
import { formatTimeMs } from './clock.js';
import type { OperationId } from './operations.js';
import { redactSecrets } from './redact.js';

/** A rule as the admin API shows it. */
export type Fault = AdminComponents['schemas']['Fault'];
/** A rule as `createFault` takes it, once checked (routes/faults.ts). */
export type FaultRule = Omit<Fault, 'id' | 'fired' | 'remaining' | 'created_at'>;

interface Held {
  fault: Fault;
  matchPath: RegExp | undefined;
  /** Uniform in [0, 1): seeded (mulberry32) when the rule has a seed. */
  draw: () => number;
}

/**
 * A path pattern as a regular expression: `*` or `{name}` is one segment, a final `**` any rest,
 * everything else literal (e.g. `/v1/orgs/*\/tokens/org`).
 */
export function pathPattern(pattern: string): RegExp {
  const segments = pattern.split('/').map((segment, i, all) => {
    if (segment === '**' && i === all.length - 1) return '.*';
    if (segment === '*' || /^\{\w+\}$/.test(segment)) return '[^/]+';
    return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  return new RegExp(`^${segments.join('/')}$`);
}

/**
 * Why `pattern` could never match a request a fault rule sees, or null when it can: rules apply
 * only to the contract's operations, all under `/v1` (app.ts; `/_admin` and the rest are never
 * matched), and {@link pathPattern} reads `**` as "any rest" only as the whole last segment (`*`
 * only as a whole segment: elsewhere both are literal characters no request path carries).
 */
export function unmatchablePath(pattern: string): string | null {
  const segments = pattern.split('/').slice(1);
  const first = segments[0] ?? '';
  if (!['v1', '*', '**'].includes(first) && !/^\{\w+\}$/.test(first)) {
    return 'must be under /v1 (e.g. /v1/orgs/*/tokens/**): fault rules apply only to /v1 operations, never to /_admin or other paths';
  }
  const misplaced = segments.some(
    (segment, i) =>
      (segment === '**' && i !== segments.length - 1) ||
      (segment !== '*' && segment !== '**' && segment.includes('*')),
  );
  if (misplaced) {
    return 'may use * or {name} only as a whole segment (one segment) and ** only as the whole last segment (any rest), e.g. /v1/orgs/*/tokens/**';
  }
  return null;
}

/** Mulberry32: a small seeded generator, enough for repeatable fault draws (not for secrets). */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The rules, in the order they are tried. */
export class FaultRules {
  readonly #rules: Held[] = [];
  #resets = 0;

  constructor(
    /** The server clock's time in ms (for `created_at`). */
    private readonly nowMs: () => number,
    /** Every operationId of the contract: `operation_id` must name one. */
    readonly operationIds: ReadonlySet<string>,
  ) {}

  add(rule: FaultRule): Fault {
    const fault: Fault = {
      id: `flt_${randomBytes(8).toString('hex')}`,
      ...rule,
      fired: 0,
      remaining: rule.times,
      created_at: formatTimeMs(this.nowMs()),
    };
    this.#rules.push({
      fault,
      matchPath: rule.path === null ? undefined : pathPattern(rule.path),
      draw: rule.seed === null ? Math.random : seeded(rule.seed),
    });
    return { ...fault };
  }

  list(): Fault[] {
    return this.#rules.map(({ fault }) => ({ ...fault }));
  }

  /** Removes one rule; the rule as it was, or undefined when none has this id. */
  delete(id: string): Fault | undefined {
    const at = this.#rules.findIndex(({ fault }) => fault.id === id);
    if (at < 0) return undefined;
    return { ...(this.#rules.splice(at, 1)[0] as Held).fault };
  }

  /** Removes every rule; how many there were. */
  clear(): number {
    return this.#rules.splice(0).length;
  }

  /** How many times the server was reset; a request waiting across one is dropped (faultStep). */
  get resets(): number {
    return this.#resets;
  }

  /** `resetServer`: removes every rule and drops the requests still waiting (faultStep). */
  reset(): void {
    this.clear();
    this.#resets += 1;
  }

  /**
   * The rule that fires on this request, counted as fired: the first that matches, is not
   * spent and whose probability draw succeeds.
   */
  fire(operationId: string, method: string, path: string): Fault | undefined {
    for (const held of this.#rules) {
      const { fault } = held;
      if (fault.remaining === 0) continue;
      if (fault.operation_id !== null && fault.operation_id !== operationId) continue;
      if (fault.method !== null && fault.method !== method) continue;
      if (held.matchPath && !held.matchPath.test(path)) continue;
      if (fault.probability < 1 && !(held.draw() < fault.probability)) continue;
      fault.fired += 1;
      if (fault.remaining !== null) fault.remaining -= 1;
      return fault;
    }
    return undefined;
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The first step of every `/v1` operation: notes the operation (for the journal), waits the
 * server-wide `latencyMs`, then applies the fault rule that fires, if any: its latency, then an
 * error answer, a drop before the operation, or a drop after it (the operation runs and commits;
 * the answer is discarded and the socket destroyed instead of sent). A request still waiting
 * when the server is reset (`resetServer`) is dropped before its operation runs, as at a
 * restart, so it cannot write into the state the reset made for the next test.
 */
export function faultStep(
  rules: FaultRules,
  operationId: OperationId,
  latencyMs: number,
): RequestHandler {
  return async (req, res, next) => {
    res.locals.operationId = operationId;
    const resets = rules.resets;
    if (latencyMs > 0) {
      await delay(latencyMs);
      if (rules.resets !== resets) return void req.socket.destroy();
    }
    const fault = rules.fire(operationId, req.method, req.path);
    if (!fault) return next();
    res.locals.faultId = fault.id;
    if (fault.latency_ms) {
      await delay(fault.latency_ms);
      if (rules.resets !== resets) return void req.socket.destroy();
    }
    if (fault.drop === 'before') return void req.socket.destroy();
    if (fault.status !== null) return void sendFault(res, fault, req.path);
    if (fault.drop === 'after') {
      // Whatever the operation answers is not sent: the client sees the connection close.
      res.end = (() => {
        req.socket.destroy();
        return res;
      }) as typeof res.end;
    }
    next();
  };
}

/** The error answer of a rule with a `status`: an RFC 9457 problem, `Retry-After` if asked. */
function sendFault(res: Parameters<RequestHandler>[1], fault: Fault, path: string) {
  const status = fault.status as number;
  if (fault.retry_after_seconds !== null) res.set('Retry-After', String(fault.retry_after_seconds));
  res
    .status(status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: `https://hangar.dev/problems/${fault.code}`,
        title: 'Injected fault',
        status,
        detail: `Fault rule ${fault.id} answered ${status}`,
        instance: redactSecrets(path),
        code: fault.code,
      }),
    );
}
