import { describe, expect, it } from 'vitest';
import { hangar, TOKEN_RE, useMockServer } from '../../helpers.js';

describe('--idempotency-key on tokens create and tokens revoke', () => {
  const mock = useMockServer();

  it('a rerun of tokens create with the same key prints the same token and mints one', async () => {
    const args = [
      'tokens',
      'create',
      'org',
      'acme',
      '-n',
      'ci-rerun',
      '--idempotency-key',
      'job-7',
    ];
    const first = await hangar(args, { env: mock.env });
    const again = await hangar(args, { env: mock.env });
    expect([first.code, again.code]).toEqual([0, 0]);
    expect(first.stdout.trim()).toMatch(TOKEN_RE);
    expect(again.stdout).toBe(first.stdout);
    const list = await hangar(['tokens', 'list', '-o', 'acme', '--json'], { env: mock.env });
    const names = (JSON.parse(list.stdout) as { name: string }[]).map((t) => t.name);
    expect(names.filter((n) => n === 'ci-rerun')).toHaveLength(1);
  });

  it('a rerun of tokens rotate with the same key prints the same new token and rotates once', async () => {
    const created = await hangar(['tokens', 'create', 'org', 'acme', '-n', 'to-rotate', '--json'], {
      env: mock.env,
    });
    const { id } = JSON.parse(created.stdout) as { id: string };
    const args = ['tokens', 'rotate', id, '--grace', '1h', '--idempotency-key', 'rotate-9'];
    const first = await hangar(args, { env: mock.env });
    const again = await hangar(args, { env: mock.env });
    expect([first.code, again.code]).toEqual([0, 0]);
    expect(first.stdout.trim()).toMatch(TOKEN_RE);
    expect(again.stdout).toBe(first.stdout);
    // A new key is a new rotation, of a token already rotated: 409.
    const other = await hangar(['tokens', 'rotate', id, '--idempotency-key', 'rotate-10'], {
      env: mock.env,
    });
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/token_already_rotated/);
  });

  it('without a key, each run creates its own token', async () => {
    const args = ['tokens', 'create', 'deploy', '-a', 'acme-web', '-n', 'no-key'];
    const first = await hangar(args, { env: mock.env });
    const again = await hangar(args, { env: mock.env });
    expect(first.stdout).not.toBe(again.stdout);
  });

  it('the same key with other flags exits 2 (usage) with the server problem, saying to pick a new key', async () => {
    const base = ['tokens', 'create', 'readonly', 'acme', '--idempotency-key', 'job-8'];
    expect((await hangar([...base, '-n', 'one'], { env: mock.env })).code).toBe(0);
    const other = await hangar([...base, '-n', 'two'], { env: mock.env });
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/Idempotency-Key/);
    expect(other.stderr).toContain('422 idempotency_key_reused');
    expect(other.stderr).toMatch(/rerun with a new --idempotency-key/);
    // The server's --idempotency-retention decides how long; 24 hours is only its default.
    expect(other.stderr).toContain("within the server's retention (24 hours by default)");
    expect(other.stdout).toBe('');
  });

  it('a rerun of tokens revoke with the same key reports revoked again, not already revoked', async () => {
    const created = await hangar(['tokens', 'create', 'org', 'acme', '--json'], { env: mock.env });
    const { id } = JSON.parse(created.stdout) as { id: string };
    const args = ['tokens', 'revoke', id, '--idempotency-key', 'rm-job'];
    const first = await hangar(args, { env: mock.env });
    const again = await hangar(args, { env: mock.env });
    expect(first.stdout).toContain(`${id}: revoked`);
    expect(again.stdout).toContain(`${id}: revoked`);
    expect((await hangar(['tokens', 'revoke', id], { env: mock.env })).stdout).toContain(
      'already revoked',
    );
  });

  it('tokens revoke with a 250-character key and three ids revokes all three; a rerun replays', async () => {
    const ids: string[] = [];
    for (const name of ['long-a', 'long-b', 'long-c']) {
      const created = await hangar(['tokens', 'create', 'org', 'acme', '-n', name, '--json'], {
        env: mock.env,
      });
      ids.push((JSON.parse(created.stdout) as { id: string }).id);
    }
    const args = ['tokens', 'revoke', ...ids, '--idempotency-key', 'k'.repeat(250)];
    const first = await hangar(args, { env: mock.env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    for (const id of ids) expect(first.stdout).toContain(`${id}: revoked`);
    expect(first.stdout).toContain('3 revoked, 0 already revoked, 0 failed (of 3).');
    // Each id replays its own first answer: "revoked", not "already revoked".
    const again = await hangar(args, { env: mock.env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('3 revoked, 0 already revoked, 0 failed (of 3).');
  });

  it('tokens revoke goes on after an id that fails with another error, then prints the summary', async () => {
    const ids: string[] = [];
    for (const name of ['mid-a', 'mid-b', 'mid-c']) {
      const created = await hangar(['tokens', 'create', 'org', 'acme', '-n', name, '--json'], {
        env: mock.env,
      });
      ids.push((JSON.parse(created.stdout) as { id: string }).id);
    }
    // The key of the middle id was already used for another request: 422 for that id only.
    const used = await hangar(
      ['tokens', 'create', 'org', 'acme', '-n', 'taken', '--idempotency-key', `rm-3:${ids[1]}`],
      { env: mock.env },
    );
    expect(used.code).toBe(0);
    const result = await hangar(['tokens', 'revoke', ...ids, '--idempotency-key', 'rm-3'], {
      env: mock.env,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${ids[0]}: revoked`);
    expect(result.stdout).toMatch(new RegExp(`${ids[1]}: failed \\(.*\\)`));
    expect(result.stdout).toContain(`${ids[2]}: revoked`);
    expect(result.stderr).toContain(
      'Could not revoke 1 of 3 tokens (2 revoked, 0 already revoked).',
    );
  });

  it('a key over 255 characters exits 2 saying what to type', async () => {
    const long = await hangar(
      ['tokens', 'create', 'org', 'acme', '--idempotency-key', 'k'.repeat(256)],
      { env: mock.env },
    );
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(/--idempotency-key: use 1 to 255 printable ASCII characters/);
  });
});
