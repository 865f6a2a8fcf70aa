import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { admin, client, expectProblem, startServer } from './helpers.js';
import { type IssuerKey, TestIssuer } from './oidc-issuer.js';

const AUDIENCE = 'https://hangar.test';
const SUBJECT = 'repo:acme/web:ref:refs/heads/main';
const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('trust policies and the OIDC token exchange (issue 17)', () => {
  let server: MockServer;
  let issuer: TestIssuer;
  let stranger: TestIssuer;
  let key: IssuerKey;

  /** The server clock, in Unix seconds. */
  const now = async () =>
    Math.floor(Date.parse(String((await admin(server, 'GET', '/clock')).now)) / 1000);

  async function json(method: string, path: string, body?: unknown, token = server.devToken) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  async function createPolicy(overrides: Record<string, unknown> = {}, token = server.devToken) {
    return json(
      'POST',
      '/v1/orgs/acme/trust-policies',
      {
        name: `p-${Math.random().toString(16).slice(2)}`,
        issuer: issuer.url,
        audience: AUDIENCE,
        conditions: { sub: 'repo:acme/web:*' },
        grant: { kind: 'deploy', app: 'acme-web' },
        ...overrides,
      },
      token,
    );
  }

  /** POSTs the form; a field given as null is left out. */
  async function exchange(
    subjectToken: string,
    fields: Record<string, string | null> = {},
    headers: Record<string, string> = {},
  ) {
    const form = Object.entries({
      grant_type: EXCHANGE,
      subject_token: subjectToken,
      subject_token_type: ID_TOKEN,
      org: 'acme',
      app: 'acme-web',
      ...fields,
    }).filter((entry): entry is [string, string] => entry[1] !== null);
    const response = await fetch(`${server.url}/v1/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
    });
    return {
      status: response.status,
      cache: response.headers.get('cache-control'),
      replayed: response.headers.get('idempotent-replayed'),
      body: (await response.json()) as Record<string, unknown>,
    };
  }

  /**
   * A valid ID token for the policy, with `claims` over the defaults (times on the server clock;
   * a fresh `jti`, as each exchanges once).
   */
  async function idToken(claims: Record<string, unknown> = {}, signer = key) {
    const t = await now();
    return issuer.sign(signer, {
      jti: randomUUID(),
      sub: SUBJECT,
      aud: AUDIENCE,
      repository: 'acme/web',
      iat: t,
      nbf: t,
      exp: t + 300,
      ...claims,
    });
  }

  /** Every token the dev user can list in the seed's orgs and apps. */
  async function tokenCount(): Promise<number> {
    const dev = client(server);
    const pages = await Promise.all([
      dev.tokens.listOrg('acme', { limit: 100 }),
      dev.tokens.listApp('acme-web', { limit: 100 }),
      dev.tokens.listApp('acme-api', { limit: 100 }),
      dev.tokens.listPersonal({ limit: 100 }),
    ]);
    return pages.reduce((n, page) => n + page.items.length, 0);
  }

  beforeAll(async () => {
    server = await startServer();
    issuer = await TestIssuer.start();
    stranger = await TestIssuer.start();
    key = await issuer.addKey('k1');
    await stranger.addKey('s1');
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await issuer?.close();
    await stranger?.close();
  });
  beforeEach(async () => {
    await admin(server, 'POST', '/reset');
  });

  it('creates, lists, gets and deletes policies, each change an audit event', async () => {
    const created = await createPolicy({ name: 'web main', grant: { kind: 'readonly' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'web main',
      org: 'acme',
      issuer: issuer.url,
      grant: { kind: 'readonly', expires_in: 900 },
      created_by: 'dev@hangar.local',
    });
    const id = created.body.id as string;
    expect((await json('GET', `/v1/orgs/acme/trust-policies/${id}`)).body).toEqual(created.body);
    const list = await json('GET', '/v1/orgs/acme/trust-policies');
    expect(list.body.items.map((p: { id: string }) => p.id)).toEqual([id]);
    expect((await createPolicy({ name: 'web main' })).status).toBe(409);
    expect((await json('DELETE', `/v1/orgs/acme/trust-policies/${id}`)).status).toBe(204);
    expect((await json('GET', `/v1/orgs/acme/trust-policies/${id}`)).status).toBe(404);
    const events = await client(server).events.listOrg('acme');
    expect(events.items.map((e) => e.type)).toEqual([
      'trust_policy.deleted',
      'trust_policy.created',
    ]);
  });

  it('refuses bad policies with 400 naming the field, and a policy wider than its creator with 403', async () => {
    const tooLong = await createPolicy({ grant: { kind: 'org', expires_in: 3601 } });
    expect(tooLong.status).toBe(400);
    expect(JSON.stringify(tooLong.body.errors)).toContain('body.grant.expires_in');
    expect((await createPolicy({ conditions: {} })).status).toBe(400);
    // A pattern of * alone matches every repository on the shared issuer: refused by name.
    for (const pattern of ['*', '**']) {
      const everyone = await createPolicy({ conditions: { sub: pattern } });
      expect(everyone.status).toBe(400);
      expect(everyone.body.errors).toEqual([
        {
          field: 'body.conditions.sub',
          message: expect.stringContaining('not only * (which would match every value'),
        },
      ]);
    }
    expect((await createPolicy({ conditions: { sub: 'repo:acme/*' } })).status).toBe(201);
    const noApp = await createPolicy({ grant: { kind: 'deploy' } });
    expect(noApp.body.errors[0].field).toBe('body.grant.app');
    const readonly = await client(server).tokens.createReadonly('acme');
    const wider = await createPolicy({ grant: { kind: 'org' } }, readonly.token);
    expect(wider.status).toBe(403);
    const org = await client(server).tokens.createOrg('acme', { expiresIn: '10m' });
    const outlives = await createPolicy({ grant: { kind: 'org', expires_in: 3600 } }, org.token);
    expect(outlives).toMatchObject({ status: 403, body: { code: 'exceeds_token_lifetime' } });
    const deploy = await client(server).tokens.createDeploy('acme-web');
    expect((await createPolicy({}, deploy.token)).status).toBe(403);
  });

  it('mints a token with exactly the policy grant and lifetime, recorded with the policy and subject', async () => {
    const policy = await createPolicy({
      grant: { kind: 'deploy', app: 'acme-web', actions: ['read'], expires_in: 600 },
    });
    const token = await idToken();
    const before = await now();
    const answer = await exchange(token);
    expect(answer.status).toBe(200);
    expect(answer.cache).toBe('no-store');
    expect(answer.body).toMatchObject({
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      token_type: 'Bearer',
      expires_in: 600,
    });
    const minted = client(server, answer.body.access_token as string);
    const viewer = await minted.viewer.get();
    expect(viewer.token).toMatchObject({ kind: 'deploy', org: 'acme', app: 'acme-web' });
    // The server clock runs on in real time: the expiry is 600 s after the moment of exchange.
    const expiresAt = Date.parse(viewer.token.expires_at) / 1000;
    expect(expiresAt).toBeGreaterThanOrEqual(before + 600);
    expect(expiresAt).toBeLessThanOrEqual((await now()) + 600);
    expect((await minted.apps.get('acme-web')).name).toBe('acme-web');
    // Only what the policy grants: read on acme-web, nothing else, and nothing longer-lived.
    await expectProblem(minted.machines.create('acme-web', { image: 'nginx' }), 403, 'forbidden');
    await expectProblem(minted.apps.get('acme-api'), 404, 'not_found');
    await expectProblem(minted.tokens.createDeploy('acme-web'), 403, 'forbidden');
    const events = await client(server).events.listOrg('acme', { type: 'token.exchanged' });
    expect(events.items[0]?.actor).toMatchObject({
      token_id: null,
      subject: SUBJECT,
      trust_policy: policy.body.id,
    });
    // Neither the ID token nor the minted token is kept in the request journal.
    const journal = JSON.stringify(await admin(server, 'GET', '/requests'));
    expect(journal).toContain('/v1/oidc/token');
    expect(journal).not.toContain(String(answer.body.access_token));
    expect(journal).not.toMatch(/eyJ[\w-]+\.eyJ/);
    // The minted token expires on the admin clock.
    await admin(server, 'POST', '/clock', { advance_seconds: 601 });
    await expectProblem(minted.viewer.get(), 401, 'token_expired');
  });

  it('an Idempotency-Key replay of an exchange is not to be cached either (RFC 6749 section 5.1)', async () => {
    await createPolicy();
    const token = await idToken();
    const first = await exchange(token, {}, { 'idempotency-key': 'exchange-1' });
    const again = await exchange(token, {}, { 'idempotency-key': 'exchange-1' });
    expect(again.replayed).toBe('true');
    expect(again.body.access_token).toBe(first.body.access_token);
    expect([first.cache, again.cache]).toEqual(['no-store', 'no-store']);
  });

  it('a condition with many wildcards against a long claim answers at once (no regex backtracking)', async () => {
    // A glob turned into `^a.*b.*c…$` backtracks in O(n^stars): 8 stars on a 60-character
    // subject blocked the whole server for 30 s. Subjects are partly chosen by whoever runs the
    // CI job (branch names), so one exchange must not freeze the server for everyone.
    const sub = `repo:acme/web:${'*:'.repeat(8)}x`;
    expect((await createPolicy({ conditions: { sub } })).status).toBe(201);
    const refused = await exchange(await idToken({ sub: `repo:acme/web:${':'.repeat(60)}` }));
    expect(refused.body.error).toBe('unauthorized_client');
    const granted = await exchange(await idToken({ sub: `repo:acme/web:${'a:'.repeat(8)}x` }));
    expect(granted.status).toBe(200);
    // Matched before: the regex took 30 s here on a 2-core machine; now it takes microseconds.
  }, 15_000);

  it('an org grant mints an org token (no app) that cannot mint anything outliving it', async () => {
    await createPolicy({ grant: { kind: 'org', expires_in: 300 } });
    // Asking for an app under an org-only policy matches nothing.
    expect((await exchange(await idToken())).body.error).toBe('unauthorized_client');
    const answer = await exchange(await idToken(), { app: null });
    expect(answer.status).toBe(200);
    const minted = client(server, answer.body.access_token as string);
    expect((await minted.viewer.get()).token).toMatchObject({
      kind: 'org',
      org: 'acme',
      app: null,
    });
    await expectProblem(
      minted.tokens.createOrg('acme', { expiresIn: '1h' }),
      403,
      'exceeds_token_lifetime',
    );
    const child = await minted.tokens.createDeploy('acme-web');
    expect(Date.parse(child.expires_at) / 1000).toBeLessThanOrEqual((await now()) + 300);
  });

  describe('the refusal matrix: every refusal a 4xx, no token minted', () => {
    const cases: [
      string,
      () => Promise<{ token: string; fields?: Record<string, string> }>,
      string,
    ][] = [
      [
        'wrong issuer',
        async () => ({
          token: await stranger.sign(stranger.keys[0] as IssuerKey, {
            sub: SUBJECT,
            aud: AUDIENCE,
            iat: await now(),
            exp: (await now()) + 300,
          }),
        }),
        'invalid_grant',
      ],
      [
        'wrong audience',
        async () => ({ token: await idToken({ aud: 'https://elsewhere' }) }),
        'invalid_grant',
      ],
      [
        'wrong subject',
        async () => ({ token: await idToken({ sub: 'repo:evil/web:ref:refs/heads/main' }) }),
        'unauthorized_client',
      ],
      [
        'expired',
        async () => ({
          token: await idToken({ exp: (await now()) - 60, iat: (await now()) - 400 }),
        }),
        'invalid_grant',
      ],
      [
        'not yet valid',
        async () => ({ token: await idToken({ nbf: (await now()) + 120 }) }),
        'invalid_grant',
      ],
      [
        'iat in the future',
        async () => ({ token: await idToken({ iat: (await now()) + 120, nbf: undefined }) }),
        'invalid_grant',
      ],
      [
        'signed by a key not in the JWKS under a known kid',
        async () => {
          const other = await issuer.addKey('k1', 'RS256', false);
          return { token: await idToken({}, other) };
        },
        'invalid_grant',
      ],
      [
        'unknown kid',
        async () => ({
          token: await idToken({}, await issuer.addKey('k-unknown', 'RS256', false)),
        }),
        'invalid_grant',
      ],
      [
        'alg none',
        async () => {
          const t = await now();
          const claims = { iss: issuer.url, sub: SUBJECT, aud: AUDIENCE, iat: t, exp: t + 300 };
          return { token: `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.` };
        },
        'invalid_grant',
      ],
      [
        'HS256 signed with the public key',
        async () => {
          const t = await now();
          const claims = { iss: issuer.url, sub: SUBJECT, aud: AUDIENCE, iat: t, exp: t + 300 };
          const input = `${b64({ alg: 'HS256', kid: 'k1', typ: 'JWT' })}.${b64(claims)}`;
          const signature = createHmac('sha256', JSON.stringify(key.publicJwk))
            .update(input)
            .digest('base64url');
          return { token: `${input}.${signature}` };
        },
        'invalid_grant',
      ],
      [
        'another org',
        async () => ({ token: await idToken(), fields: { org: 'dev-personal' } }),
        'invalid_grant',
      ],
      [
        'another app',
        async () => ({ token: await idToken(), fields: { app: 'acme-api' } }),
        'unauthorized_client',
      ],
      [
        'an unknown org',
        async () => ({ token: await idToken(), fields: { org: 'nobody' } }),
        'invalid_grant',
      ],
      ['not a JWT', async () => ({ token: 'not-a-jwt' }), 'invalid_grant'],
      [
        'a wrong subject_token_type',
        async () => ({
          token: await idToken(),
          fields: { subject_token_type: 'urn:ietf:params:oauth:token-type:jwt' },
        }),
        'invalid_request',
      ],
    ];
    it.each(cases)('%s', async (_, make, error) => {
      await createPolicy();
      const before = await tokenCount();
      const { token, fields } = await make();
      const answer = await exchange(token, fields);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toBe(error);
      // One fixed sentence per error: never which check failed.
      expect(answer.body.error_description).toBe(
        {
          invalid_grant: "The subject token is not valid for this organization's trust policies",
          unauthorized_client: 'No trust policy of this organization grants this exchange',
          invalid_request:
            'body.subject_token_type: must be one of urn:ietf:params:oauth:token-type:id_token',
        }[error],
      );
      // Nor a name of the case that would tell the check apart.
      expect(answer.body).not.toHaveProperty('error_uri');
      expect(await tokenCount()).toBe(before);
    });

    it('a policy deleted between mint and exchange', async () => {
      const policy = await createPolicy();
      const token = await idToken();
      await json('DELETE', `/v1/orgs/acme/trust-policies/${policy.body.id}`);
      const before = await tokenCount();
      expect((await exchange(token)).body.error).toBe('invalid_grant');
      expect(await tokenCount()).toBe(before);
    });
  });

  describe('a policy never outlives the token that created it', () => {
    const CREATOR_GONE = /creating token is no longer valid/;

    /** An org token of the dev user living `expiresIn` seconds, and a policy it created. */
    async function policyByOrgToken(expiresIn: number) {
      const created = await json('POST', '/v1/orgs/acme/tokens/org', { expires_in: expiresIn });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const token = created.body.token as string;
      const policy = await createPolicy({ grant: { kind: 'org', expires_in: 600 } }, token);
      expect(policy.status).toBe(201);
      return token;
    }

    /** Exchanges for an org token and expects the refusal naming the creating token. */
    async function expectCreatorGone() {
      const before = await tokenCount();
      const answer = await exchange(await idToken(), { app: null });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toBe('invalid_grant');
      expect(answer.body.error_description).toMatch(CREATOR_GONE);
      expect(answer.body.error_uri).toBe(
        'https://hangar.dev/problems/trust_policy_creator_invalid',
      );
      expect(await tokenCount()).toBe(before);
    }

    it('is refused once the creating token is revoked, even a day later', async () => {
      const token = await policyByOrgToken(600);
      expect((await exchange(await idToken(), { app: null })).status).toBe(200);
      expect((await json('DELETE', '/v1/viewer/token', undefined, token)).status).toBe(200);
      await expectCreatorGone();
      await admin(server, 'POST', '/clock', { advance_seconds: 86_400 });
      await expectCreatorGone();
    });

    it('is refused once the creating token has expired', async () => {
      await policyByOrgToken(600);
      await admin(server, 'POST', '/clock', { advance_seconds: 601 });
      await expectCreatorGone();
    });

    it('is refused once the creating token is rotated past its grace', async () => {
      const token = await policyByOrgToken(3600);
      const rotated = await json('POST', '/v1/viewer/token/rotate', { grace_period: 60 }, token);
      expect(rotated.status).toBe(201);
      // Within the grace the old token still works, and so does its policy.
      expect((await exchange(await idToken(), { app: null })).status).toBe(200);
      await admin(server, 'POST', '/clock', { advance_seconds: 61 });
      await expectCreatorGone();
    });

    it('a backdoor policy made by an exchanged token dies with that token', async () => {
      await createPolicy({ grant: { kind: 'org', expires_in: 900 } });
      const exchanged = (await exchange(await idToken(), { app: null })).body
        .access_token as string;
      const backdoor = await createPolicy(
        { conditions: { sub: 'repo:evil/*' }, grant: { kind: 'org', expires_in: 600 } },
        exchanged,
      );
      expect(backdoor.status).toBe(201);
      await admin(server, 'POST', '/clock', { advance_seconds: 901 });
      const answer = await exchange(await idToken({ sub: 'repo:evil/x:ref:refs/heads/main' }), {
        app: null,
      });
      expect(answer.body).toMatchObject({ error: 'invalid_grant' });
      expect(answer.body.error_description).toMatch(CREATOR_GONE);
    });
  });

  it('fetches only the issuers a policy names, and caches their keys', async () => {
    await createPolicy();
    stranger.requests = [];
    const t = await now();
    const foreign = await stranger.sign(stranger.keys[0] as IssuerKey, {
      sub: SUBJECT,
      aud: AUDIENCE,
      iat: t,
      exp: t + 300,
    });
    expect((await exchange(foreign)).body.error).toBe('invalid_grant');
    expect(stranger.requests).toEqual([]);
    issuer.requests = [];
    expect((await exchange(await idToken())).status).toBe(200);
    expect((await exchange(await idToken())).status).toBe(200);
    // Cached from earlier tests or fetched once now: never per exchange.
    expect(issuer.requests.filter((r) => r === '/jwks').length).toBeLessThanOrEqual(1);
  });

  it('form fields are validated by the contract (invalid_request naming the field)', async () => {
    await createPolicy();
    const missing = await exchange('x', { org: '' });
    expect(missing).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(String(missing.body.error_description)).toContain('body.org');
    const json415 = await fetch(`${server.url}/v1/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json415.status).toBe(415);
  });
});
