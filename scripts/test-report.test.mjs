import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closingLine, countReport } from './test-report.mjs';

const vitestBin = join(import.meta.dirname, '../node_modules/vitest/vitest.mjs');

/** Runs the fixture project (scripts/fixtures/report) and returns vitest's real JSON report. */
function fixtureReport() {
  const dir = mkdtempSync(join(tmpdir(), 'hangar-report-'));
  try {
    const out = join(dir, 'report.json');
    const config = join(import.meta.dirname, 'fixtures/report/vitest.config.mjs');
    spawnSync(process.execPath, [vitestBin, 'run', '--config', config, '--outputFile', out], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    return JSON.parse(readFileSync(out, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('countReport', () => {
  it('counts a failed test once, however deep its describe blocks, and a file that did not load as one failure', () => {
    const count = countReport(fixtureReport());
    expect(closingLine(count)).toBe('2 passed, 2 failed');
    expect(count.brokenFiles).toEqual([
      {
        name: expect.stringMatching(/broken\.check\.mjs$/),
        message: expect.stringContaining('missing-module.mjs'),
      },
    ]);
  });

  it('counts a file whose tests passed but whose hook failed as one failure', () => {
    const count = countReport({
      numPassedTests: 3,
      numFailedTests: 0,
      testResults: [
        {
          name: '/x/a.test.ts',
          status: 'failed',
          message: 'afterAll hook timed out\nstack',
          assertionResults: [{ status: 'passed' }, { status: 'passed' }, { status: 'passed' }],
        },
      ],
    });
    expect(count).toEqual({
      passed: 3,
      failed: 1,
      brokenFiles: [{ name: '/x/a.test.ts', message: 'afterAll hook timed out' }],
    });
  });
});
