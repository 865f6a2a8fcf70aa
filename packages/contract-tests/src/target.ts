/**
 * The server under test: an external one named by HANGAR_CONTRACT_BASE_URL (with its admin key
 * in HANGAR_CONTRACT_ADMIN_KEY), or else the mock server started in-process on a free port with
 * an in-memory database and response validation on.
 */

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

/** A seed fixture as `/_admin/seed` takes it (PLAN.md "Test controls"). */
export interface SeedFixture {
  users: { email: string; password: string }[];
  orgs: {
    slug: string;
    name: string;
    type: 'personal' | 'shared';
    members: { email: string; role: 'admin' | 'member' }[];
  }[];
  apps: { name: string; org: string }[];
}

/** The test controls outside `/v1`. Not part of the contract, so not recorded or validated. */
export class Admin {
  constructor(private readonly target: Target) {}

  private async send(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.target.baseUrl}${path}`, {
      method,
      headers: {
        'X-Hangar-Admin-Key': this.target.adminKey,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    }
    return text ? JSON.parse(text) : undefined;
  }

  /** Wipes the server and re-seeds its default fixture. */
  async reset(): Promise<void> {
    await this.send('POST', '/_admin/reset');
  }

  /** Applies a fixture; returns a fresh personal token for each of its users, by email. */
  async seed(fixture: SeedFixture): Promise<Map<string, string>> {
    const result = (await this.send('POST', '/_admin/seed', fixture)) as {
      users: { email: string; token: string }[];
    };
    return new Map(result.users.map((u) => [u.email, u.token]));
  }

  /** The server's clock, in unix seconds. */
  async now(): Promise<number> {
    const { now } = (await this.send('GET', '/_admin/clock')) as { now: string };
    return Math.floor(Date.parse(now) / 1000);
  }

  /** Moves the server's clock forward; returns the new time in unix seconds. */
  async advance(seconds: number): Promise<number> {
    const { now } = (await this.send('POST', '/_admin/clock', { advance_seconds: seconds })) as {
      now: string;
    };
    return Math.floor(Date.parse(now) / 1000);
  }
}
