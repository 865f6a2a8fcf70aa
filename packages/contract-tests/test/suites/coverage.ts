import { describe, expect, it } from 'vitest';
import { describeViolations } from '../../src/recorder.js';
import type { World } from '../../src/world.js';

/**
 * Runs last. The operations come from the contract, not from a list kept here: an operation
 * added to openapi/hangar.yaml and not exercised by the suite fails this check.
 */
export function coverageSuite(world: () => World) {
  describe('coverage of the contract', () => {
    it('every operation of the contract was exercised, and succeeded at least once', () => {
      const { contract, recorder } = world();
      const seen = new Map<string, Set<number>>();
      for (const e of recorder.exchanges) {
        if (!e.operationId) continue;
        const statuses = seen.get(e.operationId) ?? new Set<number>();
        statuses.add(e.status);
        seen.set(e.operationId, statuses);
      }
      const rows = contract.operations.map((op) => {
        const statuses = seen.get(op.operationId) ?? new Set<number>();
        const declared = Object.keys(op.responses);
        return {
          operationId: op.operationId,
          seen: [...statuses].sort().join(' ') || '(never)',
          'declared, never seen': declared.filter((s) => !statuses.has(Number(s))).join(' '),
        };
      });
      console.log(
        `\nContract coverage: ${recorder.exchanges.length} responses checked; statuses seen per operation`,
      );
      console.table(rows);
      const never = contract.operations
        .filter((op) => !seen.has(op.operationId))
        .map((op) => op.operationId);
      expect(never, 'operations never exercised').toEqual([]);
      const neverSucceeded = contract.operations
        .filter((op) => ![...(seen.get(op.operationId) ?? [])].some((s) => s >= 200 && s < 300))
        .map((op) => op.operationId);
      expect(neverSucceeded, 'operations never answered with a success').toEqual([]);
    });

    it('every response of the whole run matched the contract', () => {
      const { recorder } = world();
      const broken = recorder.violations();
      expect(broken.length, describeViolations(broken)).toBe(0);
      expect(recorder.exchanges.length).toBeGreaterThan(0);
    });
  });
}
