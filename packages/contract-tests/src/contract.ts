/**
 * The contract as the suite reads it, through `@hangar/contract` (openapi/hangar.yaml, read
 * once): its operations, the operation a request is for, and a check of every response against
 * the schemas (Ajv, JSON Schema 2020-12) and the contract's prose about problems.
 */
import { type ContractOperation, type Json, loadContract as loadDocument } from '@hangar/contract';

export type { ContractOperation } from '@hangar/contract';

/** The loaded contract. */
export interface Contract {
  document: Json;
  operations: readonly ContractOperation[];
  /** @throws Error when the contract has no such operation. */
  operation(operationId: string): ContractOperation;
  /** The operation a request (method, pathname) is for, or undefined if the contract has none. */
  match(method: string, pathname: string): ContractOperation | undefined;
  /**
   * Checks one response against the contract. Returns the violations, each a readable
   * sentence; empty when the response is one the contract allows. `body` is the raw text.
   */
  check(operationId: string, status: number, contentType: string | null, body: string): string[];
}

/**
 * The contract document `name` (default `hangar`: openapi/hangar.yaml).
 * @throws if the document is not shipped or does not parse.
 */
export function loadContract(name = 'hangar'): Contract {
  const contract = loadDocument(name);
  return {
    document: contract.document,
    operations: contract.operations,
    operation: (operationId) => contract.operation(operationId),
    match: (method, pathname) => contract.match(method, pathname),
    check(operationId, status, contentType, body) {
      if (!contract.operations.some((op) => op.operationId === operationId)) {
        return [`${operationId} is not in the contract`];
      }
      const violations = contract.checkResponse(operationId, status, contentType, body);
      const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
      const declared = contract.operation(operationId).responses[String(status)]?.content ?? {};
      if (mediaType === 'application/problem+json' && mediaType in declared) {
        try {
          violations.push(...checkProblem(status, JSON.parse(body)));
        } catch {
          // Not JSON: checkResponse said so.
        }
      }
      return violations;
    },
  };
}

/** The test controls' document (openapi/hangar-admin.yaml, `/_admin`); its problems refer into hangar.yaml. */
export function loadAdminContract(): Contract {
  return loadContract('hangar-admin');
}

/** What the contract says in prose about problems: `status` repeats the HTTP status, `type` names the code. */
function checkProblem(status: number, value: unknown): string[] {
  const problem = value as Json;
  const violations: string[] = [];
  if (problem.status !== status) {
    violations.push(
      `problem.status ${String(problem.status)} differs from the HTTP status ${status}`,
    );
  }
  const expectedType = `https://hangar.dev/problems/${String(problem.code)}`;
  if (problem.type !== expectedType) {
    violations.push(`problem.type ${String(problem.type)} is not ${expectedType}`);
  }
  return violations;
}
