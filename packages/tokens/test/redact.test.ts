import { describe, expect, it } from 'vitest';
import {
  looksLikeJwt,
  REDACTED_JWT,
  REDACTED_TOKEN,
  redactJwts,
  redactTokens,
} from '../src/redact.js';

const TOKEN = `hangar_${'AgIkZmFrZS10b2tlbi1mb3ItcmVkYWN0aW9u'.repeat(2)}_3kQ9zZ`;

describe('redactTokens (one finder for the server and the CLI)', () => {
  it('replaces a token anywhere in text, also percent-encoded as in a raw URL', () => {
    expect(redactTokens(`DELETE /v1/tokens/${TOKEN}?x=1`)).toBe(
      `DELETE /v1/tokens/${REDACTED_TOKEN}?x=1`,
    );
    const encoded = TOKEN.replace('hangar_', 'hangar%5F');
    expect(redactTokens(`/v1/tokens/${encoded}`)).toBe(`/v1/tokens/${REDACTED_TOKEN}`);
    expect(redactTokens(`a ${TOKEN} and ${TOKEN}`)).toBe(
      `a ${REDACTED_TOKEN} and ${REDACTED_TOKEN}`,
    );
  });

  it('leaves words that merely start like one: hangar_short, HANGAR_API_TOKEN', () => {
    const text = 'set HANGAR_API_TOKEN, not hangar_short or hangar_[redacted]';
    expect(redactTokens(text)).toBe(text);
  });

  it('takes the replacement to use (the CLI shows the last four characters)', () => {
    expect(redactTokens(`"${TOKEN}"`, (t) => `hangar_…${t.slice(-4)}`)).toBe('"hangar_…Q9zZ"');
  });
});

describe('redactJwts / looksLikeJwt (OIDC ID tokens)', () => {
  const part = (json: object) => Buffer.from(JSON.stringify(json)).toString('base64url');
  const JWT = `${part({ alg: 'RS256', kid: 'k1' })}.${part({ sub: 'repo:acme/web' })}.c2lnbmF0dXJlc2lnbmF0dXJl`;

  it('replaces a JWT anywhere in text, also with percent-encoded dots in a raw URL', () => {
    expect(redactJwts(`Cannot read --id-token "${JWT}"`)).toBe(
      `Cannot read --id-token "${REDACTED_JWT}"`,
    );
    expect(redactJwts(`/x?t=${JWT.replaceAll('.', '%2E')}&y=1`)).toBe(`/x?t=${REDACTED_JWT}&y=1`);
  });

  it('leaves words that only start like one, and tells a lone JWT from text holding one', () => {
    expect(redactJwts('eyJ is how {" encodes; eyJhbGciOiJub25lIn0 alone')).toBe(
      'eyJ is how {" encodes; eyJhbGciOiJub25lIn0 alone',
    );
    expect(looksLikeJwt(` ${JWT}\n`)).toBe(true);
    expect(looksLikeJwt(`token: ${JWT}`)).toBe(false);
    expect(looksLikeJwt('')).toBe(false);
  });
});
