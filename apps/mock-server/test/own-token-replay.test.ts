/**
 * A retry of the request by which a token rotated or revoked itself (rotateCurrentToken,
 * revokeCurrentToken) with the same Idempotency-Key replays its stored answer, although
 * authentication refuses that token for anything else: otherwise a rotation whose answer was
 * lost (connection dropped after the commit) would lose the new token, whose secret the server
 * does not keep.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { attenuate, decodeMacaroon, decodeTokenString } from '@hangar/tokens';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import {
  admin,
  call,
  client,
  expectProblem,
  startServer,
  useTempDir,
  withServer,
} from './helpers.js';

const ROTATE = '/v1/viewer/token/rotate';

/** Event types recorded about token `id` in acme, newest first. */
async function eventTypes(server: MockServer, id: string): Promise<string[]> {
  const { items } = await client(server).events.listOrg('acme', { tokenId: id });
  return items.map((e) => e.type);
}

/** The ids of acme's org tokens named `name`. */
async function namedOrgTokens(server: MockServer, name: string): Promise<string[]> {
  const { items } = await client(server).tokens.listOrg('acme', { limit: 100 });
  return items.filter((t) => t.name === name).map((t) => t.id);
}

describe('retrying a self-rotation or self-revocation with its Idempotency-Key', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.close());

  it('rotateCurrentToken (grace 0) again with the same key replays the same new token; the old token stays refused for anything else', async () => {
    const old = await client(server).tokens.createOrg('acme', { name: 'self-rotate' });
    const first = await call(server, 'POST', ROTATE, { token: old.token, key: 'rot-1', body: {} });
    expect(first.status).toBe(201);
    const again = await call(server, 'POST', ROTATE, { token: old.token, key: 'rot-1', body: {} });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('cache-control')).toBe('no-store');
    expect(again.body).toEqual(first.body);
    expect(again.body.replaces).toBe(old.id);

    const fresh = again.body.token as string;
    expect((await client(server, fresh).viewer.get()).token.id).toBe(first.body.id);
    await expectProblem(client(server, old.token).viewer.get(), 401, 'token_rotated');
    // One rotation happened: one new token, one token.rotated event.
    expect(await namedOrgTokens(server, 'self-rotate')).toEqual([first.body.id, old.id]);
    const types = await eventTypes(server, old.id);
    expect(types.filter((t) => t === 'token.rotated')).toHaveLength(1);
    // The replays were not refused uses; the viewer.get above was.
    expect(types.filter((t) => t === 'token.used_after_rotation')).toHaveLength(1);
  });

  it('the old token with another key, or the same key with another body, is 401 token_rotated and rotates nothing', async () => {
    const old = await client(server).tokens.createOrg('acme', { name: 'self-rotate-2' });
    const first = await call(server, 'POST', ROTATE, { token: old.token, key: 'rot-2', body: {} });
    expect(first.status).toBe(201);
    const otherKey = await call(server, 'POST', ROTATE, {
      token: old.token,
      key: 'rot-2b',
      body: {},
    });
    const otherBody = await call(server, 'POST', ROTATE, {
      token: old.token,
      key: 'rot-2',
      body: { grace_period: 60 },
    });
    // The same key on another operation (a key the rotation did not answer there).
    const otherPath = await call(server, 'DELETE', '/v1/viewer/token', {
      token: old.token,
      key: 'rot-2',
    });
    for (const refused of [otherKey, otherBody, otherPath]) {
      expect(refused.status).toBe(401);
      expect(refused.body.code).toBe('token_rotated');
      expect(JSON.stringify(refused.body)).not.toContain('hangar_');
    }
    expect(await namedOrgTokens(server, 'self-rotate-2')).toEqual([first.body.id, old.id]);
    const types = await eventTypes(server, old.id);
    // Three refused uses within a minute: one event (once a minute per token, as last_used_at).
    expect(types.filter((t) => t === 'token.used_after_rotation')).toHaveLength(1);
    expect(types.filter((t) => t === 'token.rotated')).toHaveLength(1);
  });

  it('a token attenuated from the rotated one gets no replay of its rotation', async () => {
    const old = await client(server).tokens.createOrg('acme', { name: 'self-rotate-3' });
    const child = attenuate(old.token, [{ type: 'actions', actions: ['read'] }]);
    const first = await call(server, 'POST', ROTATE, { token: old.token, key: 'rot-3', body: {} });
    expect(first.status).toBe(201);
    const byChild = await call(server, 'POST', ROTATE, { token: child, key: 'rot-3', body: {} });
    expect([byChild.status, byChild.body.code]).toEqual([401, 'token_rotated']);
  });

  it('the replay lasts 10 minutes after the answer (a retry, not a leaked token fetching its replacement), then the old token is refused', async () => {
    const old = await client(server).tokens.createOrg('acme', { name: 'self-rotate-4' });
    const first = await call(server, 'POST', ROTATE, { token: old.token, key: 'rot-4', body: {} });
    await admin(server, 'POST', '/clock', { advance_seconds: 5 * 60 });
    const within = await call(server, 'POST', ROTATE, { token: old.token, key: 'rot-4', body: {} });
    expect(within.status).toBe(201);
    expect(within.body.token).toBe(first.body.token);
    await admin(server, 'POST', '/clock', { advance_seconds: 6 * 60 });
    const after = await call(server, 'POST', ROTATE, { token: old.token, key: 'rot-4', body: {} });
    expect([after.status, after.body.code]).toEqual([401, 'token_rotated']);
    expect(JSON.stringify(after.body)).not.toContain('hangar_');
  });

  it('a self-revocation replays its 200 for 10 minutes, then the revoked token is 401 token_revoked', async () => {
    const token = (await client(server).tokens.createOrg('acme', { name: 'self-revoke-4' })).token;
    expect((await call(server, 'DELETE', '/v1/viewer/token', { token, key: 'rm-4' })).status).toBe(
      200,
    );
    await admin(server, 'POST', '/clock', { advance_seconds: 5 * 60 });
    const within = await call(server, 'DELETE', '/v1/viewer/token', { token, key: 'rm-4' });
    expect(within.status).toBe(200);
    await admin(server, 'POST', '/clock', { advance_seconds: 6 * 60 });
    const after = await call(server, 'DELETE', '/v1/viewer/token', { token, key: 'rm-4' });
    expect([after.status, after.body.code]).toEqual([401, 'token_revoked']);
  });

  it('revokeCurrentToken again with the same key replays its 200; another key is 401 token_revoked', async () => {
    const token = (await client(server).tokens.createOrg('acme', { name: 'self-revoke' })).token;
    const first = await call(server, 'DELETE', '/v1/viewer/token', { token, key: 'rm-1' });
    expect(first.status).toBe(200);
    const again = await call(server, 'DELETE', '/v1/viewer/token', { token, key: 'rm-1' });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const otherKey = await call(server, 'DELETE', '/v1/viewer/token', { token, key: 'rm-2' });
    expect([otherKey.status, otherKey.body.code]).toEqual([401, 'token_revoked']);
    await expectProblem(client(server, token).viewer.get(), 401, 'token_revoked');
  });

  it('rotateToken (by id) of another token is unaffected: the caller is not rotated, its retry replays as any', async () => {
    const dev = client(server);
    const old = await dev.tokens.createOrg('acme', { name: 'rotate-by-id' });
    const path = `/v1/tokens/${old.id}/rotate`;
    const first = await call(server, 'POST', path, { token: server.devToken, key: 'id-1' });
    const again = await call(server, 'POST', path, { token: server.devToken, key: 'id-1' });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.token).toBe(first.body.token);
    // The rotated token itself cannot fetch that answer: it is not the caller that rotated it.
    const byOld = await call(server, 'POST', ROTATE, { token: old.token, key: 'id-1' });
    expect([byOld.status, byOld.body.code]).toEqual([401, 'token_rotated']);
  });
});

describe('a replayed self-rotation stores no token secret', () => {
  const dir = useTempDir('hangar-own-replay-');

  it('neither the database nor its WAL holds the new token string or signature', async () => {
    await withServer({ dataDir: dir.path }, async (server) => {
      const old = await client(server).tokens.createOrg('acme', { name: 'stored' });
      const answers = [];
      for (let attempt = 0; attempt < 2; attempt++) {
        answers.push(await call(server, 'POST', ROTATE, { token: old.token, key: 'wal-rot' }));
      }
      expect(answers.map((a) => a.status)).toEqual([201, 201]);
      const secret = answers[0]?.body.token as string;
      expect(answers[1]?.body.token).toBe(secret);
      const bytes = Buffer.concat(
        ['hangar.db', 'hangar.db-wal'].map((f) => readFileSync(join(dir.path, f))),
      );
      expect(bytes.includes('wal-rot')).toBe(true);
      expect(bytes.includes(secret)).toBe(false);
      const { signature } = decodeMacaroon(decodeTokenString(secret));
      expect(bytes.includes(Buffer.from(signature))).toBe(false);
      expect(bytes.includes(Buffer.from(signature).toString('base64url'))).toBe(false);
    });
  });
});
