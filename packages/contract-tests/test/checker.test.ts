/**
 * The response checker itself, on hand-made responses: a suite that cannot fail proves
 * nothing, so these pin down that it rejects what the contract forbids.
 */
import { describe, expect, it } from 'vitest';
import { loadContract } from '../src/contract.js';

const contract = loadContract();
const token = {
  id: `tok_${'a'.repeat(32)}`,
  name: 'Deploy token',
  kind: 'deploy',
  org: 'acme',
  app: 'acme-web',
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
const notFound = {
  type: 'https://hangar.dev/problems/not_found',
  title: 'Not found',
  status: 404,
  code: 'not_found',
};
const json = 'application/json';
const problem = 'application/problem+json';

describe('response checker', () => {
  it('reads every operation and its access from the contract', () => {
    expect(contract.operations.length).toBeGreaterThan(0);
    expect(contract.operation('createSession').secured).toBe(false);
    expect(contract.operation('deleteApp').access).toEqual({
      resource: 'app',
      action: 'delete',
      level: 'org',
    });
    expect(contract.match('DELETE', '/v1/viewer/token')?.operationId).toBe('revokeCurrentToken');
    expect(contract.match('POST', '/v1/orgs/acme/tokens/org')?.operationId).toBe('createOrgToken');
    expect(contract.match('GET', '/v1/nowhere')).toBeUndefined();
  });

  it('accepts responses the contract allows', () => {
    expect(contract.check('getToken', 200, json, JSON.stringify(token))).toEqual([]);
    expect(
      contract.check(
        'createDeployToken',
        201,
        json,
        JSON.stringify({ ...token, token: 'hangar_x' }),
      ),
    ).toEqual([]);
    expect(
      contract.check('getToken', 404, `${problem}; charset=utf-8`, JSON.stringify(notFound)),
    ).toEqual([]);
    expect(contract.check('deleteApp', 204, null, '')).toEqual([]);
  });

  it('rejects an undeclared status, a wrong content type, a body on a 204 and non-JSON', () => {
    expect(contract.check('getToken', 409, problem, JSON.stringify(notFound))[0]).toMatch(
      /not declared/,
    );
    expect(contract.check('getToken', 404, json, JSON.stringify(notFound))[0]).toMatch(
      /content type/,
    );
    expect(contract.check('deleteApp', 204, json, '{}')[0]).toMatch(/no body/);
    expect(contract.check('getToken', 200, json, '<html>')[0]).toMatch(/not JSON/);
  });

  it('applies unevaluatedProperties through allOf: a token secret outside CreatedToken is refused', () => {
    expect(
      contract.check('getToken', 200, json, JSON.stringify({ ...token, token: 'hangar_x' }))[0],
    ).toMatch(/unevaluated/);
    expect(contract.check('createOrgToken', 201, json, JSON.stringify(token))[0]).toMatch(/token/);
  });

  it('checks nullable types, enums, formats and problem codes', () => {
    expect(contract.check('getToken', 200, json, JSON.stringify({ ...token, org: 3 }))).not.toEqual(
      [],
    );
    expect(
      contract.check('getToken', 200, json, JSON.stringify({ ...token, status: 'paused' })),
    ).not.toEqual([]);
    expect(
      contract.check('getToken', 200, json, JSON.stringify({ ...token, created_at: 'yesterday' })),
    ).not.toEqual([]);
    expect(
      contract.check(
        'getToken',
        200,
        json,
        JSON.stringify({ ...token, created_at: '2026-11-30T09:00:00+01:00' }),
      ),
    ).not.toEqual([]);
    const wrongCode = {
      ...notFound,
      code: 'forbidden',
      type: 'https://hangar.dev/problems/forbidden',
    };
    expect(contract.check('getToken', 404, problem, JSON.stringify(wrongCode))).not.toEqual([]);
    expect(
      contract.check('getToken', 404, problem, JSON.stringify({ ...notFound, status: 400 }))[0],
    ).toMatch(/status/);
  });
});
