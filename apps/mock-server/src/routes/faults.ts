import type { Request } from 'express';
import { type FaultRule, type FaultRules, unmatchablePath } from '../faults.js';
import { type FieldError, problem } from '../problems.js';
import type { AdminRoute } from './admin.js';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
const MAX_LATENCY_MS = 600_000;
const CODE = /^[a-z][a-z0-9_]{0,63}$/;

/** Reads `body.<name>` checks, collecting every failing field (as the contract's `errors`). */
class Fields {
  readonly errors: FieldError[] = [];
  constructor(private readonly body: Record<string, unknown>) {}

  fail(name: string, message: string): null {
    this.errors.push({ field: `body.${name}`, message });
    return null;
  }

  /** An integer in [min, max], or null when left out or null. */
  int(name: string, min: number, max: number): number | null {
    const value = this.body[name];
    if (value === undefined || value === null) return null;
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) {
      return value;
    }
    return this.fail(name, `must be an integer from ${min} to ${max}`);
  }

  /** A string passing `ok`, or null when left out or null. */
  text(name: string, ok: (value: string) => boolean, rule: string): string | null {
    const value = this.body[name];
    if (value === undefined || value === null) return null;
    return typeof value === 'string' && ok(value) ? value : this.fail(name, `must be ${rule}`);
  }
}

/**
 * A `createFault` body checked against FaultRule (openapi/hangar-admin.yaml).
 * @throws ProblemError `validation_failed` naming every failing field.
 */
export function parseFaultRule(input: unknown, operationIds: ReadonlySet<string>): FaultRule {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    const message = 'must be a JSON object';
    throw problem('validation_failed', `body: ${message}`, {
      errors: [{ field: 'body', message }],
    });
  }
  const f = new Fields(input as Record<string, unknown>);
  const rule: FaultRule = {
    operation_id: f.text(
      'operation_id',
      (v) => operationIds.has(v),
      'an operationId of hangar.yaml',
    ),
    method: f.text('method', (v) => METHODS.includes(v), `one of ${METHODS.join(', ')}`),
    path: f.text('path', (v) => v.startsWith('/'), 'a path pattern starting with /'),
    status: f.int('status', 400, 599),
    code: f.text('code', (v) => CODE.test(v), 'a problem code such as rate_limited'),
    retry_after_seconds: f.int('retry_after_seconds', 0, 86_400),
    latency_ms: f.int('latency_ms', 0, MAX_LATENCY_MS),
    drop: f.text('drop', (v) => v === 'before' || v === 'after', 'before or after') as
      | 'before'
      | 'after'
      | null,
    probability: 1,
    seed: f.int('seed', 0, 4_294_967_295),
    times: f.int('times', 1, Number.MAX_SAFE_INTEGER),
  };
  const probability = (input as Record<string, unknown>).probability;
  if (probability !== undefined) {
    if (typeof probability === 'number' && probability >= 0 && probability <= 1) {
      rule.probability = probability;
    } else f.fail('probability', 'must be a number from 0 to 1');
  }
  if (f.errors.length === 0) {
    const unmatchable = rule.path === null ? null : unmatchablePath(rule.path);
    if (unmatchable !== null) f.fail('path', unmatchable);
    if (rule.operation_id === null && rule.method === null && rule.path === null) {
      f.fail('operation_id', 'give operation_id, method or path: what the rule matches');
    }
    if (rule.status === null && rule.drop === null && rule.latency_ms === null) {
      f.fail('status', 'give status, drop or latency_ms: what the rule does');
    }
    if (rule.status !== null && rule.drop !== null) f.fail('drop', 'cannot go with status');
    if (rule.status === null && rule.retry_after_seconds !== null) {
      f.fail('retry_after_seconds', 'needs status');
    }
    if (rule.status === null && rule.code !== null) f.fail('code', 'needs status');
  }
  if (f.errors.length > 0) {
    const detail = f.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    throw problem('validation_failed', detail, { errors: f.errors });
  }
  if (rule.status !== null && rule.code === null) {
    rule.code = rule.status === 429 ? 'rate_limited' : 'injected_fault';
  }
  return rule;
}

/** The admin routes of the fault rules (openapi/hangar-admin.yaml, tag `faults`). */
export function faultRoutes(rules: FaultRules): {
  listFaults: AdminRoute<'listFaults'>;
  createFault: AdminRoute<'createFault'>;
  clearFaults: AdminRoute<'clearFaults'>;
  deleteFault: AdminRoute<'deleteFault'>;
} {
  return {
    listFaults: {
      path: '/_admin/faults',
      method: 'get',
      handle: () => ({ items: rules.list() }),
    },
    createFault: {
      path: '/_admin/faults',
      method: 'post',
      status: 201,
      accepts: ['application/json'],
      handle: (req: Request) => rules.add(parseFaultRule(req.body, rules.operationIds)),
    },
    clearFaults: {
      path: '/_admin/faults',
      method: 'delete',
      handle: () => ({ deleted: rules.clear() }),
    },
    deleteFault: {
      path: '/_admin/faults/{fault_id}',
      method: 'delete',
      handle: (req: Request) => {
        const id = String(req.params.fault_id);
        const deleted = rules.delete(id);
        if (!deleted) throw problem('not_found', `No fault rule ${id}`);
        return deleted;
      },
    },
  };
}
