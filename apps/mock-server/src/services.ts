import type { Logger } from 'pino';
import type { ServerClock } from './clock.js';
import type { Db } from './db/database.js';

/** What handlers share: the database, the server clock, the master key and the logger. */
export interface Services {
  db: Db;
  clock: ServerClock;
  /** 32 bytes; every token's root key is `deriveRootKey(masterKey, identifier)`. */
  masterKey: Uint8Array;
  logger: Logger;
}
