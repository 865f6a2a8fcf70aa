import type { Action } from '@hangar/tokens';
import { ACTIONS } from '@hangar/tokens';
import type { ContractDocument } from '../contract.js';
import type { OperationId } from '../operations.js';

/**
 * The access an operation needs, read from the contract's `x-hangar-access`: the one
 * authorization table (docs/architecture.md#authorization-order). `level` says which caveats apply:
 * `none` (any valid token), `org` (the whole org), `app` (one app), `owner` (the org or app of
 * the token being read or revoked, decided per token).
 */
export interface Access {
  resource: string;
  action: Action;
  level: 'none' | 'org' | 'app' | 'owner';
}

/** One contract operation as the server routes it. */
export interface OperationRoute {
  operationId: OperationId;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path, `/v1/orgs/{org}`. */
  path: string;
  /** Express path, `/v1/orgs/:org`. */
  expressPath: string;
  /** False only for operations with `security: []` (createSession). */
  secured: boolean;
  /** Whether the operation declares a `requestBody`; one that does not refuses any body. */
  takesBody: boolean;
  access: Access;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const LEVELS = ['none', 'org', 'app', 'owner'] as const;

/**
 * Reads every operation of the contract with its `x-hangar-access`.
 * @throws Error naming the operation when `x-hangar-access` is missing or invalid: the server
 *   refuses to start rather than guess an operation's access.
 */
export function readOperations(contract: ContractDocument): OperationRoute[] {
  const globalSecured = Array.isArray(contract.security) && contract.security.length > 0;
  const routes: OperationRoute[] = [];
  for (const [path, item] of Object.entries(contract.paths)) {
    for (const method of METHODS) {
      const op = item[method] as Record<string, unknown> | undefined;
      if (!op) continue;
      const operationId = op.operationId as OperationId;
      const access = op['x-hangar-access'] as Partial<Access> | undefined;
      if (
        !access ||
        typeof access.resource !== 'string' ||
        !ACTIONS.includes(access.action as Action) ||
        !LEVELS.includes(access.level as Access['level'])
      ) {
        throw new Error(`contract: ${operationId} has no valid x-hangar-access`);
      }
      const security = op.security as unknown[] | undefined;
      routes.push({
        operationId,
        method,
        path,
        expressPath: path.replace(/\{([^}]+)\}/g, ':$1'),
        secured: security === undefined ? globalSecured : security.length > 0,
        takesBody: op.requestBody !== undefined,
        access: {
          resource: access.resource,
          action: access.action as Action,
          level: access.level as Access['level'],
        },
      });
    }
  }
  return routes;
}
