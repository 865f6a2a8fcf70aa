import { describe, expect, it } from 'vitest';
import { admin, hangar, TOKEN_RE, useMockServer } from '../../helpers.js';

const AUDIENCE = 'https://hangar.cli.test';
/** GitHub Actions' variables that let `auth exchange` ask for an ID token (not called here). */
const GITHUB_OIDC = {
  ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/gha?api-version=2.0',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'gha-request-token',
};

describe('the hint for an expired token says how that token is renewed', () => {
  const mock = useMockServer();

  /** A 10-minute deploy token from `auth exchange`, for an ID token of the mock's test issuer. */
  async function exchanged(): Promise<string> {
    const { url, adminKey } = mock.server;
    const policy = await hangar(
      [
        ...['trust-policies', 'create', '-o', 'acme', '--name', 'web main'],
        ...['--issuer', `${url}/_oidc`, '--audience', AUDIENCE],
        ...['--condition', 'sub=repo:acme/web:*', '--kind', 'deploy', '--app', 'acme-web'],
        ...['--lifetime', '600'],
      ],
      { env: mock.env },
    );
    expect(policy.code).toBe(0);
    const { id_token } = (await admin(url, adminKey, 'oidc/id-tokens', {
      preset: 'github-actions',
      repository: 'acme/web',
      audience: AUDIENCE,
    })) as { id_token: string };
    const result = await hangar(
      ['auth', 'exchange', '-o', 'acme', '-a', 'acme-web', '--id-token', '-'],
      {
        env: { HANGAR_API_URL: url },
        input: id_token,
      },
    );
    expect(result.stderr).toBe('');
    return result.stdout.trim();
  }

  it('an exchanged token used in a GitHub Actions job: exchange a new ID token', async () => {
    const token = await exchanged();
    expect(token).toMatch(TOKEN_RE);
    await admin(mock.server.url, mock.server.adminKey, 'clock', { advance_seconds: 700 });
    const job = { HANGAR_API_URL: mock.server.url, HANGAR_API_TOKEN: token, ...GITHUB_OIDC };
    const result = await hangar(['machines', 'list', '-a', 'acme-web'], { env: job });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /\(401 token_expired, request [^)]+\)\. Hint: exchange a new ID token .*\(?"hangar auth exchange"/,
    );
    expect(result.stderr).not.toContain('tokens create');
    // Outside such a job, the same token's hint names both ways, exchange first.
    const elsewhere = await hangar(['machines', 'list', '-a', 'acme-web'], {
      env: { HANGAR_API_URL: mock.server.url, HANGAR_API_TOKEN: token },
    });
    expect(elsewhere.stderr).toMatch(
      /Hint: if it came from "hangar auth exchange", exchange a new ID token .*; otherwise create a new token with "hangar tokens create"/,
    );
  });

  it('a personal token from the config file: log in again', async () => {
    const env = { ...mock.env, HANGAR_API_TOKEN: undefined };
    const short = await hangar(['tokens', 'attenuate', '-x', '1h'], { env: mock.env });
    expect(short.code).toBe(0);
    expect((await hangar(['auth', 'login', '--token', short.stdout.trim()], { env })).code).toBe(0);
    await admin(mock.server.url, mock.server.adminKey, 'clock', { advance_seconds: 3700 });
    const result = await hangar(['orgs', 'list'], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /\(401 token_expired, request [^)]+\)\. Hint: log in again with "hangar auth login"\.\n$/,
    );
  });
});
