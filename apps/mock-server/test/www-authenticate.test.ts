import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { admin, client, startServer } from './helpers.js';

let server: MockServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

/** The WWW-Authenticate and CORS-exposed headers of a GET /v1/viewer with `token`. */
async function viewer(token?: string) {
  const headers: Record<string, string> = { origin: 'http://localhost:3000' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${server.url}/v1/viewer`, { headers });
  await response.text();
  return {
    status: response.status,
    challenge: response.headers.get('www-authenticate'),
    exposed: response.headers.get('access-control-expose-headers') ?? '',
  };
}

describe('401 answers carry a WWW-Authenticate challenge (RFC 9110 §11.6.1, RFC 6750 §3)', () => {
  it('no token: Bearer realm="hangar", exposed to browsers', async () => {
    const answer = await viewer();
    expect(answer.status).toBe(401);
    expect(answer.challenge).toBe('Bearer realm="hangar"');
    expect(answer.exposed.toLowerCase().split(/,\s*/)).toContain('www-authenticate');
  });

  it('a malformed, expired or revoked token: error="invalid_token"', async () => {
    expect((await viewer('hangar_nope')).challenge).toBe(
      'Bearer realm="hangar", error="invalid_token"',
    );
    const dev = client(server);
    const revoked = await dev.tokens.createOrg('acme');
    await dev.tokens.revoke(revoked.id);
    expect(await viewer(revoked.token)).toMatchObject({
      status: 401,
      challenge: 'Bearer realm="hangar", error="invalid_token"',
    });
    const expiring = await dev.tokens.createOrg('acme', { expiresIn: 60 });
    await admin(server, 'POST', '/clock', { advance_seconds: 120 });
    expect(await viewer(expiring.token)).toMatchObject({
      status: 401,
      challenge: 'Bearer realm="hangar", error="invalid_token"',
    });
  });

  it('a wrong password at login: Bearer realm="hangar"', async () => {
    const response = await fetch(`${server.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: server.devUser.email, password: 'wrong' }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="hangar"');
  });

  it('answers that are not 401 carry no challenge', async () => {
    expect((await viewer(server.devToken)).challenge).toBeNull();
  });
});
