import type { Request } from 'express';
import type { Journal, JournalFilter } from '../journal.js';
import type { FieldError } from '../problems.js';
import { problem } from '../problems.js';
import type { AdminRoute } from './admin.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
/** The query parameters of `countRequests`; `listRequests` takes `limit` too. */
const COUNT_PARAMS = ['operation_id', 'status', 'token_id', 'since'] as const;
const LIST_PARAMS = [...COUNT_PARAMS, 'limit'] as const;

/** One query parameter as a string, or undefined (a repeated one counts as bad). */
function param(req: Request, name: string, errors: FieldError[]): string | undefined {
  const value = req.query[name];
  if (value === undefined || typeof value === 'string') return value;
  errors.push({ field: `query.${name}`, message: 'must be given once' });
  return undefined;
}

/** An integer query parameter in [min, max]. */
function intParam(req: Request, name: string, min: number, max: number, errors: FieldError[]) {
  const text = param(req, name, errors);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (/^\d+$/.test(text) && value >= min && value <= max) return value;
  errors.push({ field: `query.${name}`, message: `must be an integer from ${min} to ${max}` });
  return undefined;
}

/**
 * The journal filter and `limit` of a request's query (openapi/hangar-admin.yaml).
 * @throws ProblemError `validation_failed` naming every bad parameter.
 */
function filterOf(
  req: Request,
  operationIds: ReadonlySet<string>,
  known: readonly string[] = LIST_PARAMS,
): { filter: JournalFilter; limit: number } {
  const errors: FieldError[] = [];
  // An unknown parameter (`method`, `path`) is refused, not ignored: ignored, the filter a test
  // meant would match every entry and its assertion would pass for the wrong reason.
  for (const name of Object.keys(req.query)) {
    if (!known.includes(name)) {
      errors.push({
        field: `query.${name}`,
        message: `is not a filter; the filters are ${known.join(', ')}`,
      });
    }
  }
  const since = param(req, 'since', errors);
  const sinceMs = since !== undefined && RFC3339.test(since) ? Date.parse(since) : undefined;
  if (since !== undefined && (sinceMs === undefined || Number.isNaN(sinceMs))) {
    errors.push({ field: 'query.since', message: 'must be an RFC 3339 time' });
  }
  const operationId = param(req, 'operation_id', errors);
  if (operationId !== undefined && !operationIds.has(operationId)) {
    // A typo would match nothing, and "it was never called" would pass for the wrong reason.
    errors.push({ field: 'query.operation_id', message: 'must be an operationId of hangar.yaml' });
  }
  const filter: JournalFilter = {
    operationId,
    status: intParam(req, 'status', 100, 599, errors),
    tokenId: param(req, 'token_id', errors),
    sinceMs,
  };
  const limit = intParam(req, 'limit', 1, MAX_LIMIT, errors) ?? DEFAULT_LIMIT;
  if (errors.length > 0) {
    const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    throw problem('validation_failed', detail, { errors });
  }
  return { filter, limit };
}

/** The admin routes of the request journal (openapi/hangar-admin.yaml, tag `journal`). */
export function journalRoutes(
  journal: Journal,
  /** Every operationId of hangar.yaml: the `operation_id` filter must name one. */
  operationIds: ReadonlySet<string>,
): {
  listRequests: AdminRoute<'listRequests'>;
  countRequests: AdminRoute<'countRequests'>;
  clearRequests: AdminRoute<'clearRequests'>;
} {
  return {
    listRequests: {
      path: '/_admin/requests',
      method: 'get',
      handle: (req: Request) => {
        const { filter, limit } = filterOf(req, operationIds);
        return { items: journal.list(filter, limit) };
      },
    },
    countRequests: {
      path: '/_admin/requests/count',
      method: 'get',
      handle: (req: Request) => ({
        count: journal.count(filterOf(req, operationIds, COUNT_PARAMS).filter),
      }),
    },
    clearRequests: {
      path: '/_admin/requests',
      method: 'delete',
      handle: () => ({ deleted: journal.clear() }),
    },
  };
}
