import { packageTestConfig } from '../../vitest.shared.js';

// Compiling the contract's schemas takes a moment on a loaded 2-core machine.
export default packageTestConfig(30_000);
