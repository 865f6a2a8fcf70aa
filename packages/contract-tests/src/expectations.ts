/**
 * The authorization matrix's expected outcomes, written once.
 *
 * Rows are an operation on a target; columns are token kinds. The six kinds that authenticate
 * have one status each per row (read the header comment as the column legend). The six kinds
 * that cannot authenticate get the same 401 on every row, with the problem code in UNAUTHENTICATED.
 * Derivation (docs/architecture.md#authorization-order):
 *   - 404 when the target is in an org (or, for deploy tokens, an app) the token cannot see;
 *   - 403 `forbidden` when it can see it but its scope/actions do not allow the access the
 *     operation declares in `x-hangar-access` (read-only: every mutation; deploy token: anything
 *     at org level, e.g. listing the org's apps, minting org tokens, deleting its own app);
 *   - else the operation's success status.
 * Targets: org A = alpha, org B = bravo; A1 = the deploy tokens' own app (alpha-one), A2 = a
 * sibling app in alpha, B1 = an app in bravo; tokA / tokB = an org token of alpha / bravo,
 * tokA1 / tokA2 = a deploy token of A1 / A2. `-` = no target.
 */

/**
 * The matrix's tokens, in column order (not the contract's `TokenKind`: these are the holders the
 * matrix tries, including refused ones such as `expired` and `missing`).
 */
export const MATRIX_TOKENS = [
  'personal',
  'orgA',
  'readonlyA',
  'deployA1',
  'deployA1ReadOnly',
  'orgB',
  'expired',
  'revoked',
  'attenuatedFromRevoked',
  'malformed',
  'truncated',
  'missing',
] as const;
export type MatrixToken = (typeof MATRIX_TOKENS)[number];

/** The matrix tokens that authenticate: their cells are written per row below. */
export const AUTHENTICATING_TOKENS = MATRIX_TOKENS.slice(0, 6) as readonly MatrixToken[];

/** Every row of the refused kinds: 401 with this problem code. */
export const UNAUTHENTICATED: Partial<Record<MatrixToken, string>> = {
  expired: 'token_expired',
  revoked: 'token_revoked',
  attenuatedFromRevoked: 'token_revoked',
  malformed: 'token_malformed',
  truncated: 'token_malformed',
  missing: 'unauthenticated',
};

export type Target = '-' | 'A' | 'B' | 'A1' | 'A2' | 'B1' | 'tokA' | 'tokA1' | 'tokA2' | 'tokB';

// biome-ignore format: the table is aligned by hand so its columns can be read.
const TABLE: Record<string, Partial<Record<Target, string>>> = {
  //                           personal orgA readonlyA deployA1 deployA1ReadOnly orgB
  getViewer:           { '-':   '200 200 200 200 200 200' },
  listOrgs:            { '-':   '200 200 200 200 200 200' },
  revokeCurrentToken:  { '-':   '200 200 403 200 403 200' },
  getOrg:              { A:     '200 200 200 403 403 404', B:  '200 404 404 404 404 200' },
  listApps:            { A:     '200 200 200 403 403 404', B:  '200 404 404 404 404 200' },
  createApp:           { A:     '201 201 403 403 403 404', B:  '201 404 404 404 404 201' },
  listOrgTokens:       { A:     '200 200 200 403 403 404', B:  '200 404 404 404 404 200' },
  createOrgToken:      { A:     '201 201 403 403 403 404', B:  '201 404 404 404 404 201' },
  createReadonlyToken: { A:     '201 201 403 403 403 404', B:  '201 404 404 404 404 201' },
  getApp:              { A1:    '200 200 200 200 200 404', A2: '200 200 200 404 404 404', B1: '200 404 404 404 404 200' },
  deleteApp:           { A1:    '204 204 403 403 403 404', A2: '204 204 403 404 404 404', B1: '204 404 404 404 404 204' },
  listMachines:        { A1:    '200 200 200 200 200 404', A2: '200 200 200 404 404 404', B1: '200 404 404 404 404 200' },
  createMachine:       { A1:    '201 201 403 201 403 404', A2: '201 201 403 404 404 404', B1: '201 404 404 404 404 201' },
  getMachine:          { A1:    '200 200 200 200 200 404', A2: '200 200 200 404 404 404', B1: '200 404 404 404 404 200' },
  startMachine:        { A1:    '200 200 403 200 403 404', A2: '200 200 403 404 404 404', B1: '200 404 404 404 404 200' },
  stopMachine:         { A1:    '200 200 403 200 403 404', A2: '200 200 403 404 404 404', B1: '200 404 404 404 404 200' },
  deleteMachine:       { A1:    '204 204 403 204 403 404', A2: '204 204 403 404 404 404', B1: '204 404 404 404 404 204' },
  listAppTokens:       { A1:    '200 200 200 200 200 404', A2: '200 200 200 404 404 404', B1: '200 404 404 404 404 200' },
  createDeployToken:   { A1:    '201 201 403 201 403 404', A2: '201 201 403 404 404 404', B1: '201 404 404 404 404 201' },
  getToken:            { tokA:  '200 200 200 403 403 404', tokA1: '200 200 200 200 200 404',
                         tokA2: '200 200 200 404 404 404', tokB:  '200 404 404 404 404 200' },
  revokeToken:         { tokA:  '200 200 403 403 403 404', tokA1: '200 200 403 200 403 404',
                         tokA2: '200 200 403 404 404 404', tokB:  '200 404 404 404 404 200' },
  // Personal tokens are seen only by a token not limited to an org or apps: 404 for the others.
  listPersonalTokens:  { '-':   '200 404 404 404 404 404' },
  // Whoever may revoke a token may rotate it: revokeToken's and revokeCurrentToken's cells, 201.
  rotateCurrentToken:  { '-':   '201 201 403 201 403 201' },
  rotateToken:         { tokA:  '201 201 403 403 403 404', tokA1: '201 201 403 201 403 404',
                         tokA2: '201 201 403 404 404 404', tokB:  '201 404 404 404 404 201' },
  checkAccess:         { '-':   '200 200 200 200 200 200' },
  listOrgEvents:       { A:     '200 200 200 403 403 404', B:  '200 404 404 404 404 200' },
  listAppEvents:       { A1:    '200 200 200 200 200 404', A2: '200 200 200 404 404 404', B1: '200 404 404 404 404 200' },
  // Trust policies: read at org level to see, write at org level to create or delete.
  listTrustPolicies:   { A:     '200 200 200 403 403 404', B:  '200 404 404 404 404 200' },
  createTrustPolicy:   { A:     '201 201 403 403 403 404', B:  '201 404 404 404 404 201' },
  getTrustPolicy:      { A:     '200 200 200 403 403 404', B:  '200 404 404 404 404 200' },
  deleteTrustPolicy:   { A:     '204 204 403 403 403 404', B:  '204 404 404 404 404 204' },
};

/** One expected cell: the status, and the problem code when it is an error. */
export interface Expected {
  status: number;
  code: string | undefined;
}

/** One row of the matrix. */
export interface MatrixRow {
  operationId: string;
  target: Target;
  /** `getOrg(B)`, `getViewer`: how the row is named in output. */
  label: string;
  expected: Record<MatrixToken, Expected>;
}

const CODE_OF_STATUS: Record<number, string> = { 403: 'forbidden', 404: 'not_found' };

/** The rows of the matrix, expanded from TABLE. @throws if a row has the wrong number of cells. */
export function matrixRows(): MatrixRow[] {
  return Object.entries(TABLE).flatMap(([operationId, byTarget]) =>
    Object.entries(byTarget).map(([target, cells]) => {
      const statuses = (cells as string).split(/\s+/).map(Number);
      if (statuses.length !== AUTHENTICATING_TOKENS.length) {
        throw new Error(
          `${operationId}(${target}) has ${statuses.length} cells, not ${AUTHENTICATING_TOKENS.length}`,
        );
      }
      const expected = {} as Record<MatrixToken, Expected>;
      AUTHENTICATING_TOKENS.forEach((kind, i) => {
        const status = statuses[i] as number;
        expected[kind] = { status, code: CODE_OF_STATUS[status] };
      });
      for (const [kind, code] of Object.entries(UNAUTHENTICATED)) {
        expected[kind as MatrixToken] = { status: 401, code };
      }
      const label = target === '-' ? operationId : `${operationId}(${target})`;
      return { operationId, target: target as Target, label, expected };
    }),
  );
}
