/**
 * The server under test: an external one named by HANGAR_CONTRACT_BASE_URL (with its admin key
 * in HANGAR_CONTRACT_ADMIN_KEY), or else the mock server started in-process on a free port with
 * an in-memory database and response validation on.
 */
import { type AdminClient, createAdminClient, type SeedFixture } from '@hangar/sdk/admin';

/** A running server the suite can drive. */
export interface Target {
  /** Server root without `/v1`, e.g. `http://127.0.0.1:4280`. */
  baseUrl: string;
  /** Value of `X-Hangar-Admin-Key` for the `/_admin` test controls. Never printed. */
  adminKey: string;
  /** `in-process` (started here) or `external`. */
  mode: 'in-process' | 'external';
  close(): Promise<void>;
}

/**
 * Opens the target named by the environment.
 * @throws when HANGAR_CONTRACT_BASE_URL is set without HANGAR_CONTRACT_ADMIN_KEY (the suite seeds
 *   its own fixture and moves the clock, so it needs the test controls).
 */
export async function openTarget(env: NodeJS.ProcessEnv = process.env): Promise<Target> {
  const baseUrl = env.HANGAR_CONTRACT_BASE_URL?.trim();
  if (baseUrl) {
    const adminKey = env.HANGAR_CONTRACT_ADMIN_KEY?.trim();
    if (!adminKey) {
      throw new Error(
        'HANGAR_CONTRACT_ADMIN_KEY (--admin-key) is required with HANGAR_CONTRACT_BASE_URL: the suite seeds its fixture through /_admin',
      );
    }
    return {
      baseUrl: baseUrl.replace(/\/+$/, ''),
      adminKey,
      mode: 'external',
      close: async () => {},
    };
  }
  const { startMockServer } = await import('@hangar/mock-server');
  const server = await startMockServer({ port: 0, memory: true, validateResponses: true });
  return {
    baseUrl: server.url.replace(/\/+$/, ''),
    adminKey: server.adminKey,
    mode: 'in-process',
    close: () => server.close(),
  };
}

/**
 * The test controls outside `/v1`, described by openapi/hangar-admin.yaml (not the Hangar API),
 * through the SDK's admin client: typed by that document and not recorded against hangar.yaml.
 * Times are in unix seconds here; the controls themselves speak RFC 3339.
 */
export class Admin {
  private readonly client: AdminClient;

  constructor(target: Target) {
    this.client = createAdminClient({ baseUrl: target.baseUrl, adminKey: target.adminKey });
  }

  /** `resetServer`: wipes the server and re-seeds its default fixture. */
  async reset(): Promise<void> {
    await this.client.reset();
  }

  /** `seedFixture`: applies a fixture; returns a fresh personal token for each of its users, by email. */
  async seed(fixture: SeedFixture): Promise<Map<string, string>> {
    const { users } = await this.client.seed(fixture);
    return new Map(users.map((u) => [u.email, u.token]));
  }

  /** `getClock`: the server's clock, in unix seconds. */
  async now(): Promise<number> {
    return unixSeconds(await this.client.now());
  }

  /** `advanceClock`: moves the server's clock forward; returns the new time in unix seconds. */
  async advance(seconds: number): Promise<number> {
    return unixSeconds(await this.client.advance(seconds));
  }
}

function unixSeconds(rfc3339: string): number {
  return Math.floor(Date.parse(rfc3339) / 1000);
}
