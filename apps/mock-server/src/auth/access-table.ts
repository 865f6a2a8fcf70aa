import type { Contract, ContractOperation } from '@hangar/contract';
import type { Action } from '@hangar/tokens';
import { ACTIONS } from '@hangar/tokens';
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
  /** The operation as `@hangar/contract` reads it: path template, matcher, schemas. */
  operation: ContractOperation;
  /** False only for operations with `security: []` (createSession). */
  secured: boolean;
  /** Whether the operation declares a `requestBody`; one that does not refuses any body. */
  takesBody: boolean;
  access: Access;
}

const LEVELS = ['none', 'org', 'app', 'owner'] as const;

/**
 * Every operation of the contract with its `x-hangar-access`, checked.
 * @throws Error naming the operation when `x-hangar-access` is missing or invalid: the server
 *   refuses to start rather than guess an operation's access.
 */
export function readOperations(contract: Contract): OperationRoute[] {
  return contract.operations.map((operation) => {
    const access = operation.access;
    if (
      !access ||
      typeof access.resource !== 'string' ||
      !ACTIONS.includes(access.action as Action) ||
      !LEVELS.includes(access.level as Access['level'])
    ) {
      throw new Error(`contract: ${operation.operationId} has no valid x-hangar-access`);
    }
    return {
      operationId: operation.operationId as OperationId,
      operation,
      secured: operation.secured,
      takesBody: operation.requestBody !== undefined,
      access: {
        resource: access.resource,
        action: access.action as Action,
        level: access.level as Access['level'],
      },
    };
  });
}
