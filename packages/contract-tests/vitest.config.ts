import { packageTestConfig } from '../../vitest.shared.js';

// Matrix rows and the pagination setup make hundreds of requests each.
export default packageTestConfig(120_000);
