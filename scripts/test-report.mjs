// Counts one vitest JSON report (the `json` reporter's test-results.json) for the closing line
// scripts/run-tests.mjs prints.

/**
 * @typedef {{ status: string, fullName?: string }} AssertionResult
 * @typedef {{ name: string, status: string, message?: string, assertionResults?: AssertionResult[] }} FileResult
 * @typedef {{ numPassedTests: number, numFailedTests: number, testResults?: FileResult[] }} VitestReport
 * @typedef {{ passed: number, failed: number, brokenFiles: { name: string, message: string }[] }} Count
 */

/**
 * Counts tests in a vitest JSON report. `passed` and `failed` are test counts; a test file that
 * failed without any failed test in it (it did not import, or a hook threw) is one more failure,
 * listed in `brokenFiles` with its message. vitest's `numFailedTestSuites` is not used: it counts
 * describe blocks as suites, so a failed test would be counted again for each enclosing block.
 * @param {VitestReport} report the parsed test-results.json
 * @returns {Count}
 */
export function countReport(report) {
  const brokenFiles = [];
  for (const file of report.testResults ?? []) {
    const failedTests = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
    if (file.status === 'failed' && failedTests.length === 0) {
      brokenFiles.push({ name: file.name, message: (file.message ?? '').split('\n')[0] ?? '' });
    }
  }
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + brokenFiles.length,
    brokenFiles,
  };
}

/**
 * The closing line CI reads.
 * @param {{ passed: number, failed: number }} total
 * @returns {string} e.g. `657 passed, 1 failed`
 */
export function closingLine({ passed, failed }) {
  return `${passed} passed, ${failed} failed`;
}
