import { describe, expect, it } from 'vitest';
import { redactTokens } from '../../src/lib/redact.js';
import { hangar } from '../helpers.js';

// Shaped like a token string (prefix, base64url body, checksum); no server ever sees it.
const TOKEN = `hangar_${'AgIkZmFrZS10b2tlbi1mb3ItcmVkYWN0aW9uLXRlc3Rz'.repeat(2)}_3kQ9zZ`;

describe('a token pasted where a name or id belongs is never echoed', () => {
  it('redactTokens shows a token only as its prefix and last four characters', () => {
    expect(redactTokens(`Invalid app NAME "${TOKEN}": use a name`)).toBe(
      `Invalid app NAME "hangar_…${TOKEN.slice(-4)}": use a name`,
    );
    expect(redactTokens('the @hangar/cli package and hangar_short stay')).toBe(
      'the @hangar/cli package and hangar_short stay',
    );
  });

  it.each([
    [['apps', 'show', TOKEN]],
    [['apps', 'list', '-o', TOKEN]],
    [['tokens', 'create', 'org', 'acme', '-x', TOKEN]],
    [['frob', TOKEN]],
    [['apps', 'show', TOKEN, '--json']],
  ])('%#: neither stderr nor stdout repeats it', async (args) => {
    const result = await hangar(args, { env: { HANGAR_API_URL: 'http://127.0.0.1:9' } });
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
    expect(result.stdout + result.stderr).not.toContain(TOKEN.slice(7, 40));
  });
});

describe('a JWT (an OIDC ID token) in an error line is never echoed', () => {
  const jwt = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from('{"sub":"repo:acme/web"}').toString('base64url')}.${'c2lnbmF0dXJl'.repeat(8)}`;

  it('redactTokens replaces it, and leaves dotted names alone', () => {
    expect(redactTokens(`Invalid app NAME "${jwt}": use a name`)).toBe(
      'Invalid app NAME "[redacted JWT]": use a name',
    );
    expect(redactTokens('see api.hangar.dev and v1.2.3')).toBe('see api.hangar.dev and v1.2.3');
  });

  it.each([[['apps', 'show', jwt]], [['apps', 'show', jwt, '--json']]])(
    '%#: neither stderr nor stdout repeats it',
    async (args) => {
      const result = await hangar(args, { env: { HANGAR_API_URL: 'http://127.0.0.1:9' } });
      expect(result.code).not.toBe(0);
      expect(result.stdout + result.stderr).not.toContain(jwt.split('.')[2]);
      expect(result.stdout + result.stderr).toContain('[redacted JWT]');
    },
  );
});
