import { afterAll, describe, expect, it } from 'vitest';
import { MATRIX_TOKENS, matrixRows } from '../../src/expectations.js';
import { type CellResult, formatMatrix, runRow } from '../../src/matrix.js';
import type { World } from '../../src/world.js';

/**
 * The authorization matrix: one test per row (an operation on a target), each running all
 * twelve token kinds; a failing row lists its wrong cells. The whole matrix is printed after.
 */
export function matrixSuite(world: () => World) {
  const rows = matrixRows();
  const results: { row: (typeof rows)[number]; cells: CellResult[] }[] = [];

  describe('authorization matrix', () => {
    it('has a row for every secured operation of the contract', () => {
      const secured = world()
        .contract.operations.filter((op) => op.secured)
        .map((op) => op.operationId)
        .sort();
      expect([...new Set(rows.map((r) => r.operationId))].sort()).toEqual(secured);
    });

    it('agrees with x-hangar-access: read-only kinds never succeed at a mutation; read-only A gets 403 exactly on them', () => {
      const contract = world().contract;
      const wrong = rows.flatMap((row) => {
        const mutation = contract.operation(row.operationId).access?.action !== 'read';
        const { readonlyA, deployA1ReadOnly } = row.expected;
        const problems: string[] = [];
        if (readonlyA.status !== 404 && (readonlyA.status === 403) !== mutation) {
          problems.push(`${row.label} as readonlyA: ${readonlyA.status}`);
        }
        if (mutation && ![403, 404].includes(deployA1ReadOnly.status)) {
          problems.push(`${row.label} as deployA1ReadOnly: ${deployA1ReadOnly.status}`);
        }
        return problems;
      });
      expect(wrong).toEqual([]);
    });

    it.each(rows.map((row) => [row.label, row] as const))('%s', async (_label, row) => {
      const cells = await runRow(world(), row);
      results.push({ row, cells });
      const wrong = cells.filter((c) => c.mismatches.length > 0);
      const report = wrong.map((c) => `  ${row.label} as ${c.kind}: ${c.mismatches.join('; ')}`);
      expect(wrong.length, `unexpected cells:\n${report.join('\n')}`).toBe(0);
      expect(cells).toHaveLength(MATRIX_TOKENS.length);
    });

    afterAll(() => {
      if (results.length === 0) return;
      const order = new Map(rows.map((r, i) => [r, i]));
      results.sort((a, b) => (order.get(a.row) ?? 0) - (order.get(b.row) ?? 0));
      console.log(`\nAuthorization matrix (status per token kind)\n${formatMatrix(results)}\n`);
    });
  });
}
