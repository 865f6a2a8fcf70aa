/**
 * The suite's world: the server, the recorder every request goes through, the seeded fixture
 * and one token of each kind. Fixture setup goes through the contract's own operations (with the
 * personal token), so setup responses are checked against the contract too.
 */

import { type CreatedToken, createHangarClient, type RawHangarClient } from '@hangar/sdk';
import type { SeedFixture } from '@hangar/sdk/admin';
import { attenuate } from '@hangar/tokens';
import { type Contract, loadContract } from './contract.js';
import type { MatrixToken } from './expectations.js';
import { MACHINE_BODY } from './operations.js';
import { Recorder } from './recorder.js';
import { Admin, openTarget, type Target } from './target.js';

export const USER = { email: 'casey@contract.test', password: 'contract-suite-password' };
export const ORG_A = 'alpha';
export const ORG_B = 'bravo';
export const APP_A1 = 'alpha-one';
export const APP_A2 = 'alpha-two';
export const APP_B1 = 'bravo-one';

/** Org A (alpha: alpha-one, alpha-two) and org B (bravo: bravo-one); one user admin of both. */
export const FIXTURE: SeedFixture = {
  users: [USER],
  orgs: [
    { slug: ORG_A, name: 'Alpha', type: 'shared', members: [{ email: USER.email, role: 'admin' }] },
    { slug: ORG_B, name: 'Bravo', type: 'shared', members: [{ email: USER.email, role: 'admin' }] },
  ],
  apps: [
    { name: APP_A1, org: ORG_A },
    { name: APP_A2, org: ORG_A },
    { name: APP_B1, org: ORG_B },
  ],
};

/** Seconds the clock is moved so the short-lived token expires (it lives 60 s). */
export const EXPIRY_ADVANCE_SECONDS = 120;

/** Thrown when a setup call does not answer the status it must: the suite cannot go on. */
export class SetupError extends Error {}

/** Awaits an openapi-fetch call and returns its data, or throws naming what came back. */
export async function expectStatus<T>(
  what: string,
  status: number,
  pending: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await pending;
  if (response.status !== status) {
    throw new SetupError(
      `${what}: expected ${status}, got ${response.status} ${JSON.stringify(error ?? data ?? null).slice(0, 300)}`,
    );
  }
  return data as T;
}

export class World {
  readonly admin: Admin;
  readonly tokens = {} as Record<MatrixToken, string | undefined>;
  /** Ids of the fixture's orgs and apps (for app and org caveats). */
  readonly ids = new Map<string, string>();
  /** A machine in each fixture app, for the rows that only read. */
  readonly machines = new Map<string, string>();
  /** Subject tokens for getToken rows: id of an org token of A/B, a deploy token of A1/A2. */
  readonly subjects = new Map<'tokA' | 'tokA1' | 'tokA2' | 'tokB', string>();
  private counter = 0;
  private readonly runId = Date.now().toString(36).slice(-5);

  private constructor(
    readonly target: Target,
    readonly contract: Contract,
    readonly recorder: Recorder,
  ) {
    this.admin = new Admin(target);
  }

  static async open(): Promise<World> {
    const contract = loadContract();
    const target = await openTarget();
    return new World(target, contract, new Recorder(contract));
  }

  /**
   * A raw client sending `token`. Tokens the SDK would refuse offline (malformed, truncated) are
   * put on the wire as they are, so the server's answer is what gets checked.
   */
  client(token: string | undefined, sendAsIs = false): RawHangarClient {
    // No retries: the suite checks each answer as the server gives it (a retried 429 or 503
    // would hide it).
    const options = {
      baseUrl: this.target.baseUrl,
      userAgent: 'hangar-contract-tests',
      maxRetries: 0,
    };
    if (sendAsIs && token !== undefined) {
      const fetch = this.recorder.fetch({ authorization: `Bearer ${token}` });
      return createHangarClient({ ...options, fetch }).raw;
    }
    return createHangarClient({ ...options, token, fetch: this.recorder.fetch() }).raw;
  }

  /** The client for a token kind of the matrix. */
  as(kind: MatrixToken, token = this.tokens[kind]): RawHangarClient {
    return this.client(token, kind === 'malformed' || kind === 'truncated');
  }

  get personal(): RawHangarClient {
    return this.as('personal');
  }

  /** A name no app on the server has. */
  uniqueName(prefix = 'ct'): string {
    this.counter += 1;
    return `${prefix}-${this.runId}-${this.counter}`;
  }

  /** Resets the server, seeds the fixture and creates one token of every kind. */
  async setUp(): Promise<void> {
    await this.admin.reset();
    const personal = (await this.admin.seed(FIXTURE)).get(USER.email);
    if (!personal) throw new SetupError(`/_admin/seed returned no token for ${USER.email}`);
    this.tokens.personal = personal;
    const p = this.personal;
    for (const org of [ORG_A, ORG_B]) {
      const found = await expectStatus(
        `getOrg ${org}`,
        200,
        p.GET('/v1/orgs/{org}', { params: { path: { org } } }),
      );
      this.ids.set(org, found.id);
    }
    for (const app of [APP_A1, APP_A2, APP_B1]) {
      const found = await expectStatus(
        `getApp ${app}`,
        200,
        p.GET('/v1/apps/{app}', { params: { path: { app } } }),
      );
      this.ids.set(app, found.id);
      this.machines.set(app, (await this.createMachine(app)).id);
    }
    // The short-lived token is created first and the clock moved once; every other token lives
    // the default 20 years, so the move cannot expire them.
    const shortLived = await this.createToken('org', ORG_A, {
      name: 'expires in 60 s',
      expires_in: 60,
    });
    const revokedSource = await this.createToken('org', ORG_A, { name: 'to be revoked' });
    this.tokens.orgA = (await this.createToken('org', ORG_A)).token;
    this.tokens.readonlyA = (await this.createToken('readonly', ORG_A)).token;
    this.tokens.deployA1 = (await this.createToken('deploy', APP_A1)).token;
    this.tokens.deployA1ReadOnly = readOnly(this.tokens.deployA1);
    this.tokens.orgB = (await this.createToken('org', ORG_B)).token;
    this.tokens.expired = shortLived.token;
    this.tokens.revoked = revokedSource.token;
    this.tokens.attenuatedFromRevoked = readOnly(revokedSource.token);
    await this.revoke(revokedSource.id);
    this.tokens.malformed = 'hangar_this-is-not-a-token_000000';
    this.tokens.truncated = this.tokens.orgA.slice(0, Math.floor(this.tokens.orgA.length / 2));
    this.tokens.missing = undefined;
    this.subjects.set('tokA', (await this.createToken('org', ORG_A, { name: 'subject A' })).id);
    this.subjects.set('tokB', (await this.createToken('org', ORG_B, { name: 'subject B' })).id);
    this.subjects.set(
      'tokA1',
      (await this.createToken('deploy', APP_A1, { name: 'subject A1' })).id,
    );
    this.subjects.set(
      'tokA2',
      (await this.createToken('deploy', APP_A2, { name: 'subject A2' })).id,
    );
    await this.admin.advance(EXPIRY_ADVANCE_SECONDS);
  }

  /** Creates a token with the personal token (or `via`): org/readonly on an org, deploy on an app. */
  async createToken(
    kind: 'org' | 'readonly' | 'deploy',
    on: string,
    body: { name?: string; expires_in?: number } = {},
    via: RawHangarClient = this.personal,
  ): Promise<CreatedToken> {
    const what = `create ${kind} token on ${on}`;
    if (kind === 'deploy') {
      return expectStatus(
        what,
        201,
        via.POST('/v1/apps/{app}/tokens', { params: { path: { app: on } }, body }),
      );
    }
    const path = kind === 'org' ? '/v1/orgs/{org}/tokens/org' : '/v1/orgs/{org}/tokens/readonly';
    return expectStatus(what, 201, via.POST(path, { params: { path: { org: on } }, body }));
  }

  async revoke(tokenId: string): Promise<void> {
    await expectStatus(
      `revoke ${tokenId}`,
      200,
      this.personal.DELETE('/v1/tokens/{token_id}', { params: { path: { token_id: tokenId } } }),
    );
  }

  async createApp(org: string, name = this.uniqueName()): Promise<string> {
    await expectStatus(
      `create app ${name}`,
      201,
      this.personal.POST('/v1/orgs/{org}/apps', { params: { path: { org } }, body: { name } }),
    );
    return name;
  }

  async createMachine(app: string) {
    return expectStatus(
      `create machine in ${app}`,
      201,
      this.personal.POST('/v1/apps/{app}/machines', {
        params: { path: { app } },
        body: MACHINE_BODY,
      }),
    );
  }

  async close(): Promise<void> {
    await this.target.close();
  }
}

/** The token attenuated offline to read-only (`actions = read`). */
export function readOnly(token: string): string {
  return attenuate(token, [{ type: 'actions', actions: ['read'] }]);
}
