import { loadContract } from '@hangar/contract';
import type { components } from '@hangar/sdk';
import { type OperationRoute, readOperations } from '../auth/access-table.js';
import {
  type AccessDecision,
  decideAccess,
  type Target,
  visibleApp,
  visibleOrg,
} from '../auth/authorize.js';
import { resourcesWord } from '../auth/resource-words.js';
import type { HandlerMap } from '../context.js';
import { ProblemError, problem } from '../problems.js';

type AccessCheck = components['schemas']['AccessCheck'];
type AccessCheckRequest = components['schemas']['AccessCheckRequest'];

let table: OperationRoute[] | undefined;

/** The contract's operations with their `x-hangar-access` (the server's one table), read once. */
function accessTable(): OperationRoute[] {
  table ??= readOperations(loadContract());
  return table;
}

/** The first success status the contract declares for an operation (201 for creates, ...). */
function successStatus(route: OperationRoute): 200 | 201 | 204 {
  const status = Object.keys(route.operation.responses).find((s) => /^2\d\d$/.test(s));
  return Number(status ?? 200) as 200 | 201 | 204;
}

/**
 * The `x-hangar-access` row a check applies, by the target it names: with an app, the app-level
 * row, else the `owner` row on a token of that app (revokeToken: a deploy token belongs to its
 * app), else the org-level one on the app's org (as deleteApp); with only an org, the org-level
 * row, else the `owner` row on a token of that org; with neither, the row that needs no target.
 * @throws ProblemError 400 `validation_failed` naming the field to add (or drop).
 */
function rowFor(request: AccessCheckRequest): OperationRoute {
  const rows = accessTable().filter(
    (r) => r.access.resource === request.resource && r.access.action === request.action,
  );
  const at = (level: OperationRoute['access']['level']) =>
    rows.find((r) => r.access.level === level);
  const what = `${request.action} on ${resourcesWord(request.resource)}`;
  const refuse = (field: string, message: string) =>
    problem('validation_failed', `${field}: ${message}`, { errors: [{ field, message }] });
  if (request.app !== undefined) {
    const row = at('app') ?? at('owner') ?? at('org');
    if (!row) throw refuse('body.app', `no operation does ${what} of one app; leave app out`);
    return row;
  }
  if (request.org !== undefined) {
    const row = at('org') ?? at('owner');
    if (row) return row;
    throw refuse('body.org', `no operation does ${what} of a whole organization; name an app`);
  }
  const row = at('none');
  if (!row) throw refuse('body.org', `${what} needs a target: name an org or an app`);
  return row;
}

/**
 * checkAccess: what the caller's token would get, decided by the same functions every operation
 * uses (visibleOrg / visibleApp for 404, decideAccess for 403: auth/authorize.ts) on the
 * operation's own `x-hangar-access` row. No side effects: the request's authentication skips
 * the last-use write (app.ts), and nothing is stored or recorded.
 */
export const accessCheckHandlers = {
  checkAccess(ctx) {
    ctx.authorizeCaller();
    const { caller, services } = ctx;
    const request = ctx.body;
    const route = rowFor(request);
    const { access } = route;
    const answer = (status: AccessCheck['status'], decision: AccessDecision) => ({
      status: 200 as const,
      body: {
        allowed: decision.allowed,
        status,
        operation: route.operationId,
        required_access: decision.required,
        caveat: decision.caveat,
        detail: decision.detail,
      },
    });
    let target: Target;
    try {
      if (request.app !== undefined) {
        const app = visibleApp(services, caller, request.app);
        if (request.org !== undefined && request.org !== app.org_slug) {
          throw problem('not_found', `No app "${request.app}" in organization "${request.org}"`);
        }
        const org = { id: app.org_id, slug: app.org_slug };
        // An `owner` row on an app's token is decided on the app, as tokenTarget does.
        target =
          access.level === 'app' || access.level === 'owner'
            ? { level: 'app', org, app }
            : { level: 'org', org };
      } else if (request.org !== undefined) {
        const org = visibleOrg(services, caller, request.org);
        target = { level: 'org', org };
      } else {
        target = { level: 'none' };
      }
    } catch (error) {
      if (!(error instanceof ProblemError) || error.code !== 'not_found') throw error;
      const required = {
        resource: access.resource,
        action: access.action,
      } as AccessDecision['required'];
      if (request.org !== undefined) required.org = request.org;
      if (request.app !== undefined) required.app = request.app;
      return answer(404, { allowed: false, required, caveat: null, detail: error.message });
    }
    const decision = decideAccess(caller, access, target);
    return answer(decision.allowed ? successStatus(route) : 403, decision);
  },
} satisfies HandlerMap<'checkAccess'>;
