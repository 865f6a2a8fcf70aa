/**
 * @hangar/mock-server: `hangar-mock`, a stateful local emulator of the Hangar API that enforces
 * every token rule. In tests: `const server = await startMockServer({ port: 0, memory: true })`.
 */
export type { CacheStats } from './caches.js';
export type { LogLevel } from './logger.js';
export { ADMIN_KEY_HEADER } from './routes/admin.js';
export {
  DEFAULT_SEED,
  DEV_EMAIL,
  DEV_PASSWORD,
  type SeedFixture,
  SeedRejectedError,
} from './seed.js';
export { type MockServer, type MockServerOptions, startMockServer } from './server.js';
