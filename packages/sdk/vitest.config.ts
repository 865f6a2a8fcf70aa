import { packageTestConfig } from '../../vitest.shared.js';

// Some tests start an in-process mock server: allow for a loaded 2-core machine.
export default packageTestConfig(30_000, {
  // Type tests (*.test-d.ts, expectTypeOf) run through tsc: a wrong type fails the test.
  typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
});
