import { describe, expect, it } from 'vitest';
import { Contract, loadContract, pathMatcher } from '../src/index.js';

const contract = loadContract();

describe('operations', () => {
  it('reads every operation once, with its security and x-hangar-access', () => {
    expect(loadContract()).toBe(contract);
    const ids = contract.operations.map((op) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(contract.operation('createSession')).toMatchObject({ secured: false, method: 'post' });
    expect(contract.operation('deleteApp')).toMatchObject({
      path: '/v1/apps/{app}',
      secured: true,
      access: { resource: 'app', action: 'delete', level: 'org' },
    });
    expect(contract.operation('listOrgTokens').statuses).toEqual(
      expect.arrayContaining([200, 400, 401, 404]),
    );
    expect(() => contract.operation('nope')).toThrow(/no operation nope/);
  });

  it('merges path-level parameters with the operation’s', () => {
    const names = contract.operation('listOrgTokens').parameters.map((p) => `${p.in}.${p.name}`);
    expect(names).toEqual(['path.org', 'query.limit', 'query.cursor', 'query.status']);
  });
});

describe('strict path matching', () => {
  const match = pathMatcher('/v1/apps/{app}/machines/{machine}');

  it('captures each parameter raw', () => {
    expect(match('/v1/apps/acme-web/machines/m_1')).toEqual({ app: 'acme-web', machine: 'm_1' });
    expect(match('/v1/apps/a%2Fb/machines/x')).toEqual({ app: 'a%2Fb', machine: 'x' });
  });

  it.each([
    '/v1/apps/acme-web/machines/m_1/',
    '/v1/apps//machines/m_1',
    '/v1/apps/acme-web/machines/',
    '/V1/apps/acme-web/machines/m_1',
    '/v1/apps/acme-web/machines/m_1/start',
  ])('%s does not match', (pathname) => {
    expect(match(pathname)).toBeUndefined();
  });

  it('finds the operation of a request; a concrete path wins over a template', () => {
    expect(contract.match('post', '/v1/orgs/acme/tokens/org')?.operationId).toBe('createOrgToken');
    expect(contract.match('DELETE', '/v1/viewer/token')?.operationId).toBe('revokeCurrentToken');
    expect(contract.match('GET', '/v1/orgs/acme/')).toBeUndefined();
    const concrete = new Contract(
      {
        paths: {
          '/x/{id}': { get: { operationId: 'byId', responses: {} } },
          '/x/me': { get: { operationId: 'me', responses: {} } },
        },
      },
      'https://example.test/doc.json',
    );
    expect(concrete.match('GET', '/x/me')?.operationId).toBe('me');
    expect(concrete.match('GET', '/x/42')?.operationId).toBe('byId');
  });
});

describe('request validation', () => {
  const request = (id: string, input: Partial<Parameters<typeof contract.validators.request>[1]>) =>
    contract.validators.request(contract.operation(id), {
      params: {},
      query: {},
      body: undefined,
      ...input,
    });

  it('coerces and checks path and query parameters, naming each field', () => {
    const ok = request('listOrgTokens', { params: { org: 'acme' }, query: { limit: '5' } });
    expect(ok).toEqual({ errors: [], params: { org: 'acme' }, query: { limit: 5 } });
    expect(
      request('listOrgTokens', { params: { org: 'Bad_Org' }, query: { limit: '500' } }).errors,
    ).toEqual([
      {
        field: 'path.org',
        message:
          'must be a DNS label: 1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen',
      },
      { field: 'query.limit', message: 'must be <= 100' },
    ]);
  });

  it.each(['1e1', '+5', ' 5', '5 ', '0x10', '5.0', '5.', '1_0', '٥'])(
    'refuses limit=%j: an integer parameter is decimal digits only, named with one message',
    (limit) => {
      expect(request('listOrgTokens', { params: { org: 'acme' }, query: { limit } })).toMatchObject(
        {
          errors: [
            { field: 'query.limit', message: 'must be an integer written in decimal digits (0-9)' },
          ],
        },
      );
    },
  );

  it('takes an integer parameter in decimal digits, leading zeros too; a minus sign meets its minimum', () => {
    expect(request('listOrgs', { query: { limit: '007' } })).toMatchObject({
      errors: [],
      query: { limit: 7 },
    });
    expect(request('listOrgs', { query: { limit: '-5' } }).errors).toEqual([
      { field: 'query.limit', message: 'must be >= 1' },
    ]);
  });

  it('refuses unknown and empty query parameters first', () => {
    expect(
      request('listOrgs', { query: { colour: 'red', limit: '0', cursor: '' } }).errors,
    ).toEqual([
      { field: 'query.colour', message: "Unknown query parameter 'colour'" },
      { field: 'query.cursor', message: "Empty value found for query parameter 'cursor'" },
    ]);
  });

  it('checks bodies without coercion: unknown fields, types, missing fields, rules in words', () => {
    const body = { name: 7, expires_in: '5', scope: 'all' };
    expect(request('createOrgToken', { params: { org: 'acme' }, body }).errors).toEqual([
      { field: 'body.scope', message: 'unknown field "scope"' },
      { field: 'body.name', message: 'must be string' },
      { field: 'body.expires_in', message: 'must be integer' },
    ]);
    expect(request('createApp', { params: { org: 'acme' }, body: {} }).errors).toEqual([
      { field: 'body.name', message: "must have required property 'name'" },
    ]);
    expect(request('getToken', { params: { token_id: 'tok_x' } }).errors).toEqual([
      { field: 'path.token_id', message: 'must be a token id: tok_ and 32 lowercase hex digits' },
    ]);
  });
});

describe('response checks', () => {
  const token = {
    id: 'tok_3f9a0c1d2e4b5a697788990011223344',
    name: 'ci',
    kind: 'org',
    org: 'acme',
    app: null,
    created_by: 'dev@hangar.local',
    created_at: '2026-11-30T08:00:00Z',
    expires_at: '2046-11-25T08:00:00Z',
    last_used_at: null,
    revoked_at: null,
    rotated_at: null,
    replaced_by: null,
    replaces: null,
    status: 'active',
  };
  const json = 'application/json';

  it('passes what the contract allows and names what it does not', () => {
    expect(contract.checkResponse('getToken', 200, json, JSON.stringify(token))).toEqual([]);
    expect(contract.checkResponse('deleteApp', 204, null, '')).toEqual([]);
    expect(contract.checkResponse('getToken', 418, json, '{}')[0]).toMatch(/not declared/);
    expect(contract.checkResponse('deleteApp', 204, json, '{}')[0]).toMatch(/no body/);
    expect(
      contract.checkResponse('getToken', 200, json, JSON.stringify({ ...token, token: 'x' }))[0],
    ).toMatch(/breaks the schema.*token/);
    expect(contract.checkResponse('getToken', 200, 'text/html', JSON.stringify(token))[0]).toMatch(
      /content type/,
    );
  });
});
