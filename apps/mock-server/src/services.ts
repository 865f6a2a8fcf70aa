import type { Logger } from 'pino';
import type { Caches } from './caches.js';
import type { ServerClock } from './clock.js';
import type { Db } from './db/database.js';
import type { IssuerKeys } from './oidc.js';

/**
 * What handlers share: the database, the server clock, the master key, the logger and the
 * server's caches (caches.ts: the one place that says what is cached and why it is exact).
 */
export interface Services {
  db: Db;
  clock: ServerClock;
  /** 32 bytes; every token's root key is `deriveRootKey(masterKey, identifier)`. */
  masterKey: Uint8Array;
  logger: Logger;
  caches: Caches;
  /** OIDC issuers' verification keys for the token exchange, on the server clock (oidc.ts). */
  issuerKeys: IssuerKeys;
  /** Audit events kept per organization (events.ts); default `DEFAULT_EVENT_RETENTION`. */
  eventRetention?: number;
}
