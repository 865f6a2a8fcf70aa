import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { MockServer } from '../src/index.js';
import { startServer } from './helpers.js';

let server: MockServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

describe('the server root', () => {
  it('GET / answers a short JSON index without a token', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const index = await response.json();
    expect(index).toMatchObject({
      name: 'hangar-mock',
      version: pkg.version,
      api: '/v1',
      contract: '/openapi.yaml',
    });
  });

  it('GET /openapi.yaml serves the contract the server implements', async () => {
    const response = await fetch(`${server.url}/openapi.yaml`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/yaml/);
    const contract = parse(await response.text());
    const workspace = parse(
      readFileSync(new URL('../../../openapi/hangar.yaml', import.meta.url), 'utf8'),
    );
    expect(contract.openapi).toBe('3.1.0');
    expect(contract).toEqual(workspace);
  });

  it.each([
    ['OPTIONS', '/'],
    ['OPTIONS', '/openapi.yaml'],
    ['POST', '/'],
    ['DELETE', '/openapi.yaml'],
  ])(
    '%s %s: 405 method_not_allowed with Allow, as on every other path (not a 200 text)',
    async (method, path) => {
      const response = await fetch(`${server.url}${path}`, { method });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toMatchObject({ status: 405, code: 'method_not_allowed' });
    },
  );

  it('a CORS preflight of / is still answered by CORS', async () => {
    const preflight = await fetch(`${server.url}/`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });

  it('other paths at the root stay 404 problems', async () => {
    const response = await fetch(`${server.url}/index.html`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
