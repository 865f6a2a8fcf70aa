import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { http, startServer } from './helpers.js';

let server: MockServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const json = { 'content-type': 'application/json' };

/** POSTs `body` as JSON with the dev token; returns the status, code and failing fields. */
async function post(path: string, body: unknown) {
  const response = await http(server, 'POST', path, {
    token: server.devToken,
    headers: json,
    body: JSON.stringify(body),
  });
  const errors = (response.body.errors ?? []) as { field: string }[];
  return {
    status: response.status,
    code: response.body.code,
    fields: [...new Set(errors.map((e) => e.field))],
  };
}

describe('names and images that would reach a terminal must be printable', () => {
  it('a token name with control characters: 400 naming body.name', async () => {
    for (const path of [
      '/v1/orgs/acme/tokens/org',
      '/v1/orgs/acme/tokens/readonly',
      '/v1/apps/acme-web/tokens',
    ]) {
      expect(await post(path, { name: 'evil\n\u001b[31m' })).toEqual({
        status: 400,
        code: 'validation_failed',
        fields: ['body.name'],
      });
    }
  });

  it('a blank token name: 400 naming body.name', async () => {
    expect(await post('/v1/orgs/acme/tokens/org', { name: '   ' })).toEqual({
      status: 400,
      code: 'validation_failed',
      fields: ['body.name'],
    });
  });

  it('a token name with inner spaces and non-ASCII letters is fine', async () => {
    const created = await post('/v1/orgs/acme/tokens/org', { name: 'CI für acme web' });
    expect(created.status).toBe(201);
  });

  it('a machine image with a control character: 400 naming body.image', async () => {
    expect(await post('/v1/apps/acme-web/machines', { image: 'nginx\u001b[2J' })).toEqual({
      status: 400,
      code: 'validation_failed',
      fields: ['body.image'],
    });
    expect((await post('/v1/apps/acme-web/machines', { image: 'nginx latest' })).status).toBe(400);
  });
});

describe('trust policies refuse text a terminal would interpret', () => {
  const policy = {
    name: 'ci',
    issuer: 'https://token.actions.githubusercontent.com',
    audience: 'https://hangar.dev',
    conditions: { sub: 'repo:acme/web:*' },
    grant: { kind: 'readonly' },
  };
  const path = '/v1/orgs/acme/trust-policies';

  it('control characters in the issuer, the audience and a condition: 400 naming each', async () => {
    expect(
      await post(path, {
        ...policy,
        issuer: 'https://x.example/\u001b[31m',
        audience: 'aud\u001b[2Jx',
        conditions: { sub: 'a\u001b]0;pwned\u0007' },
      }),
    ).toEqual({
      status: 400,
      code: 'validation_failed',
      fields: ['body.issuer', 'body.audience', 'body.conditions.sub'],
    });
    for (const [field, value] of [
      ['issuer', 'https://x.example/\u009b31m'],
      ['audience', '\u007f'],
    ] as const) {
      expect((await post(path, { ...policy, [field]: value })).fields).toEqual([`body.${field}`]);
    }
  });

  it('printable values with spaces, globs and non-ASCII letters are fine', async () => {
    const created = await post(path, {
      ...policy,
      name: 'ci printable',
      audience: 'hangar für acme',
      conditions: { sub: 'repo:acme/web:*', workflow: 'Deploy to prod' },
    });
    expect(created.status).toBe(201);
  });
});

describe('seed fixtures refuse names a terminal would interpret', () => {
  async function seed(body: string, contentType: string) {
    const response = await http(server, 'POST', '/_admin/seed', {
      headers: { 'x-hangar-admin-key': server.adminKey, 'content-type': contentType },
      body,
    });
    const errors = (response.body.errors ?? []) as { field: string }[];
    return {
      status: response.status,
      code: response.body.code,
      fields: errors.map((e) => e.field),
    };
  }

  it('JSON: control characters in an org name, a blank org name, an escape in an email', async () => {
    const fixture = {
      users: [{ email: 'ana\u001b@initech.test', password: 'pw' }],
      orgs: [
        { slug: 'initech', name: 'Initech\u001b[2J', members: [] },
        { slug: 'blank', name: '  ' },
      ],
    };
    expect(await seed(JSON.stringify(fixture), 'application/json')).toEqual({
      status: 400,
      code: 'validation_failed',
      fields: ['users[0].email', 'orgs[0].name', 'orgs[1].name'],
    });
  });

  it('YAML: an escaped control character in an org name', async () => {
    const yaml = 'orgs:\n  - { slug: initech, name: "Initech\\e[31m" }\n';
    expect(await seed(yaml, 'application/yaml')).toEqual({
      status: 400,
      code: 'validation_failed',
      fields: ['orgs[0].name'],
    });
  });
});
