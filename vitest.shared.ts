import { defineConfig, type ViteUserConfig } from 'vitest/config';

type TestOptions = NonNullable<ViteUserConfig['test']>;

/**
 * The vitest settings every workspace package shares: tests are `test/**\/*.test.ts`, a JSON
 * report goes to `test-results.json` (scripts/run-tests.mjs counts it for CI's closing line), and
 * each test and hook may take `timeoutMs` milliseconds, sized for a loaded 2-core machine
 * (CONTRIBUTING.md). `extra` adds or overrides settings for one package.
 */
export function packageTestConfig(timeoutMs: number, extra: TestOptions = {}) {
  return defineConfig({
    test: {
      include: ['test/**/*.test.ts'],
      reporters: ['default', 'json'],
      outputFile: { json: 'test-results.json' },
      testTimeout: timeoutMs,
      hookTimeout: timeoutMs,
      ...extra,
    },
  });
}
