/**
 * Runs the authorization matrix: each cell is one operation on one target with one kind of
 * token. Cells of mutating operations get fresh targets (a throwaway app, machine or token made
 * with the personal token), so a delete or revoke in one cell cannot change another.
 */
import {
  AUTHENTICATING_TOKENS,
  type Expected,
  MATRIX_TOKENS,
  type MatrixRow,
  type MatrixToken,
} from './expectations.js';
import { type CallTargets, matrixPolicyBody, OPERATION_CALLS, problemCode } from './operations.js';
import {
  APP_A1,
  APP_A2,
  APP_B1,
  expectStatus,
  ORG_A,
  ORG_B,
  readOnly,
  USER,
  type World,
} from './world.js';

/** What one cell answered, next to what the table expects. */
export interface CellResult {
  kind: MatrixToken;
  expected: Expected;
  status: number;
  code: string | undefined;
  /** Why the cell is wrong; empty when it matches. */
  mismatches: string[];
}

const APP_OF: Record<string, string> = { A1: APP_A1, A2: APP_A2, B1: APP_B1 };
const ORG_OF_TARGET: Record<string, string> = {
  A: ORG_A,
  B: ORG_B,
  A1: ORG_A,
  A2: ORG_A,
  B1: ORG_B,
};
const isDeployKind = (kind: MatrixToken) => kind === 'deployA1' || kind === 'deployA1ReadOnly';

/** The targets and the token of one cell, fresh where the operation changes them. */
async function prepare(
  world: World,
  row: MatrixRow,
  kind: MatrixToken,
): Promise<{ targets: CallTargets; token: string | undefined }> {
  const app = APP_OF[row.target] ?? APP_A1;
  const targets: CallTargets = {
    org: ORG_OF_TARGET[row.target] ?? ORG_A,
    app,
    machine: world.machines.get(app) ?? '',
    tokenId: world.subjects.get(row.target as 'tokA') ?? '',
    newApp: world.uniqueName(),
    policyId: '',
  };
  let token = world.tokens[kind];
  switch (row.operationId) {
    case 'deleteApp': {
      targets.app = await world.createApp(targets.org);
      // A1 is the deploy token's own app: give the cell a deploy token for the fresh app.
      if (row.target === 'A1' && isDeployKind(kind)) {
        const deploy = (await world.createToken('deploy', targets.app)).token;
        token = kind === 'deployA1' ? deploy : readOnly(deploy);
      }
      break;
    }
    case 'startMachine':
    case 'stopMachine':
    case 'deleteMachine': {
      targets.machine = (await world.createMachine(app)).id;
      if (row.operationId === 'startMachine') {
        await expectStatus(
          'stop fresh machine',
          200,
          world.personal.POST('/v1/apps/{app}/machines/{machine}/stop', {
            params: { path: { app, machine: targets.machine } },
          }),
        );
      }
      break;
    }
    case 'revokeToken':
    case 'rotateToken': {
      const subject =
        row.target === 'tokA' || row.target === 'tokB'
          ? await world.createToken('org', row.target === 'tokA' ? ORG_A : ORG_B, {
              name: `${row.operationId} subject`,
            })
          : await world.createToken('deploy', row.target === 'tokA1' ? APP_A1 : APP_A2, {
              name: `${row.operationId} subject`,
            });
      targets.tokenId = subject.id;
      break;
    }
    case 'getTrustPolicy':
    case 'deleteTrustPolicy': {
      const created = await expectStatus(
        'create trust policy',
        201,
        world.personal.POST('/v1/orgs/{org}/trust-policies', {
          params: { path: { org: targets.org } },
          body: matrixPolicyBody(world.uniqueName()),
        }),
      );
      targets.policyId = created.id;
      break;
    }
    case 'revokeCurrentToken':
    case 'rotateCurrentToken':
      token = await freshToken(world, kind, token);
      break;
  }
  return { targets, token };
}

/** A new token of the same kind, for cells that revoke or rotate the very token they use. */
async function freshToken(world: World, kind: MatrixToken, current: string | undefined) {
  switch (kind) {
    case 'personal': {
      const session = await expectStatus(
        'createSession',
        201,
        world.client(undefined).POST('/v1/sessions', { body: USER }),
      );
      return session.token;
    }
    case 'orgA':
      return (await world.createToken('org', ORG_A)).token;
    case 'readonlyA':
      return (await world.createToken('readonly', ORG_A)).token;
    case 'deployA1':
      return (await world.createToken('deploy', APP_A1)).token;
    case 'deployA1ReadOnly':
      return readOnly((await world.createToken('deploy', APP_A1)).token);
    case 'orgB':
      return (await world.createToken('org', ORG_B)).token;
    default:
      return current; // refused kinds: the call cannot change them
  }
}

/** Runs every cell of one row, all kinds at once. */
export async function runRow(world: World, row: MatrixRow): Promise<CellResult[]> {
  const call = OPERATION_CALLS[row.operationId];
  if (!call) throw new Error(`no caller for ${row.operationId}`);
  const access = world.contract.operation(row.operationId).access;
  return Promise.all(
    MATRIX_TOKENS.map(async (kind) => {
      const { targets, token } = await prepare(world, row, kind);
      const outcome = await call(world.as(kind, token), targets);
      const expected = row.expected[kind];
      const code = problemCode(outcome.body);
      const mismatches: string[] = [];
      if (outcome.status !== expected.status) {
        mismatches.push(
          `expected ${expected.status}${expected.code ? ` ${expected.code}` : ''}, got ${outcome.status}${code ? ` ${code}` : ''}`,
        );
      } else if (expected.code && code !== expected.code) {
        mismatches.push(`expected code ${expected.code}, got ${code ?? '(none)'}`);
      } else if (expected.code === 'forbidden') {
        const required = (
          outcome.body as { required_access?: { resource?: string; action?: string } }
        ).required_access;
        if (required?.resource !== access?.resource || required?.action !== access?.action) {
          mismatches.push(
            `required_access ${JSON.stringify(required ?? null)} does not name ${access?.resource} ${access?.action}`,
          );
        }
      }
      return { kind, expected, status: outcome.status, code, mismatches };
    }),
  );
}

const SHORT: Record<MatrixToken, string> = {
  personal: 'personal',
  orgA: 'orgA',
  readonlyA: 'roA',
  deployA1: 'depA1',
  deployA1ReadOnly: 'depA1-ro',
  orgB: 'orgB',
  expired: 'expired',
  revoked: 'revoked',
  attenuatedFromRevoked: 'att-revkd',
  malformed: 'malformed',
  truncated: 'truncated',
  missing: 'missing',
};

/**
 * The matrix as an aligned text table: rows are operations on targets, columns token kinds,
 * cells the status received; a wrong cell reads `got!want` (e.g. `200!404`).
 */
export function formatMatrix(results: { row: MatrixRow; cells: CellResult[] }[]): string {
  const header = ['operation(target)', ...MATRIX_TOKENS.map((k) => SHORT[k])];
  const lines = results.map(({ row, cells }) => [
    row.label,
    ...MATRIX_TOKENS.map((kind) => {
      const cell = cells.find((c) => c.kind === kind);
      if (!cell) return '-';
      return cell.mismatches.length === 0
        ? String(cell.status)
        : `${cell.status}!${cell.expected.status}`;
    }),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const render = (cols: string[]) =>
    cols
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const wrong = results.flatMap((r) => r.cells).filter((c) => c.mismatches.length > 0).length;
  const total = results.length * MATRIX_TOKENS.length;
  return [
    render(header),
    ...lines.map(render),
    `${total} cells, ${total - wrong} as expected, ${wrong} unexpected (got!want); ${AUTHENTICATING_TOKENS.length} authenticating kinds, ${MATRIX_TOKENS.length - AUTHENTICATING_TOKENS.length} refused kinds`,
  ].join('\n');
}
