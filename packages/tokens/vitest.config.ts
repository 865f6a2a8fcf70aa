import { packageTestConfig } from '../../vitest.shared.js';

// Property tests run hundreds of HMAC chains each: allow for a loaded 2-core machine.
export default packageTestConfig(30_000);
