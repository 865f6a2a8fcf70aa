import type { MockServer } from '@hangar/mock-server';
import { createHangarClient, type HangarClientOptions, type RequestLogEntry } from '@hangar/sdk';
import { type AdminClient, createAdminClient } from '@hangar/sdk/admin';

/**
 * An SDK client for the dev user of `server` whose waits between attempts are recorded instead
 * of slept (the retry policy is what is tested; the server's fault rules are spent by then),
 * plus the admin client of the same server.
 */
export function e2eClients(server: MockServer, options: Partial<HangarClientOptions> = {}) {
  const waits: number[] = [];
  const attempts: RequestLogEntry[] = [];
  const hangar = createHangarClient({
    baseUrl: server.url,
    token: server.devToken,
    sleep: async (ms) => {
      waits.push(ms);
    },
    logger: (entry) => attempts.push(entry),
    ...options,
  });
  const admin: AdminClient = createAdminClient({ baseUrl: server.url, adminKey: server.adminKey });
  return { hangar, admin, waits, attempts };
}
