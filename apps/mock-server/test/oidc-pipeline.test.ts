import { createAdminClient } from '@hangar/sdk/admin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { admin, client, expectProblem, startServer } from './helpers.js';

/**
 * Issue 17's pipeline, offline, with the emulator's own identity provider: mint a GitHub
 * Actions ID token, exchange it under a trust policy, deploy with the result, watch it expire.
 */
describe('CI without stored secrets, end to end on the built-in issuer', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('mints an ID token, exchanges it for a deploy token, deploys, and the token expires on the admin clock', async () => {
    const oidc = createAdminClient({ baseUrl: server.url, adminKey: server.adminKey }).oidc;
    const issuer = await oidc.issuer();
    expect(issuer).toBe(`${server.url}/_oidc`);
    const dev = client(server);
    const policy = await dev.trustPolicies.create('acme', {
      name: 'deploy acme-web from main',
      issuer,
      audience: 'hangar',
      conditions: { sub: 'repo:acme/web:ref:refs/heads/main', repository: 'acme/web' },
      grant: { kind: 'deploy', app: 'acme-web', expires_in: 600 },
    });

    const { id_token: idToken } = await oidc.mintIdToken({
      preset: 'github-actions',
      repository: 'acme/web',
      ref: 'refs/heads/main',
    });
    const ci = client(server, null);
    const exchanged = await ci.auth.exchange(idToken, { org: 'acme', app: 'acme-web' });
    expect(exchanged).toMatchObject({ token_type: 'Bearer', expires_in: 600 });

    const deploy = client(server, exchanged.access_token);
    const machine = await deploy.machines.create('acme-web', { image: 'nginx:1.27' });
    expect(machine.state).toBeTruthy();
    // Exactly the policy's scope: another app of the org is out of reach.
    await expectProblem(deploy.apps.get('acme-api'), 404, 'not_found');

    const { items } = await dev.events.listOrg('acme', { type: 'token.exchanged' });
    expect(items[0]?.target).toMatchObject({ type: 'token' });
    expect(JSON.stringify(items[0])).toContain(policy.id);

    // A branch the policy does not trust gets nothing.
    const feature = await oidc.mintIdToken({
      preset: 'github-actions',
      repository: 'acme/web',
      ref: 'refs/heads/feature',
    });
    await expect(
      ci.auth.exchange(feature.id_token, { org: 'acme', app: 'acme-web' }),
    ).rejects.toMatchObject({ name: 'TokenExchangeError' });

    await admin(server, 'POST', '/clock', { advance_seconds: 601 });
    await expectProblem(deploy.viewer.get(), 401, 'token_expired');
  });
});
