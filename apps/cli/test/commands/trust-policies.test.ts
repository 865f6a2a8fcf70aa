import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hangar, TOKEN_RE, useMockServer } from '../helpers.js';

const AUDIENCE = 'https://hangar.cli.test';
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

/** An RS256 ID token (RFC 7515 compact form) from `issuer` for `sub`, valid 5 minutes. */
function idToken(issuer: string, sub: string, aud = AUDIENCE): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const claims = { iss: issuer, sub, aud, iat: now, exp: now + 300, jti: randomUUID() };
  const input = `${part({ alg: 'RS256', kid: 'cli', typ: 'JWT' })}.${part(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

describe('trust-policies and auth exchange (issue 17)', () => {
  const mock = useMockServer();
  let server: Server;
  let issuer = '';
  /** What the GitHub Actions token endpoint of the fixture was asked: audience and bearer. */
  const asked: { audience: string | null; authorization: string | undefined }[] = [];

  beforeAll(async () => {
    // The fixture is both an OIDC issuer (discovery + JWKS) and GitHub Actions' ID token endpoint.
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'cli', alg: 'RS256' };
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', issuer);
      res.setHeader('content-type', 'application/json');
      if (url.pathname === '/.well-known/openid-configuration') {
        return res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
      }
      if (url.pathname === '/jwks') return res.end(JSON.stringify({ keys: [jwk] }));
      if (url.pathname === '/gha') {
        asked.push({
          audience: url.searchParams.get('audience'),
          authorization: req.headers.authorization,
        });
        if (req.headers.authorization !== 'bearer gha-request-token') {
          res.statusCode = 403;
          return res.end('{}');
        }
        const aud = url.searchParams.get('audience') ?? '';
        return res.end(
          JSON.stringify({ value: idToken(issuer, 'repo:acme/web:ref:refs/heads/main', aud) }),
        );
      }
      res.statusCode = 404;
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server?.close(() => resolve())));

  it('create, list, show; exchange inside GitHub Actions and from a file; delete; then refused', async () => {
    const created = await hangar(
      [
        'trust-policies',
        'create',
        '-o',
        'acme',
        '--name',
        'web main',
        '--issuer',
        issuer,
        '--audience',
        AUDIENCE,
        '--condition',
        'sub=repo:acme/web:*',
        '--kind',
        'deploy',
        '--app',
        'acme-web',
        '--lifetime',
        '600',
        '--json',
      ],
      { env: mock.env },
    );
    expect(created.stderr).toBe('');
    const policy = JSON.parse(created.stdout);
    expect(policy).toMatchObject({
      conditions: { sub: 'repo:acme/web:*' },
      grant: { kind: 'deploy', app: 'acme-web', expires_in: 600 },
    });
    const list = await hangar(['trust-policies', 'list', '-o', 'acme'], { env: mock.env });
    expect(list.stdout).toContain('sub=repo:acme/web:*');
    expect(list.stdout).toContain('deploy acme-web 600s');
    const show = await hangar(['trust-policies', 'show', policy.id, '-o', 'acme'], {
      env: mock.env,
    });
    expect(show.stdout).toContain(issuer);

    // Inside GitHub Actions, with no Hangar token at all: the CLI asks GitHub for the ID token.
    const ci = {
      HANGAR_API_URL: mock.env.HANGAR_API_URL as string,
      HANGAR_CONFIG_DIR: mock.env.HANGAR_CONFIG_DIR as string,
      ACTIONS_ID_TOKEN_REQUEST_URL: `${issuer}/gha?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'gha-request-token',
    };
    const exchanged = await hangar(
      ['auth', 'exchange', '-o', 'acme', '-a', 'acme-web', '--audience', AUDIENCE],
      { env: ci },
    );
    expect(exchanged.stderr).toBe('');
    expect(exchanged.stdout).toMatch(/^hangar_\S+\n$/);
    const token = exchanged.stdout.trim();
    expect(token).toMatch(TOKEN_RE);
    expect(asked.at(-1)).toEqual({ audience: AUDIENCE, authorization: 'bearer gha-request-token' });
    const whoami = await hangar(['auth', 'whoami', '--json'], {
      env: { ...ci, HANGAR_API_TOKEN: token },
    });
    expect(JSON.parse(whoami.stdout).token).toMatchObject({ kind: 'deploy', app: 'acme-web' });
    // It lives 10 minutes: the expiry warning says what renews it (rotating keeps its expiry).
    expect(whoami.stderr).toMatch(
      /^Warning: the token in use expires in 10 minutes .*\(hangar auth exchange\)/,
    );
    expect(whoami.stderr).not.toContain('tokens rotate');

    // From a file, --json: the whole RFC 8693 answer.
    const file = `${mock.env.HANGAR_CONFIG_DIR}.jwt`;
    await writeFile(file, `${idToken(issuer, 'repo:acme/web:ref:refs/heads/dev')}\n`);
    const fromFile = await hangar(
      ['auth', 'exchange', '-o', 'acme', '-a', 'acme-web', '--id-token', file, '--json'],
      { env: { HANGAR_API_URL: ci.HANGAR_API_URL } },
    );
    await rm(file);
    expect(JSON.parse(fromFile.stdout)).toMatchObject({ token_type: 'Bearer', expires_in: 600 });
    // From standard input.
    const fromStdin = await hangar(
      ['auth', 'exchange', '-o', 'acme', '-a', 'acme-web', '--id-token', '-'],
      { env: { HANGAR_API_URL: ci.HANGAR_API_URL }, input: idToken(issuer, 'repo:acme/web:x') },
    );
    expect(fromStdin.stdout.trim()).toMatch(TOKEN_RE);

    const events = await hangar(['events', 'list', '-o', 'acme', '--type', 'token.exchanged'], {
      env: { ...mock.env, COLUMNS: '400' },
    });
    expect(events.stdout).toContain(`repo:acme/web:ref:refs/heads/main (trust policy ${policy.id}`);
    const deleted = await hangar(['trust-policies', 'delete', policy.id, '-o', 'acme', '--yes'], {
      env: mock.env,
    });
    expect(deleted.stdout).toBe(`Deleted trust policy ${policy.id}.\n`);
    const refused = await hangar(
      ['auth', 'exchange', '-o', 'acme', '-a', 'acme-web', '--audience', AUDIENCE],
      { env: ci },
    );
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('The exchange was refused (invalid_grant)');
    expect(refused.stderr).not.toContain('eyJ');
  });

  it('usage errors exit 2 saying what to type', async () => {
    const badCondition = await hangar(
      [
        'trust-policies',
        'create',
        '-o',
        'acme',
        '--name',
        'x',
        '--issuer',
        issuer,
        '--audience',
        AUDIENCE,
        '--condition',
        'sub',
        '--kind',
        'org',
      ],
      { env: mock.env },
    );
    expect(badCondition.code).toBe(2);
    expect(badCondition.stderr).toContain('pass CLAIM=PATTERN');
    const noToken = await hangar(['auth', 'exchange', '-o', 'acme'], {
      env: { HANGAR_API_URL: mock.env.HANGAR_API_URL as string },
    });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('pass --id-token FILE');
    const badId = await hangar(['trust-policies', 'show', 'nope', '-o', 'acme'], { env: mock.env });
    expect(badId.code).toBe(2);
  });

  it('a claim given twice in --condition is a usage error, not the last one kept (nothing sent)', async () => {
    const twice = await hangar(
      [
        'trust-policies',
        'create',
        '-o',
        'acme',
        '--name',
        'twice',
        '--issuer',
        issuer,
        '--audience',
        AUDIENCE,
        '-c',
        'sub=repo:acme/web:ref:refs/heads/main',
        '-c',
        'sub=repo:acme/*',
        '--kind',
        'org',
        '--json',
      ],
      { env: mock.env },
    );
    expect(twice.code).toBe(2);
    const { error } = JSON.parse(twice.stdout);
    expect(error.code).toBe('usage_error');
    expect(error.message).toContain('"sub" twice: pass one condition per claim');
    expect(error.message).toContain('with *');
    const list = await hangar(['trust-policies', 'list', '-o', 'acme', '--json'], {
      env: mock.env,
    });
    expect(JSON.stringify(JSON.parse(list.stdout))).not.toContain('"name":"twice"');
  });

  it('an --issuer the API refuses (400) names --issuer and the URL it needs', async () => {
    const result = await hangar(
      [
        'trust-policies',
        'create',
        '-o',
        'acme',
        '-n',
        'x',
        '--issuer',
        'javascript:alert(1)',
        '--audience',
        AUDIENCE,
        '-c',
        'sub=x',
        '--kind',
        'org',
      ],
      { env: mock.env },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^Error: Invalid request: body\.issuer must .+ \(400 validation_failed, request req_\w+\)\. Hint: pass --issuer .*URL.*, such as https:\/\/token\.actions\.githubusercontent\.com\.\n$/,
    );
  });
});
