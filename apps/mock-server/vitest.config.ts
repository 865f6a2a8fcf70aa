import { packageTestConfig } from '../../vitest.shared.js';

// Tests start servers and processes; on a loaded 2-core machine a start takes seconds.
export default packageTestConfig(60_000);
