import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { admin, hangar, hangarLine, TOKEN_RE, useMockServer } from '../../helpers.js';

describe('tokens rotate, show, and list --status/--limit (issue 15)', () => {
  const mock = useMockServer();
  const create = async (env: Record<string, string>) => {
    const created = JSON.parse(
      (await hangar(['tokens', 'create', 'deploy', '-a', 'acme-web', '-n', 'ci', '-j'], { env }))
        .stdout,
    ) as { id: string; token: string };
    return created;
  };
  const whoami = (token: string) =>
    hangar(['auth', 'whoami', '-j'], { env: { ...mock.env, HANGAR_API_TOKEN: token } });

  it('an expired token cannot be rotated: one line saying to create a new one (exit 1)', async () => {
    const env = mock.env;
    const short = JSON.parse(
      (await hangar(['tokens', 'create', 'org', 'acme', '-n', 'short', '-x', '60s', '-j'], { env }))
        .stdout,
    ) as { id: string };
    await admin(mock.server.url, mock.server.adminKey, 'clock', { advance_seconds: 61 });
    const result = await hangar(['tokens', 'rotate', short.id], { env });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /409 token_already_expired, request req_\w+\)\. Hint: .*create a new one/,
    );
  });

  it('prints one line, the new token; the old one works through --grace, then is refused as rotated', async () => {
    const env = mock.env;
    const old = await create(env);
    const rotated = await hangar(['tokens', 'rotate', old.id, '--grace', '1h'], { env });
    expect(rotated.code).toBe(0);
    expect(rotated.stderr).toBe('');
    const lines = rotated.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(TOKEN_RE);
    const fresh = lines[0] as string;
    expect((await whoami(old.token)).code).toBe(0);
    expect((await whoami(fresh)).code).toBe(0);

    // In its grace period: the API says `active` with `replaced_by`; the CLI says rotating, and
    // "Rotated at" (a time still to come) reads as when it stops working.
    const graceJson = JSON.parse((await hangar(['tokens', 'show', old.id, '-j'], { env })).stdout);
    expect(graceJson).toMatchObject({ status: 'active', replaced_by: expect.any(String) });
    const inGrace = await hangar(['tokens', 'show', old.id], { env });
    expect(inGrace.stdout).toMatch(/Status:\s+rotating\n/);
    expect(inGrace.stdout).toContain(`Stops working at: ${graceJson.rotated_at}`);
    expect(inGrace.stdout).not.toContain('Rotated at');
    const listed = await hangar(['tokens', 'list', '-a', 'acme-web'], { env });
    const row = listed.stdout.split('\n').find((line) => line.startsWith(old.id));
    expect(row).toMatch(/\srotating(\s|$)/);

    await admin(mock.server.url, mock.server.adminKey, 'clock', { advance_seconds: 3601 });
    const refused = await whoami(old.token);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('token_rotated');
    expect((await whoami(fresh)).code).toBe(0);

    const shown = await hangar(['tokens', 'show', old.id], { env });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/Status:\s+rotated/);
    expect(shown.stdout).toMatch(/Rotated at:\s+\d{4}-/);
    expect(shown.stdout).toMatch(/Replaced by:\s+tok_[0-9a-f]{32}/);
    expect(shown.stdout).not.toContain('hangar_');
  });

  it('-j prints the new token object with replaces; rotating it twice exits 1 with token_already_rotated', async () => {
    const env = mock.env;
    const old = await create(env);
    const json = await hangar(['tokens', 'rotate', old.id, '-j'], { env });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ replaces: old.id, name: 'ci', kind: 'deploy' });
    const again = await hangar(['tokens', 'rotate', old.id], { env });
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain('token_already_rotated');
  });

  it('refuses a bad --grace, a missing id and a whole token before any request (exit 2)', async () => {
    const env = mock.env;
    const old = await create(env);
    const tooLong = await hangar(['tokens', 'rotate', old.id, '--grace', '169h'], { env });
    expect([tooLong.code, tooLong.stderr]).toEqual([
      2,
      expect.stringContaining('Invalid --grace "169h"'),
    ]);
    const none = await hangar(['tokens', 'rotate'], { env });
    expect([none.code, none.stderr]).toEqual([2, expect.stringContaining('No token id given')]);
    const secret = await hangar(['tokens', 'rotate', old.token], { env });
    expect(secret.code).toBe(2);
    expect(secret.stderr).toContain(`run: hangar tokens rotate ${old.id}`);
    expect(secret.stderr).not.toContain(old.token);
    expect((await whoami(old.token)).code).toBe(0);
  });

  it.each([
    ['500ms', 'whole seconds, e.g. 30s, 10m, 1h (at most 168h)'],
    ['1.5s', 'whole seconds, e.g. 30s, 10m, 1h (at most 168h)'],
    ['9999h', 'at most 168h (7 days)'],
    ['1000000000000000000000h', 'at most 168h (7 days)'],
    ['90', 'add a unit: 90s, 2m, 1h (at most 168h)'],
  ])(
    'refuses --grace %s, which it cannot honour exactly, before any request (exit 2)',
    async (grace, says) => {
      const old = await create(mock.env);
      const result = await hangar(['tokens', 'rotate', old.id, '--grace', grace], {
        env: mock.env,
      });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`Invalid --grace "${grace}": `);
      expect(result.stderr).toContain(says);
      expect(result.stderr).not.toContain('604800');
      expect((await whoami(old.token)).code).toBe(0);
    },
  );

  it('--current: the expiry warning after the rotation asks the API with the new token, not the old one', async () => {
    const soon = JSON.parse(
      (
        await hangar(['tokens', 'create', 'org', 'acme', '-n', 'soon', '-x', '48h', '-j'], {
          env: mock.env,
        })
      ).stdout,
    ) as { token: string };
    const env = { ...mock.env, HANGAR_API_TOKEN: soon.token };
    const rotated = await hangar(['tokens', 'rotate', '--current', '--verbose'], { env });
    expect(rotated.code).toBe(0);
    expect(rotated.stdout.trim()).toMatch(TOKEN_RE);
    // The old token is refused from the rotation on (--grace 0s): no request after it may use it.
    expect(rotated.stderr).not.toMatch(/\b401\b/);
    // 48 h from the server's Date (whole seconds): "2 days" within the creating second, "48
    // hours" once a second has passed (a loaded machine), either is right.
    expect(rotated.stderr).toMatch(
      /Warning: the token in use expires in (2 days|48 hours) .*Rotating it with itself keeps its expiry/,
    );
  });

  it('--current rotates the token in use and stores the new one when it came from the config', async () => {
    const env: Record<string, string | undefined> = { ...mock.env, HANGAR_API_TOKEN: undefined };
    const ci = await create(mock.env);
    expect((await hangar(['auth', 'login', '--token', ci.token], { env })).code).toBe(0);
    const rotated = await hangar(['tokens', 'rotate', '--current'], { env });
    expect(rotated.code).toBe(0);
    const fresh = rotated.stdout.trim();
    expect(fresh).toMatch(TOKEN_RE);
    expect(rotated.stderr).toMatch(/^Stored the new token in .*config\.yml\.\n$/);
    const config = await readFile(join(env.HANGAR_CONFIG_DIR as string, 'config.yml'), 'utf8');
    expect(config).toContain(fresh);
    expect((await hangar(['auth', 'whoami'], { env })).code).toBe(0);
    expect((await whoami(ci.token)).stderr).toContain('token_rotated');
  });

  it('--current --idempotency-key: an answer dropped after the commit is retried and replayed, the new token kept', async () => {
    const ci = await create(mock.env);
    const env = { ...mock.env, HANGAR_API_TOKEN: ci.token };
    await admin(mock.server.url, mock.server.adminKey, 'faults', {
      operation_id: 'rotateCurrentToken',
      drop: 'after',
      times: 1,
    });
    const args = ['tokens', 'rotate', '--current', '--idempotency-key', `cli-rot-${ci.id}`];
    const first = await hangar(args, { env });
    expect([first.code, first.stderr]).toEqual([0, '']);
    const fresh = first.stdout.trim();
    expect(fresh).toMatch(TOKEN_RE);
    // Run again by hand with the same key and old token: the same token, not 401 token_rotated.
    const again = await hangar(args, { env });
    expect([again.code, again.stdout.trim()]).toEqual([0, fresh]);
    expect((await whoami(fresh)).code).toBe(0);
    expect((await whoami(ci.token)).stderr).toContain('token_rotated');
  }, 60_000);

  it('tokens list --status and --limit filter on the server and cut the list', async () => {
    const env = mock.env;
    const app = 'acme-api';
    const ids: string[] = [];
    for (const name of ['one', 'two', 'three']) {
      const out = await hangar(['tokens', 'create', 'deploy', '-a', app, '-n', name, '-j'], {
        env,
      });
      ids.push((JSON.parse(out.stdout) as { id: string }).id);
    }
    await hangar(['tokens', 'revoke', ids[0] as string], { env });
    const revoked = await hangar(['tokens', 'list', '-a', app, '--status', 'revoked', '-j'], {
      env,
    });
    expect((JSON.parse(revoked.stdout) as { id: string }[]).map((t) => t.id)).toEqual([ids[0]]);
    const limited = await hangar(['tokens', 'list', '-a', app, '--limit', '2', '-j'], { env });
    expect((JSON.parse(limited.stdout) as { id: string }[]).map((t) => t.id)).toEqual([
      ids[2],
      ids[1],
    ]);
    const none = await hangar(['tokens', 'list', '-a', app, '--status', 'rotated'], { env });
    expect(none.stdout).toBe('No rotated tokens.\n');
    const bad = await hangar(['tokens', 'list', '-a', app, '--status', 'dead'], { env });
    expect(bad.code).toBe(2);
  });

  it('tokens list -s personal lists your personal tokens', async () => {
    const line = await hangarLine(['tokens', 'list', '-s', 'personal', '-j'], mock.env);
    const tokens = JSON.parse(line) as { kind: string }[];
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.every((t) => t.kind === 'personal')).toBe(true);
  });
});
