import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createHangarClient, TokenExchangeError } from '../src/index.js';
import { fakeFetch, json, rejection, validToken } from './fake-fetch.js';

const baseUrl = 'http://echo.test';
const token = validToken();
const jwt = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from('{"sub":"repo:acme/web"}').toString('base64url')}.c2lnbmF0dXJl`;

/** Every way a caller (or a logger) turns an error into text. */
function renderings(error: Error): string[] {
  return [error.message, String(error), JSON.stringify(error), inspect(error, { depth: 5 })];
}

describe('secrets a server echoes back stay out of HangarApiError', () => {
  it('blanks a token echoed in an HTML 502 body', async () => {
    // A debugging proxy that echoes the request headers into its error page.
    const { fetch } = fakeFetch(
      (request) =>
        new Response(`<html>502 Bad Gateway ${request.headers.get('Authorization')}</html>`, {
          status: 502,
          headers: { 'Content-Type': 'text/html' },
        }),
    );
    const error = await rejection(
      createHangarClient({ baseUrl, token, fetch, maxRetries: 0 }).viewer.get(),
    );
    expect(error).toMatchObject({ status: 502, code: 'http_error' });
    expect(error.detail).toContain('502 Bad Gateway Bearer hangar_[redacted]');
    for (const text of renderings(error)) expect(text).not.toContain(token);
  });

  it('blanks a token or a JWT echoed in a problem detail, title and body', async () => {
    const { fetch } = fakeFetch(
      (request) =>
        new Response(
          JSON.stringify({
            type: 'https://hangar.dev/problems/validation_failed',
            title: `bad ${jwt}`,
            status: 400,
            code: 'validation_failed',
            detail: `got ${request.headers.get('Authorization')}`,
            errors: [{ field: 'body.id_token', message: `not ${jwt}` }],
          }),
          { status: 400, headers: { 'Content-Type': 'application/problem+json' } },
        ),
    );
    const error = await rejection(createHangarClient({ baseUrl, token, fetch }).viewer.get());
    expect(error).toMatchObject({
      code: 'validation_failed',
      detail: 'got Bearer hangar_[redacted]',
    });
    expect(error.title).toBe('bad [redacted JWT]');
    for (const text of renderings(error)) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(jwt);
    }
  });
});

describe('an OIDC exchange refusal that echoes the ID token', () => {
  it('blanks it in TokenExchangeError', async () => {
    const hangar = createHangarClient({
      baseUrl,
      fetch: fakeFetch(() =>
        json({ error: 'invalid_grant', error_description: `cannot verify ${jwt}` }, 400),
      ).fetch,
    });
    const error = await hangar.auth.exchange(jwt, { org: 'acme' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenExchangeError);
    expect((error as TokenExchangeError).description).toBe('cannot verify [redacted JWT]');
    for (const text of renderings(error as Error)) expect(text).not.toContain(jwt);
  });
});
