import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { client } from './helpers.js';

const BIN = fileURLToPath(new URL('../bin/hangar-mock.js', import.meta.url));

// Fixture files with a YAML syntax error (line 3) and with a slug that breaks the DNS-label rule.
const FIXTURES = mkdtempSync(join(tmpdir(), 'hangar-mock-seed-'));
const SEED_BAD_YAML = join(FIXTURES, 'bad.yaml');
writeFileSync(SEED_BAD_YAML, 'orgs:\n  - slug: ok\n    slug: again\n');
const SEED_BAD_SLUG = join(FIXTURES, 'bad-slug.yaml');
writeFileSync(SEED_BAD_SLUG, 'orgs:\n  - slug: Not_A_Label\n');
const SEED_UNKNOWN_MEMBER = join(FIXTURES, 'unknown-member.yaml');
writeFileSync(
  SEED_UNKNOWN_MEMBER,
  'orgs:\n  - { slug: acme, name: Acme, type: shared, members: [{ email: nobody@example.test, role: admin }] }\n',
);
// A "billion laughs" alias bomb: each level refers to the one before nine times.
const SEED_ALIAS_BOMB = join(FIXTURES, 'alias-bomb.yaml');
writeFileSync(
  SEED_ALIAS_BOMB,
  ['a: &a [x, x, x, x, x, x, x, x, x]']
    .concat(
      ['b', 'c', 'd', 'e', 'f'].map((k, i) => {
        const prev = 'abcdef'[i];
        return `${k}: &${k} [${Array(9).fill(`*${prev}`).join(', ')}]`;
      }),
    )
    .join('\n'),
);
const SEED_UNRESOLVED_ALIAS = join(FIXTURES, 'unresolved-alias.yaml');
writeFileSync(SEED_UNRESOLVED_ALIAS, 'users: *nobody\n');
afterAll(() => rmSync(FIXTURES, { recursive: true, force: true }));

interface Started {
  child: ChildProcess;
  line: string;
  stdout: () => string;
  stderr: () => string;
  /** Resolves once stdout contains `text` (an event, not a delay: the banner comes in pieces). */
  printed: (text: string) => Promise<void>;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs the built binary and resolves with its first stdout line. */
function start(args: string[], env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const printed = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!stdout.includes(text)) return;
        child.stdout?.off('data', check);
        resolve();
      };
      child.stdout?.on('data', check);
      check();
      exited.then((code) => reject(new Error(`exited ${code} before printing ${text}: ${stderr}`)));
    });
  return new Promise((resolve, reject) => {
    exited.then((code) => reject(new Error(`exited ${code} before its first line: ${stderr}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (line) =>
      resolve({ child, line, stdout: () => stdout, stderr: () => stderr, printed, exited }),
    );
  });
}

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('hangar-mock binary', () => {
  it('--json prints exactly one JSON line with a working token, and nothing else on stdout', async () => {
    const started = await start(['--port', '0', '--memory', '--json']);
    const info = JSON.parse(started.line) as Record<string, string>;
    expect(Object.keys(info).sort()).toEqual(['admin_key', 'email', 'password', 'token', 'url']);
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.url).not.toMatch(/:0$/);
    const server = { url: info.url as string };
    const viewer = await client(server, info.token).viewer.get();
    expect(viewer.user.email).toBe(info.email);
    const session = await client(server, null).sessions.create(
      info.email as string,
      info.password as string,
    );
    expect(session.token).toMatch(/^hangar_/);
    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
    expect(started.stdout().trim().split('\n')).toHaveLength(1);
  });

  it('logs JSON to stderr with no token, password or admin key in them', async () => {
    const started = await start(['--port', '0', '--memory', '--json', '--log-level', 'debug']);
    const info = JSON.parse(started.line) as Record<string, string>;
    const server = { url: info.url as string };
    const created = await client(server, info.token).tokens.createOrg('acme');
    await client(server, null).sessions.create(info.email as string, info.password as string);
    await client(server, null)
      .sessions.create(info.email as string, 'wrong-password')
      .catch(() => undefined);
    await fetch(`${info.url}/_admin/clock`, {
      headers: { 'x-hangar-admin-key': info.admin_key as string },
    });
    await fetch(`${info.url}/v1/viewer`, {
      headers: { authorization: `Bearer ${created.token.slice(0, -2)}` },
    });
    started.child.kill('SIGTERM');
    await started.exited;
    const logs = started.stderr();
    const lines = logs.split('\n').filter((l) => l.startsWith('{'));
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) JSON.parse(line);
    expect(logs).toContain('"statusCode":201');
    for (const secret of [
      info.token,
      created.token,
      info.password,
      info.admin_key,
      'wrong-password',
    ]) {
      expect(logs).not.toContain(secret as string);
    }
    expect(logs).not.toMatch(/hangar_[A-Za-z0-9_-]{20,}/);
  });

  it('by default logs one line per request (id, method, redacted path, status, time), none lost at exit', async () => {
    const started = await start(['--port', '0', '--memory', '--json']);
    const info = JSON.parse(started.line) as Record<string, string>;
    const auth = { authorization: `Bearer ${info.token}` };
    const asked = ['/v1/viewer', '/v1/orgs/acme/tokens', `/v1/tokens/${info.token}`, '/nowhere'];
    for (let round = 0; round < 25; round++) {
      for (const path of asked) await (await fetch(`${info.url}${path}`, { headers: auth })).text();
    }
    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
    const requests = started
      .stderr()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.req !== undefined);
    expect(requests).toHaveLength(100);
    expect(new Set(requests.map((line) => (line.req as { id: string }).id)).size).toBe(100);
    expect(requests[2]).toMatchObject({
      level: 30,
      req: { method: 'GET', url: '/v1/tokens/hangar_[redacted]' },
      res: { statusCode: 400 },
      msg: 'request completed',
    });
    expect(requests[1]).toMatchObject({ res: { statusCode: 200 } });
    expect(typeof requests[1]?.responseTime).toBe('number');
    expect(started.stderr()).not.toContain(info.token?.slice(7, 40));
  });

  it('SIGTERM is logged as one JSON line; stderr holds only JSON, stdout only the --json line', async () => {
    const started = await start(['--port', '0', '--memory', '--json']);
    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
    const lines = started
      .stderr()
      .split('\n')
      .filter((line) => line !== '');
    const logs = lines.map((line) => JSON.parse(line) as { msg: string; signal?: string });
    expect(logs).toContainEqual(
      expect.objectContaining({ signal: 'SIGTERM', msg: 'SIGTERM: finishing in-flight requests' }),
    );
    expect(logs.at(-1)?.msg).toBe('hangar-mock stopped');
    expect(started.stdout().trim().split('\n')).toEqual([started.line]);
  });

  it('without --json prints the URL, credentials and how to log the CLI in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hangar-mock-cli-'));
    dirs.push(dir);
    const seed = join(dir, 'seed.yaml');
    writeFileSync(
      seed,
      'users: [{ email: sam@seed.test, password: pw-sam }]\norgs: [{ slug: seeded, members: [{ email: sam@seed.test }] }]\n',
    );
    const started = await start(['--port', '0', '--data-dir', join(dir, 'data'), '--seed', seed]);
    await started.printed('Stop with Ctrl-C.');
    const out = started.stdout();
    const url = /running at (http:\/\/\S+)/.exec(started.line)?.[1] as string;
    expect(url).toBeDefined();
    expect(out).toContain('dev@hangar.local');
    expect(out).toContain('hangar-dev-password');
    expect(out).toContain(`hangar auth login --api-url ${url}`);
    expect(out).toContain(`HANGAR_API_URL=${url}`);
    expect(out).toMatch(/HANGAR_API_TOKEN=hangar_/);
    expect(out).toMatch(/admin key: +hma_/);
    const session = await client({ url }, null).sessions.create('sam@seed.test', 'pw-sam');
    expect((await client({ url }, session.token).orgs.get('seeded')).role).toBe('member');
    started.child.kill('SIGINT');
    expect(await started.exited).toBe(0);
  });

  it('--cors-origin lets that web origin call the server', async () => {
    const started = await start([
      '--port',
      '0',
      '--memory',
      '--json',
      '--cors-origin',
      'https://app.example.com',
    ]);
    const { url } = JSON.parse(started.line) as { url: string };
    const allowed = async (origin: string) =>
      (await fetch(`${url}/v1/viewer`, { headers: { origin } })).headers.get(
        'access-control-allow-origin',
      );
    expect(await allowed('https://app.example.com')).toBe('https://app.example.com');
    expect(await allowed('https://evil.example')).toBeNull();
  });

  it('prints the same start-up token on every start with the same --data-dir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hangar-mock-cli-'));
    dirs.push(dir);
    const tokens: string[] = [];
    for (let i = 0; i < 2; i++) {
      const started = await start(['--port', '0', '--data-dir', join(dir, 'data'), '--json']);
      tokens.push((JSON.parse(started.line) as { token: string }).token);
      started.child.kill('SIGTERM');
      expect(await started.exited).toBe(0);
    }
    expect(tokens[1]).toBe(tokens[0]);
  });

  it('--allowed-host adds a Host it answers; other names get 421', async () => {
    const started = await start([
      '--port',
      '0',
      '--memory',
      '--json',
      '--allowed-host',
      'mock.internal',
      '--keep-alive-timeout',
      '2000',
    ]);
    const { url, token } = JSON.parse(started.line) as { url: string; token: string };
    const { port } = new URL(url);
    const status = (host: string) =>
      new Promise<{ status: number; keepAlive: string }>((resolve, reject) => {
        const headers = { host, authorization: `Bearer ${token}` };
        const req = request({ host: '127.0.0.1', port, path: '/v1/viewer', headers }, (res) => {
          res.resume();
          const keepAlive = res.headers['keep-alive'];
          resolve({ status: res.statusCode ?? 0, keepAlive: String(keepAlive) });
        });
        req.on('error', reject);
        req.end();
      });
    expect(await status('mock.internal:4280')).toEqual({ status: 200, keepAlive: 'timeout=2' });
    expect((await status('evil.example')).status).toBe(421);
  }, 30_000);

  it('a bad --allowed-host or connection limit is a usage error (exit 2)', async () => {
    for (const args of [
      ['--allowed-host', 'http://mock.internal/'],
      ['--max-connections', '0'],
      ['--keep-alive-timeout', '5s'],
      ['--headers-timeout', '5000', '--request-timeout', '1000'],
    ]) {
      const limit = await run([...args, '--memory']);
      expect(limit.code, args.join(' ')).toBe(2);
      expect(limit.stderr).toMatch(
        /allowed-host|max-connections|keep-alive-timeout|headersTimeout/,
      );
    }
  }, 90_000);

  it('--latency delays every /v1 answer; a bad one is a usage error (exit 2)', async () => {
    const started = await start(['--port', '0', '--memory', '--json', '--latency', '300ms']);
    const { url } = JSON.parse(started.line) as { url: string };
    const begun = performance.now();
    expect((await fetch(`${url}/v1/orgs`)).status).toBe(401);
    expect(performance.now() - begun).toBeGreaterThanOrEqual(290);
    const bad = await run(['--memory', '--latency', 'fast']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--latency must be a duration such as 50ms or 1.5s');
    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
  }, 60_000);

  it('--rate-limit and --login-rate-limit set the policies the answers name', async () => {
    const started = await start([
      '--port',
      '0',
      '--memory',
      '--json',
      '--rate-limit',
      '2/1m',
      '--login-rate-limit',
      '3/5m',
    ]);
    const info = JSON.parse(started.line) as Record<string, string>;
    const headers = { authorization: `Bearer ${info.token}` };
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const answer = await fetch(`${info.url}/v1/viewer`, { headers });
      expect(answer.headers.get('ratelimit-policy')).toBe('"address";q=10;w=60, "token";q=2;w=60');
      statuses.push(answer.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    const login = await fetch(`${info.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: info.email, password: 'wrong' }),
    });
    expect(login.headers.get('ratelimit-policy')).toContain(
      '"login-email";q=3;w=300, "login-address";q=15;w=300',
    );
    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
  }, 60_000);
  it.each([
    [['--rate-limit', '0/1m'], '--rate-limit: N must be at least 1, such as 600/1m, got "0/1m"'],
    [
      ['--rate-limit', '5/0s'],
      '--rate-limit: the window must be at least 1s, such as 5/1s, got "5/0s"',
    ],
    [
      ['--login-rate-limit', '0/15m'],
      '--login-rate-limit: N must be at least 1, such as 10/15m, got "0/15m"',
    ],
    [['--idempotency-retention', '0s'], '--idempotency-retention must be at least 1s, got "0s"'],
    [['--latency', '-1s'], '--latency must be 0 or more, e.g. 50ms, got "-1s"'],
    [['--latency=-1s'], '--latency must be 0 or more, e.g. 50ms, got "-1s"'],
    // Node's timers take at most 2^31 - 1 ms; beyond, a keep-alive timeout fired after 1 ms.
    [
      ['--keep-alive-timeout', '3000000000'],
      '--keep-alive-timeout must be a whole number from 0 to 86400000 (24 hours), got "3000000000"',
    ],
    [
      ['--request-timeout', '86400001'],
      '--request-timeout must be a whole number from 0 to 86400000 (24 hours), got "86400001"',
    ],
  ])(
    '%j is a usage error (exit 2) saying what to type',
    async (args, message) => {
      const result = await run([...args, '--memory']);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')[0]).toBe(`hangar-mock: ${message}`);
    },
    30_000,
  );

  it('a bad --event-retention is a usage error (exit 2) naming the flag', async () => {
    const result = await run(['--event-retention', '0', '--memory']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      'hangar-mock: --event-retention must be a whole number of at least 1, got "0"',
    );
  }, 30_000);

  it('--help prints usage', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--data-dir');
    expect(help.stdout).toContain('--event-retention N');
  });

  // One process start per case: several in one test outlast a timeout on a loaded machine.
  it('a port in use: one line naming it and how to pick another (exit 1)', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const result = await run(['--port', String(port), '--memory']);
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        `hangar-mock: port ${port} on 127.0.0.1 is already in use (another hangar-mock?): ` +
          'stop that program, or pick another port with --port PORT (--port 0 takes any free one)',
      );
    } finally {
      taken.close();
    }
  });

  it.each([
    [
      '256.1.1.1',
      /^hangar-mock: --host 256\.1\.1\.1 is not an address or a name that resolves \(\w+\): use an address of this machine, e\.g\. --host 127\.0\.0\.1/,
    ],
    [
      '192.0.2.1',
      /^hangar-mock: --host 192\.0\.2\.1 is not an address of this machine \(EADDRNOTAVAIL\)/,
    ],
  ])(
    '--host %s that it cannot listen on: one line saying what to type (exit 2)',
    async (host, line) => {
      const result = await run(['--host', host, '--memory']);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(line);
    },
  );

  it.each([
    [['--bogus'], /bogus/],
    [
      ['--seed', SEED_BAD_YAML, '--memory'],
      /^hangar-mock: --seed \S+bad\.yaml: line 3, column \d+: not valid YAML \(/,
    ],
    [
      ['--seed', SEED_ALIAS_BOMB, '--memory'],
      /^hangar-mock: --seed \S+alias-bomb\.yaml: not valid YAML \(its aliases expand too much: Excessive alias count indicates a resource exhaustion attack\)$/,
    ],
    [
      ['--seed', SEED_UNRESOLVED_ALIAS, '--memory'],
      /^hangar-mock: --seed \S+unresolved-alias\.yaml: not valid YAML \(Unresolved alias \(the anchor must be set before the alias\): nobody\)$/,
    ],
    [
      ['--seed', SEED_UNKNOWN_MEMBER, '--memory'],
      /^hangar-mock: --seed \S+unknown-member\.yaml: orgs\[0\]\.members\[0\]\.email: no user nobody@example\.test$/,
    ],
    [
      ['--seed', SEED_BAD_SLUG, '--memory'],
      /^hangar-mock: --seed \S+bad-slug\.yaml: .*orgs\[0\]\.slug: must be a DNS label/,
    ],
    // The flags of the removed response cache: a usage error that says to drop them.
    [['--no-response-cache', '--memory'], /no response cache any more/],
    [['--response-cache', '--memory'], /no response cache any more/],
    [['--port', 'eighty', '--memory'], /--port/],
    [['--cors-origin', 'example.com', '--memory'], /--cors-origin/],
    [['--rate-limit', '600', '--memory'], /--rate-limit must be N\/DURATION such as 600\/1m/],
    [
      ['--login-rate-limit', '5/15x', '--memory'],
      /--login-rate-limit: the window must be a duration/,
    ],
    [['--no-rate-limit', '--rate-limit', '5/1m', '--memory'], /--no-rate-limit cannot be used/],
    [['--idempotency-retention', '24', '--memory'], /--idempotency-retention must be a duration/],
    [
      ['--seed', '/nonexistent/fixture.yaml', '--memory'],
      /^hangar-mock: --seed \/nonexistent\/fixture\.yaml: cannot read the fixture file \(ENOENT\)$/,
    ],
  ])('%j is a usage error (exit 2) saying what is wrong', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(message);
    expect(result.stdout).toBe('');
  });
});
