import { randomBytes } from 'node:crypto';
import { attenuate, deriveRootKey, mint } from '@hangar/tokens';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Caches } from '../src/caches.js';
import type { MockServer } from '../src/index.js';
import { admin, client, expectProblem, http, startServer, withServer } from './helpers.js';

// The verified-token cache (src/caches.ts): the counters from `server.cacheStats()` show that a
// repeated token is a hit, and every reply stays the one the full path gives.

let server: MockServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

/** The verified-token counters' change while `fn` runs. */
async function counted(fn: () => Promise<unknown>): Promise<{ hits: number; misses: number }> {
  const before = server.cacheStats().verifiedTokens;
  await fn();
  const after = server.cacheStats().verifiedTokens;
  return { hits: after.hits - before.hits, misses: after.misses - before.misses };
}

describe('the verified-token cache', () => {
  it('verifies a token once, then answers its next requests from the cache', async () => {
    const ci = await client(server).tokens.createOrg('acme');
    const reader = client(server, ci.token);
    expect(await counted(() => reader.orgs.get('acme'))).toEqual({ hits: 0, misses: 1 });
    // Any request with the same token hits: another path, after a write.
    expect(await counted(() => reader.tokens.listOrg('acme'))).toEqual({ hits: 1, misses: 0 });
    await client(server).apps.create('acme', 'acme-new');
    expect(await counted(() => reader.apps.get('acme-new'))).toEqual({ hits: 1, misses: 0 });
  });

  it('does not keep failures: a bad signature is checked (and refused) every time', async () => {
    const forged = `${server.devToken.slice(0, -8)}AAAAAAAA`;
    for (let i = 0; i < 2; i++) {
      const refused = counted(async () => {
        const reply = await http(server, 'GET', '/v1/viewer', { token: forged });
        expect(reply.status).toBe(401);
      });
      expect(await refused).toEqual({ hits: 0, misses: 1 });
    }
  });

  it('a revoked token (or one attenuated from it) is refused on the next request, a hit', async () => {
    const dev = client(server);
    const ci = await dev.tokens.createOrg('acme');
    const narrowed = attenuate(ci.token, [{ type: 'actions', actions: ['read'] }]);
    for (const token of [ci.token, narrowed]) await client(server, token).orgs.get('acme');
    await dev.tokens.revoke(ci.id);
    for (const token of [ci.token, narrowed]) {
      const refused = counted(() =>
        expectProblem(client(server, token).orgs.get('acme'), 401, 'token_revoked'),
      );
      expect(await refused).toEqual({ hits: 1, misses: 0 });
    }
  });

  it('an expired token is refused once the admin clock passes its expiry, as without a cache', async () => {
    const ci = await client(server).tokens.createOrg('acme', { expiresIn: 3600 });
    const reader = client(server, ci.token);
    await reader.orgs.get('acme');
    await admin(server, 'POST', '/clock', { advance_seconds: 1800 });
    expect(await counted(() => reader.orgs.get('acme'))).toEqual({ hits: 1, misses: 0 });
    await admin(server, 'POST', '/clock', { advance_seconds: 1801 });
    const held = server.cacheStats().verifiedTokens.entries;
    const refused = counted(() => expectProblem(reader.orgs.get('acme'), 401, 'token_expired'));
    expect(await refused).toEqual({ hits: 0, misses: 1 });
    expect(server.cacheStats().verifiedTokens.entries).toBe(held - 1);
    // An attenuated copy with a nearer expiry of its own expires at that one.
    const nowS = Math.floor(
      Date.parse((await admin(server, 'GET', '/clock')).now as string) / 1000,
    );
    const dev = await client(server).tokens.createOrg('acme');
    const short = attenuate(dev.token, [{ type: 'not-after', notAfter: nowS + 600 }]);
    await client(server, short).orgs.get('acme');
    await admin(server, 'POST', '/clock', { advance_seconds: 601 });
    await expectProblem(client(server, short).orgs.get('acme'), 401, 'token_expired');
    expect((await client(server, dev.token).orgs.get('acme')).slug).toBe('acme');
  });

  it('belongs to one server: a token verified by one is still refused by another', async () => {
    await withServer({ masterKey: randomBytes(32) }, async (other) => {
      await client(server).orgs.get('acme');
      await expectProblem(client(other, server.devToken).orgs.get('acme'), 401, 'token_invalid');
      expect(other.cacheStats().verifiedTokens.hits).toBe(0);
    });
  });
});

describe('Caches (unit)', () => {
  const masterKey = randomBytes(32);
  const token = (id: string) =>
    `Bearer ${mint({ identifier: id, rootKey: deriveRootKey(masterKey, id), caveats: [] })}`;
  const now = new Date();

  it('keeps at most its bound, dropping the least recently used', () => {
    const { verifiedTokens } = new Caches(masterKey, { verifiedMax: 2 });
    const [a, b, c] = [token('tok_a'), token('tok_b'), token('tok_c')];
    for (const header of [a, b, a, c])
      expect(verifiedTokens.authenticate(header, now).ok).toBe(true);
    expect(verifiedTokens.stats()).toEqual({ hits: 1, misses: 3, entries: 2 });
    verifiedTokens.authenticate(a, now); // still held: used after b
    expect(verifiedTokens.stats().hits).toBe(2);
    verifiedTokens.authenticate(b, now); // dropped when c came
    expect(verifiedTokens.stats()).toEqual({ hits: 2, misses: 4, entries: 2 });
  });

  it('does not keep a header longer than 4 KiB', () => {
    const { verifiedTokens } = new Caches(masterKey);
    const long = `${token('tok_long')}${' '.repeat(4096)}`;
    for (let i = 0; i < 2; i++) expect(verifiedTokens.authenticate(long, now).ok).toBe(true);
    expect(verifiedTokens.stats()).toEqual({ hits: 0, misses: 2, entries: 0 });
  });
});
