import { deriveRootKey, mint, newIdentifier } from '@hangar/tokens';
import { describe, expect, it } from 'vitest';
import { type FakeReply, hangar, useFakeApi, useMockServer } from './helpers.js';

/** Any C0/C1 control character or DEL except the newline that ends each line. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point.
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

const EVIL_NAME = 'evil\u001b[2J\u009b31m\u0007';
const app = { id: 'app_1', name: EVIL_NAME, org: 'acme\u007f', created_at: '2026-11-30T08:00:00Z' };
/** Bidi overrides/isolates and invisible characters ("Trojan Source", CVE-2021-42574). */
const BIDI_NAME = 'acme\u202eresu\u202c-\u2066x\u2069\u200b\u200f\u2060\u2064\ufeff\u061c';
const RAW_BIDI = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
const trojan = { ...app, name: BIDI_NAME, org: 'acme' };
const token = {
  id: `tok_${'0'.repeat(32)}`,
  name: 'ci\u001b]0;pwned\u0007',
  kind: 'deploy',
  org: 'acme',
  app: 'acme-web',
  created_by: 'dev@hangar.local\r\n',
  created_at: '2026-11-30T08:00:00Z',
  expires_at: '2046-11-30T08:00:00Z',
  last_used_at: null,
  revoked_at: null,
  status: 'active',
};

function reply(method: string, path: string): FakeReply {
  const json = (body: unknown, status = 200): FakeReply => ({
    status,
    type: status < 300 ? 'application/json' : 'application/problem+json',
    body: JSON.stringify(body),
  });
  if (path === '/v1/apps/evil') return json(app);
  if (path === '/v1/apps/trojan') return json(trojan);
  if (path.startsWith('/v1/orgs/acme/apps?')) return json({ items: [app], next_cursor: null });
  if (path.startsWith('/v1/apps/acme-web/tokens?'))
    return json({ items: [token], next_cursor: null });
  if (path === '/v1/viewer') return { status: 500, type: 'text/plain', body: 'down' };
  return json(
    {
      type: 'https://hangar.dev/problems/not_found',
      title: 'Not found',
      status: 404,
      code: 'not_found',
      detail: `No such thing \u001b[2J at ${method} ${path}`,
    },
    404,
  );
}

describe('API data on a terminal', () => {
  const mock = useMockServer();
  const api = useFakeApi(reply);
  const env = () => ({ ...mock.env, HANGAR_API_URL: api.url });

  it.each([
    [['apps', 'show', 'evil']],
    [['apps', 'list', '-o', 'acme']],
    [['tokens', 'list', '-a', 'acme-web']],
  ])('%j escapes control characters in tables and fields', async (args) => {
    const result = await hangar(args, { env: env() });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    expect(result.stdout).toMatch(/evil\\x1b\[2J\\x9b31m\\x07|ci\\x1b\]0;pwned\\x07/);
  });

  it('keeps --json exact', async () => {
    const result = await hangar(['apps', 'show', 'evil', '--json'], { env: env() });
    expect(JSON.parse(result.stdout)).toEqual(app);
  });

  it('escapes bidi and invisible formatting characters in fields; --json stays exact', async () => {
    const human = await hangar(['apps', 'show', 'trojan'], { env: env() });
    expect(human.code).toBe(0);
    expect(human.stdout).not.toMatch(RAW_BIDI);
    expect(human.stdout).toContain(
      'acme\\u202eresu\\u202c-\\u2066x\\u2069\\u200b\\u200f\\u2060\\u2064\\ufeff\\u061c',
    );
    const json = await hangar(['apps', 'show', 'trojan', '--json'], { env: env() });
    expect(JSON.parse(json.stdout)).toEqual(trojan);
  });

  it('escapes control characters in an API error detail', async () => {
    const result = await hangar(['apps', 'show', 'ghost'], { env: env() });
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(RAW_CONTROL);
    expect(result.stderr).toContain('No such thing \\x1b[2J');
  });

  it('falls back to ids in a 404 hint when the viewer cannot be read', async () => {
    const identifier = newIdentifier();
    const deploy = mint({
      rootKey: deriveRootKey(new Uint8Array(32), identifier),
      identifier,
      caveats: [
        { type: 'org', org: 'org_5a70' },
        { type: 'apps', apps: { app_17be: ['read'] } },
      ],
    });
    const result = await hangar(['apps', 'show', 'ghost'], {
      env: { ...env(), HANGAR_API_TOKEN: deploy },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\(this token is scoped to app app_17be\)\.\n$/);
    expect(api.requests).toContain('GET /v1/viewer');
  });
});

describe('command-line values echoed in an error line', () => {
  const mock = useMockServer();
  // BEL, a bidi override, a carriage return (which would overwrite the line) and ESC.
  const EVIL_ARG = 'x\u0007\u202e\rEVIL\u001b[2J';

  it.each([
    ['an unknown option value', ['events', 'list', '-o', 'acme', '--type', EVIL_ARG]],
    ['an unknown option value (--status)', ['tokens', 'list', '-o', 'acme', '--status', EVIL_ARG]],
    ['an unexpected argument', ['apps', 'list', '-o', 'acme', EVIL_ARG]],
    ['an argument a command does not take', ['orgs', 'list', EVIL_ARG]],
    ['auth can: an unknown resource', ['auth', 'can', 'create', EVIL_ARG]],
    ['auth can: an unknown action', ['auth', 'can', EVIL_ARG, 'app']],
    ['two organizations', ['tokens', 'create', 'org', 'acme', '-o', EVIL_ARG]],
    ['a trust policy id', ['trust-policies', 'show', '-o', 'acme', EVIL_ARG]],
  ])('%s: shown escaped, on stderr and in --json', async (_, args) => {
    const plain = await hangar(args, { env: mock.env });
    expect(plain.code).toBe(2);
    const line = plain.stderr.replace(/\n$/, '');
    expect(line).toMatch(/^Error: /);
    expect(line).not.toMatch(RAW_CONTROL);
    expect(line).not.toMatch(RAW_BIDI);
    expect(line).not.toContain('\n');
    expect(line).toMatch(/x\\(x07|u0007)\\u202e\\rEVIL/);
    const json = await hangar([...args, '--json'], { env: mock.env });
    const { message } = JSON.parse(json.stdout).error;
    expect(message).not.toMatch(RAW_CONTROL);
    expect(message).not.toMatch(RAW_BIDI);
  });
});
