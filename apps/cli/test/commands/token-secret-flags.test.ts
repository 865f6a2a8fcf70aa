import { inspect } from '@hangar/tokens';
import { describe, expect, it } from 'vitest';
import { hangar, useFakeApi, useMockServer } from '../helpers.js';

describe('a token pasted into a flag is refused before any request', () => {
  const mock = useMockServer();
  // Records every request, so a test can prove nothing was sent.
  const api = useFakeApi(() => ({ status: 500, type: 'text/plain', body: 'unexpected request' }));
  const env = () => ({ ...mock.env, HANGAR_API_URL: api.url });

  it('events list --token-id TOKEN names the id to use instead (exit 2)', async () => {
    const secret = mock.server.devToken;
    const { identifier } = inspect(secret);
    const before = api.requests.length;
    const result = await hangar(['events', 'list', '-o', 'acme', '--token-id', secret], {
      env: env(),
    });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`That is a token, not a token id; its id is ${identifier}`);
    expect(result.stderr).toContain('Nothing was sent.');
    expect(result.stderr).not.toContain(secret);
    expect(api.requests.length).toBe(before);
  });

  it('--idempotency-key TOKEN is refused without echoing it (exit 2)', async () => {
    const secret = mock.server.devToken;
    const before = api.requests.length;
    const result = await hangar(['tokens', 'create', 'org', 'acme', '--idempotency-key', secret], {
      env: env(),
    });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('--idempotency-key looks like a token secret');
    expect(result.stderr).toContain('Nothing was sent.');
    expect(result.stderr).not.toContain(secret);
    expect(api.requests.length).toBe(before);
  });
});
