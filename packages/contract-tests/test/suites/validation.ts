import { describe, expect, it } from 'vitest';
import { APP_A1, ORG_A, type World } from '../../src/world.js';

interface Problem {
  code?: string;
  errors?: { field: string; message: string }[];
}

/**
 * Invalid requests, sent as raw HTTP (the typed client would not build them): 400 with the
 * failing field, 413, 415. The recorder checks these responses against the contract as well.
 */
export function validationSuite(world: () => World) {
  async function send(
    method: string,
    path: string,
    body?: string,
    contentType = 'application/json',
  ) {
    const w = world();
    const headers = new Headers({ authorization: `Bearer ${w.tokens.personal}` });
    if (body !== undefined) headers.set('content-type', contentType);
    const request = new Request(`${w.target.baseUrl}${path}`, {
      method,
      headers,
      body: body ?? null,
    });
    const response = await w.recorder.fetch()(request);
    const text = await response.text();
    return { status: response.status, problem: (text ? JSON.parse(text) : {}) as Problem };
  }

  const fields = (problem: Problem) => (problem.errors ?? []).map((e) => e.field);

  describe('request validation', () => {
    // All POSTs: the body is what is invalid.
    it.each([
      {
        what: 'an app name that is not a DNS label',
        path: `/v1/orgs/${ORG_A}/apps`,
        body: { name: 'Not_A_Label' },
        field: 'body.name',
      },
      {
        what: 'an app without a name',
        path: `/v1/orgs/${ORG_A}/apps`,
        body: {},
        field: 'body.name',
      },
      {
        what: 'a zero expires_in',
        path: `/v1/orgs/${ORG_A}/tokens/org`,
        body: { expires_in: 0 },
        field: 'body.expires_in',
      },
      {
        what: 'an expires_in past Go’s longest duration',
        path: `/v1/orgs/${ORG_A}/tokens/readonly`,
        body: { expires_in: 9223372037 },
        field: 'body.expires_in',
      },
      {
        what: 'a fractional expires_in',
        path: `/v1/apps/${APP_A1}/tokens`,
        body: { expires_in: 1.5 },
        field: 'body.expires_in',
      },
      {
        what: 'an empty token name',
        path: `/v1/apps/${APP_A1}/tokens`,
        body: { name: '' },
        field: 'body.name',
      },
      {
        what: 'a machine region that is not three letters',
        path: `/v1/apps/${APP_A1}/machines`,
        body: { image: 'x', region: 'AMS1' },
        field: 'body.region',
      },
    ])('$what: 400 validation_failed naming $field', async ({ path, body, field }) => {
      const { status, problem } = await send('POST', path, JSON.stringify(body));
      expect([status, problem.code]).toEqual([400, 'validation_failed']);
      expect(fields(problem)).toContain(field);
    });

    it.each([
      ['0', '/v1/orgs'],
      ['101', '/v1/orgs'],
      ['ten', `/v1/orgs/${ORG_A}/tokens`],
      // Decimal digits only: not what Number() would read as an integer.
      ['1e1', '/v1/orgs'],
      ['%2B5', `/v1/orgs/${ORG_A}/apps`],
      ['%205', `/v1/apps/${APP_A1}/tokens`],
      ['0x10', '/v1/viewer/tokens'],
      ['5.0', `/v1/orgs/${ORG_A}/events`],
    ])('limit=%s: 400 validation_failed naming query.limit', async (limit, path) => {
      const { status, problem } = await send('GET', `${path}?limit=${limit}`);
      expect([status, problem.code]).toEqual([400, 'validation_failed']);
      expect(fields(problem)).toContain('query.limit');
    });

    // The contract declares no 304 and no validator (ETag, Last-Modified): a GET with a
    // precondition is answered as one without it, its 200 checked by the recorder. Cache-Control
    // is set so fetch does not add `no-cache`, which would hide a 304 (Fetch standard, HTTP-network-or-cache fetch).
    it.each([
      ['If-None-Match', '*'],
      ['If-None-Match', '"0123abcd"'],
      ['If-Modified-Since', 'Fri, 31 Dec 9999 23:59:59 GMT'],
    ])(
      'a GET with %s: %s: 200 with the body, no ETag (no conditional requests)',
      async (name, value) => {
        const w = world();
        for (const path of [
          '/v1/viewer',
          '/v1/orgs',
          `/v1/orgs/${ORG_A}`,
          `/v1/apps/${APP_A1}/tokens`,
        ]) {
          const headers = new Headers({
            authorization: `Bearer ${w.tokens.personal}`,
            'cache-control': 'max-age=0',
            [name]: value,
          });
          const response = await w.recorder.fetch()(
            new Request(`${w.target.baseUrl}${path}`, { headers }),
          );
          const body: unknown = JSON.parse((await response.text()) || 'null');
          expect({ path, status: response.status, etag: response.headers.get('etag') }).toEqual({
            path,
            status: 200,
            etag: null,
          });
          expect(body, path).toBeTypeOf('object');
        }
      },
    );

    it('a body that is not JSON: 400 malformed_json', async () => {
      const { status, problem } = await send('POST', `/v1/orgs/${ORG_A}/apps`, '{"name": ');
      expect([status, problem.code]).toEqual([400, 'malformed_json']);
    });

    it('a body that is not application/json: 415 unsupported_media_type', async () => {
      const { status, problem } = await send(
        'POST',
        `/v1/orgs/${ORG_A}/apps`,
        'name=x',
        'text/plain',
      );
      expect([status, problem.code]).toEqual([415, 'unsupported_media_type']);
    });

    it('a body over 64 KiB: 413 payload_too_large', async () => {
      const body = JSON.stringify({ image: 'x'.repeat(70 * 1024) });
      const { status, problem } = await send('POST', `/v1/apps/${APP_A1}/machines`, body);
      expect([status, problem.code]).toEqual([413, 'payload_too_large']);
    });
  });
}
