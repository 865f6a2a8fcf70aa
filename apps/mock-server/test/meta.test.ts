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

  it('other paths at the root stay 404 problems', async () => {
    const response = await fetch(`${server.url}/index.html`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
