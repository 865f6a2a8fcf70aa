import { packageTestConfig } from '../../vitest.shared.js';

// attw packs each package; the packaging test installs tarballs into a fresh project: minutes
// on a loaded 2-core machine.
export default packageTestConfig(120_000, { hookTimeout: 600_000 });
