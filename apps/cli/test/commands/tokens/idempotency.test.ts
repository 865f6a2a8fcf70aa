import { startMockServer } from '@hangar/mock-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hangar, TOKEN_RE, tempConfigDir } from '../../helpers.js';

type Server = Awaited<ReturnType<typeof startMockServer>>;

describe('--idempotency-key on tokens create and tokens revoke', () => {
  let server: Server;
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    server = await startMockServer({ port: 0, memory: true });
    const config = await tempConfigDir();
    cleanup = config.cleanup;
    env = {
      HANGAR_CONFIG_DIR: config.dir,
      HANGAR_API_URL: server.url,
      HANGAR_API_TOKEN: server.devToken,
    };
  });

  afterAll(async () => {
    await server?.close();
    await cleanup?.();
  });

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
    const first = await hangar(args, { env });
    const again = await hangar(args, { env });
    expect([first.code, again.code]).toEqual([0, 0]);
    expect(first.stdout.trim()).toMatch(TOKEN_RE);
    expect(again.stdout).toBe(first.stdout);
    const list = await hangar(['tokens', 'list', '-o', 'acme', '--json'], { env });
    const names = (JSON.parse(list.stdout) as { name: string }[]).map((t) => t.name);
    expect(names.filter((n) => n === 'ci-rerun')).toHaveLength(1);
  });

  it('a rerun of tokens rotate with the same key prints the same new token and rotates once', async () => {
    const created = await hangar(['tokens', 'create', 'org', 'acme', '-n', 'to-rotate', '--json'], {
      env,
    });
    const { id } = JSON.parse(created.stdout) as { id: string };
    const args = ['tokens', 'rotate', id, '--grace', '1h', '--idempotency-key', 'rotate-9'];
    const first = await hangar(args, { env });
    const again = await hangar(args, { env });
    expect([first.code, again.code]).toEqual([0, 0]);
    expect(first.stdout.trim()).toMatch(TOKEN_RE);
    expect(again.stdout).toBe(first.stdout);
    // A new key is a new rotation, of a token already rotated: 409.
    const other = await hangar(['tokens', 'rotate', id, '--idempotency-key', 'rotate-10'], { env });
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/token_already_rotated/);
  });

  it('without a key, each run creates its own token', async () => {
    const args = ['tokens', 'create', 'deploy', '-a', 'acme-web', '-n', 'no-key'];
    const first = await hangar(args, { env });
    const again = await hangar(args, { env });
    expect(first.stdout).not.toBe(again.stdout);
  });

  it('the same key with other flags exits 2 (usage) with the server problem, saying to pick a new key', async () => {
    const base = ['tokens', 'create', 'readonly', 'acme', '--idempotency-key', 'job-8'];
    expect((await hangar([...base, '-n', 'one'], { env })).code).toBe(0);
    const other = await hangar([...base, '-n', 'two'], { env });
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/Idempotency-Key/);
    expect(other.stderr).toContain('422 idempotency_key_reused');
    expect(other.stderr).toMatch(/rerun with a new --idempotency-key/);
    expect(other.stdout).toBe('');
  });

  it('a rerun of tokens revoke with the same key reports revoked again, not already revoked', async () => {
    const created = await hangar(['tokens', 'create', 'org', 'acme', '--json'], { env });
    const { id } = JSON.parse(created.stdout) as { id: string };
    const args = ['tokens', 'revoke', id, '--idempotency-key', 'rm-job'];
    const first = await hangar(args, { env });
    const again = await hangar(args, { env });
    expect(first.stdout).toContain(`${id}: revoked`);
    expect(again.stdout).toContain(`${id}: revoked`);
    expect((await hangar(['tokens', 'revoke', id], { env })).stdout).toContain('already revoked');
  });

  it('a key over 255 characters exits 2 saying what to type', async () => {
    const long = await hangar(
      ['tokens', 'create', 'org', 'acme', '--idempotency-key', 'k'.repeat(256)],
      { env },
    );
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(/--idempotency-key: use 1 to 255 printable ASCII characters/);
  });
});
