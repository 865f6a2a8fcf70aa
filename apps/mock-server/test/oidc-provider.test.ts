import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createAdminClient } from '@hangar/sdk/admin';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  type JSONWebKeySet,
  jwtVerify,
} from 'jose';
import { describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { expectProblem, startServer, useTempDir, withServer } from './helpers.js';

const admin = (server: MockServer) =>
  createAdminClient({ baseUrl: server.url, adminKey: server.adminKey });

/** The server clock as a Date (what jose's `currentDate` takes). */
async function serverNow(server: MockServer): Promise<Date> {
  return new Date(await admin(server).now());
}

/**
 * Verifies `token` as a relying party would: the issuer's JWKS fetched from the live `jwks_uri`
 * of its discovery document (a fresh key set each time, so no cached key hides a rotation),
 * issuer and audience checked, times on the server clock.
 */
async function verify(server: MockServer, token: string, audience = 'hangar') {
  const issuer = `${server.url}/_oidc`;
  const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
    jwks_uri: string;
  };
  const keys = createRemoteJWKSet(new URL(discovery.jwks_uri));
  return jwtVerify(token, keys, {
    issuer,
    audience,
    algorithms: ['RS256', 'ES256'],
    currentDate: await serverNow(server),
  });
}

describe('test identity provider (/_oidc and /_admin/oidc)', () => {
  it('serves a public discovery document and JWKS that verify a minted ID token', async () => {
    await withServer({}, async (server) => {
      const issuer = `${server.url}/_oidc`;
      const discovery = await fetch(`${issuer}/.well-known/openid-configuration`);
      expect(discovery.status).toBe(200);
      expect(await discovery.json()).toMatchObject({
        issuer,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['id_token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256', 'ES256'],
      });
      const jwks = (await (await fetch(`${issuer}/jwks`)).json()) as { keys: object[] };
      expect(jwks.keys.map((k) => Object.keys(k).sort())).toEqual([
        ['alg', 'e', 'kid', 'kty', 'n', 'use'],
        ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y'],
      ]);
      expect(await admin(server).oidc.issuer()).toBe(issuer);

      const rs = await admin(server).oidc.mintIdToken({ claims: { sub: 'ci-job' } });
      expect(decodeProtectedHeader(rs.id_token)).toMatchObject({ alg: 'RS256', typ: 'JWT' });
      const { payload, protectedHeader } = await verify(server, rs.id_token);
      expect(payload).toEqual(rs.claims);
      expect([payload.sub, payload.aud, payload.exp]).toEqual([
        'ci-job',
        'hangar',
        (payload.iat as number) + 300,
      ]);
      expect((jwks.keys as { kid: string }[]).map((k) => k.kid)).toContain(protectedHeader.kid);

      const es = await admin(server).oidc.mintIdToken({ alg: 'ES256', audience: ['a', 'b'] });
      expect((await verify(server, es.id_token, 'b')).protectedHeader.alg).toBe('ES256');
      await expect(verify(server, es.id_token)).rejects.toBeInstanceOf(
        errors.JWTClaimValidationFailed,
      );
    });
  }, 60_000);

  it('the public paths answer 405 with Allow for another method and 404 for an unknown path', async () => {
    await withServer({}, async (server) => {
      const post = await fetch(`${server.url}/_oidc/jwks`, { method: 'POST' });
      expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
      expect(((await post.json()) as { code: string }).code).toBe('method_not_allowed');
      const head = await fetch(`${server.url}/_oidc/.well-known/openid-configuration`, {
        method: 'HEAD',
      });
      expect(head.status).toBe(200);
      const unknown = await fetch(`${server.url}/_oidc/userinfo`);
      expect(unknown.status).toBe(404);
    });
  }, 60_000);

  it('the github-actions preset gives GitHub claim shapes; claims override them', async () => {
    await withServer({}, async (server) => {
      const oidc = admin(server).oidc;
      const main = await oidc.mintIdToken({ preset: 'github-actions', repository: 'acme/web' });
      expect(main.claims).toMatchObject({
        sub: 'repo:acme/web:ref:refs/heads/main',
        repository: 'acme/web',
        repository_owner: 'acme',
        ref: 'refs/heads/main',
        ref_type: 'branch',
        workflow: 'deploy',
        job_workflow_ref: 'acme/web/.github/workflows/deploy.yml@refs/heads/main',
        actor: 'octocat',
      });
      expect(main.claims).not.toHaveProperty('environment');
      const prod = await oidc.mintIdToken({
        preset: 'github-actions',
        repository: 'acme/api',
        ref: 'refs/tags/v1.2.0',
        environment: 'production',
        workflow: 'Release',
        claims: { actor: 'ana', run_id: '42' },
      });
      expect(prod.claims).toMatchObject({
        sub: 'repo:acme/api:environment:production',
        environment: 'production',
        ref_type: 'tag',
        workflow: 'Release',
        job_workflow_ref: 'acme/api/.github/workflows/release.yml@refs/tags/v1.2.0',
        actor: 'ana',
        run_id: '42',
      });
      expect((await verify(server, prod.id_token)).payload).toEqual(prod.claims);
      const bad = await expectProblem(
        oidc.mintIdToken({ environment: 'production', repository: 'not a repo' }),
        400,
        'validation_failed',
      );
      expect(bad.message).toContain('body.repository');
    });
  }, 60_000);

  it('times follow the admin clock: a token expires when the clock passes exp', async () => {
    await withServer({}, async (server) => {
      const control = admin(server);
      await control.advance(86_400);
      const now = Math.floor((await serverNow(server)).getTime() / 1000);
      const minted = await control.oidc.mintIdToken({ expires_in: 60 });
      expect(minted.claims.iat).toBeGreaterThanOrEqual(now);
      expect(minted.claims.iat).toBeLessThan(now + 30);
      expect(minted.claims.exp).toBe((minted.claims.iat as number) + 60);
      await verify(server, minted.id_token);
      await control.advance(61);
      await expect(verify(server, minted.id_token)).rejects.toBeInstanceOf(errors.JWTExpired);

      const later = await control.oidc.mintIdToken({
        issued_at: '2099-01-01T00:00:00Z',
        not_before: '2099-01-01T00:00:00Z',
      });
      expect([later.claims.iat, later.claims.nbf]).toEqual([4070908800, 4070908800]);
      await expect(verify(server, later.id_token)).rejects.toBeInstanceOf(
        errors.JWTClaimValidationFailed,
      );
    });
  }, 60_000);

  it('rotation: old-key tokens verify while the previous keys are kept, not after they are dropped', async () => {
    await withServer({}, async (server) => {
      const oidc = admin(server).oidc;
      const old = await oidc.mintIdToken();
      const rotated = await oidc.rotateKeys();
      const fresh = await oidc.mintIdToken();
      const oldKid = decodeProtectedHeader(old.id_token).kid;
      expect(decodeProtectedHeader(fresh.id_token).kid).not.toBe(oldKid);
      expect(rotated.keys.filter((k) => !k.current).map((k) => k.kid)).toContain(oldKid);
      await verify(server, old.id_token);
      await verify(server, fresh.id_token);

      const dropped = await oidc.rotateKeys({ rotate: false, dropPrevious: true });
      expect(dropped.keys.every((k) => k.current)).toBe(true);
      await expect(verify(server, old.id_token)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
      await verify(server, fresh.id_token);
    });
  }, 60_000);

  const dir = useTempDir('hangar-oidc-');

  it('with a data dir, keys persist (0600) across a restart and a reset keeps them', async () => {
    const dataDir = join(dir.path, 'data');
    const first = await startServer({ dataDir });
    const minted = await admin(first).oidc.mintIdToken();
    await admin(first).reset();
    await verify(first, minted.id_token);
    await first.close();
    const file = join(dataDir, 'oidc-keys.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = await startServer({ dataDir });
    try {
      // The restarted server's JWKS (fetched live) verifies the token signed before the restart;
      // its `iss` names the first server's port (a server on a fixed port keeps one issuer).
      const jwks = (await (await fetch(`${second.url}/_oidc/jwks`)).json()) as JSONWebKeySet;
      const { payload } = await jwtVerify(minted.id_token, createLocalJWKSet(jwks), {
        issuer: `${first.url}/_oidc`,
        audience: 'hangar',
        currentDate: await serverNow(second),
      });
      expect(payload.jti).toBe(minted.claims.jti);
    } finally {
      await second.close();
    }
  }, 60_000);

  it('a damaged key file stops the start with a message naming it, quoting nothing', async () => {
    const dataDir = join(dir.path, 'data');
    await withServer({ dataDir }, async (server) => {
      await admin(server).oidc.mintIdToken();
    });
    const file = join(dataDir, 'oidc-keys.json');
    const saved = readFileSync(file, 'utf8');
    writeFileSync(file, saved.slice(0, 200), { mode: 0o600 });
    const error = await startServer({ dataDir }).catch((e: unknown) => e);
    expect(String(error)).toContain(`cannot read the OIDC signing keys in ${file}: it is not JSON`);
    expect(String(error)).not.toContain(saved.slice(20, 60));
  }, 60_000);

  it('never logs an ID token or a private key', async () => {
    const logs = new PassThrough();
    let written = '';
    logs.on('data', (chunk: Buffer) => {
      written += chunk.toString('utf8');
    });
    await withServer({ logLevel: 'trace', logDestination: logs }, async (server) => {
      const minted = await admin(server).oidc.mintIdToken({ preset: 'github-actions' });
      await admin(server).oidc.rotateKeys();
      await fetch(`${server.url}/_oidc/jwks`);
      expect(written).toContain('/_admin/oidc/id-tokens');
      expect(written).not.toContain(minted.id_token.split('.')[1]);
      expect(written).not.toMatch(/"d":/);
    });
  }, 60_000);
});
