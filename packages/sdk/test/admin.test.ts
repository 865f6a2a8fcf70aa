import { describe, expect, it } from 'vitest';
import { createAdminClient } from '../src/admin.js';
import { HangarApiError } from '../src/index.js';
import { fakeFetch, json, problem } from './fake-fetch.js';

const baseUrl = 'http://hangar.test/v1/';
const adminKey = 'hma_test-key';

describe('createAdminClient (@hangar/sdk/admin)', () => {
  it('sends the admin key and the typed bodies to /_admin on the server root', async () => {
    const { fetch, calls } = fakeFetch(async (request) => {
      if (request.url.endsWith('/_admin/seed')) {
        return json({ users: [{ email: 'ana@initech.test', token: 'hangar_x' }] });
      }
      if (request.url.endsWith('/_admin/reset')) return json({ ok: true });
      return json({ now: '2030-01-01T00:00:00Z' });
    });
    const admin = createAdminClient({ baseUrl, adminKey, fetch });
    await admin.reset();
    const seeded = await admin.seed({ users: [{ email: 'ana@initech.test', password: 'pw' }] });
    expect(seeded.users[0]?.token).toBe('hangar_x');
    expect(await admin.advance(60)).toBe('2030-01-01T00:00:00Z');
    await admin.set(new Date(Date.UTC(2030, 0, 1)));
    expect(await admin.now()).toBe('2030-01-01T00:00:00Z');
    const sent = await Promise.all(
      calls.map(async (r) => [
        r.method,
        r.url,
        r.headers.get('x-hangar-admin-key'),
        await r.text(),
      ]),
    );
    expect(sent).toEqual([
      ['POST', 'http://hangar.test/_admin/reset', adminKey, ''],
      [
        'POST',
        'http://hangar.test/_admin/seed',
        adminKey,
        '{"users":[{"email":"ana@initech.test","password":"pw"}]}',
      ],
      ['POST', 'http://hangar.test/_admin/clock', adminKey, '{"advance_seconds":60}'],
      ['PUT', 'http://hangar.test/_admin/clock', adminKey, '{"now":"2030-01-01T00:00:00.000Z"}'],
      ['GET', 'http://hangar.test/_admin/clock', adminKey, ''],
    ]);
  });

  it('throws HangarApiError with the problem code', async () => {
    const { fetch } = fakeFetch(() =>
      problem(401, 'unauthenticated', 'Send the admin key in the X-Hangar-Admin-Key header'),
    );
    const error = await createAdminClient({ baseUrl, adminKey: 'wrong', fetch })
      .reset()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HangarApiError);
    expect((error as HangarApiError).code).toBe('unauthenticated');
    expect(String((error as HangarApiError).message)).not.toContain('wrong');
  });

  it('faults and requests helpers send the documented methods, paths, bodies and filters', async () => {
    const fault = { id: 'flt_0123456789abcdef' };
    const { fetch, calls } = fakeFetch(async (request) => {
      if (request.url.includes('/count')) return json({ count: 2 });
      if (request.url.includes('/_admin/requests')) {
        return request.method === 'GET' ? json({ items: [] }) : json({ deleted: 3 });
      }
      if (request.url.endsWith('/_admin/faults') && request.method === 'GET') {
        return json({ items: [fault] });
      }
      if (request.url.endsWith('/_admin/faults') && request.method === 'DELETE') {
        return json({ deleted: 1 });
      }
      return json(fault, request.method === 'POST' ? 201 : 200);
    });
    const admin = createAdminClient({ baseUrl, adminKey, fetch });
    await admin.faults.add({ operation_id: 'createOrgToken', status: 503, times: 1 });
    expect(await admin.faults.list()).toEqual([fault]);
    await admin.faults.delete(fault.id);
    expect(await admin.faults.clear()).toBe(1);
    await admin.requests.list({ operationId: 'listOrgs', status: 200, limit: 5 });
    const since = new Date(Date.UTC(2026, 11, 2, 8));
    expect(await admin.requests.count({ tokenId: 'tok_1', since })).toBe(2);
    expect(await admin.requests.clear()).toBe(3);
    const sent = await Promise.all(calls.map(async (r) => [r.method, r.url, await r.text()]));
    expect(sent).toEqual([
      [
        'POST',
        'http://hangar.test/_admin/faults',
        '{"operation_id":"createOrgToken","status":503,"times":1}',
      ],
      ['GET', 'http://hangar.test/_admin/faults', ''],
      ['DELETE', `http://hangar.test/_admin/faults/${fault.id}`, ''],
      ['DELETE', 'http://hangar.test/_admin/faults', ''],
      ['GET', 'http://hangar.test/_admin/requests?operation_id=listOrgs&status=200&limit=5', ''],
      [
        'GET',
        'http://hangar.test/_admin/requests/count?token_id=tok_1&since=2026-12-02T08%3A00%3A00.000Z',
        '',
      ],
      ['DELETE', 'http://hangar.test/_admin/requests', ''],
    ]);
  });
  it('oidc helpers send the documented methods, paths and bodies', async () => {
    const issuer = {
      issuer: 'http://hangar.test/_oidc',
      discovery_url: 'http://hangar.test/_oidc/.well-known/openid-configuration',
      jwks_uri: 'http://hangar.test/_oidc/jwks',
      keys: [],
    };
    const { fetch, calls } = fakeFetch(async (request) =>
      request.url.endsWith('/id-tokens') ? json({ id_token: 'e.y.j', claims: {} }) : json(issuer),
    );
    const admin = createAdminClient({ baseUrl, adminKey, fetch });
    expect(await admin.oidc.issuer()).toBe('http://hangar.test/_oidc');
    const minted = await admin.oidc.mintIdToken({ preset: 'github-actions', repository: 'a/b' });
    expect(minted.id_token).toBe('e.y.j');
    await admin.oidc.rotateKeys({ dropPrevious: true });
    await admin.oidc.rotateKeys();
    const sent = await Promise.all(calls.map(async (r) => [r.method, r.url, await r.text()]));
    expect(sent).toEqual([
      ['GET', 'http://hangar.test/_admin/oidc', ''],
      [
        'POST',
        'http://hangar.test/_admin/oidc/id-tokens',
        '{"preset":"github-actions","repository":"a/b"}',
      ],
      ['POST', 'http://hangar.test/_admin/oidc/keys/rotate', '{"drop_previous":true}'],
      ['POST', 'http://hangar.test/_admin/oidc/keys/rotate', '{}'],
    ]);
  });
});
