import { describe, expect, it } from 'vitest';
import { admin, hangar, hangarLine, useMockServer } from '../helpers.js';

describe('the token expiry warning', () => {
  const mock = useMockServer();

  it('warns once on stderr when the token expires within 7 days, never on stdout', async () => {
    const short = await hangarLine(['tokens', 'create', 'org', 'acme', '-x', '72h'], mock.env);
    const env = { ...mock.env, HANGAR_API_TOKEN: short };
    // Two tokens to revoke: two authenticated requests, still one warning.
    const first = await hangarLine(['tokens', 'create', 'readonly', 'acme', '-x', '1h', '-j'], env);
    const second = await hangarLine(
      ['tokens', 'create', 'readonly', 'acme', '-x', '1h', '-j'],
      env,
    );
    const ids = [JSON.parse(first).id, JSON.parse(second).id];
    const revoked = await hangar(['tokens', 'revoke', ...ids, '--json'], { env });
    expect(revoked.code).toBe(0);
    const warnings = revoked.stderr.split('\n').filter((line) => line.startsWith('Warning:'));
    expect(warnings).toEqual([
      expect.stringMatching(/^Warning: the token in use expires in 3 days \(\d{4}-.+Z\)\./),
    ]);
    expect(revoked.stdout).not.toContain('Warning');
    expect(() => JSON.parse(revoked.stdout)).not.toThrow();
  });

  it('says nothing for a token with more than 7 days left', async () => {
    const long = await hangarLine(['tokens', 'create', 'org', 'acme', '-x', '192h'], mock.env);
    const run = await hangar(['orgs', 'list'], { env: { ...mock.env, HANGAR_API_TOKEN: long } });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
  });

  it('counts from the server clock: after /_admin/clock moves 2 days, an 8-day token warns of 6 days', async () => {
    const token = await hangarLine(['tokens', 'create', 'org', 'acme', '-x', '192h'], mock.env);
    await admin(mock.server.url, mock.server.adminKey, 'clock', { advance_seconds: 2 * 86_400 });
    const run = await hangar(['orgs', 'list'], { env: { ...mock.env, HANGAR_API_TOKEN: token } });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^Warning: the token in use expires in 6 days \(/);
  });

  it('-x 2d warns (in 48 hours or 2 days, by the second it is read), and suggests what renews a token that is not personal: rotating it from a login, not by itself', async () => {
    const short = await hangarLine(['tokens', 'create', 'org', 'acme', '-x', '2d'], mock.env);
    const env = { ...mock.env, HANGAR_API_TOKEN: short };
    const run = await hangar(['orgs', 'list'], { env });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^Warning: the token in use expires in (48 hours|2 days) \(/);
    // Rotating itself keeps the expiry (docs/architecture.md), so --current would not help.
    expect(run.stderr).not.toContain('rotate --current');
    const id = JSON.parse(await hangarLine(['auth', 'whoami', '--json'], env)).token.id;
    expect(run.stderr).toContain(
      `log in (hangar auth login), then rotate it (hangar tokens rotate ${id})`,
    );
    // What the advice does: rotated by the (longer-lived) login, it gets its 2 days back.
    await admin(mock.server.url, mock.server.adminKey, 'clock', { advance_seconds: 86_400 });
    const rotated = JSON.parse(await hangarLine(['tokens', 'rotate', id, '--json'], mock.env));
    const left = await hangar(['orgs', 'list'], {
      env: { ...mock.env, HANGAR_API_TOKEN: rotated.token },
    });
    expect(left.stderr).toMatch(/^Warning: the token in use expires in (48 hours|2 days) \(/);
  });
});

describe('the expiry warning of a personal token', () => {
  const mock = useMockServer();

  it('suggests logging in again', async () => {
    // The dev token is a personal token; attenuated offline to 3 days, it is still one.
    const short = await hangarLine(['tokens', 'attenuate', '-x', '72h'], mock.env);
    const run = await hangar(['orgs', 'list'], { env: { ...mock.env, HANGAR_API_TOKEN: short } });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Warning: the token in use expires in 3 days');
    expect(run.stderr).toContain('Log in again (hangar auth login)');
    expect(run.stderr).not.toContain('tokens rotate');
  });
});

describe('the expiry warning of an attenuated token', () => {
  const mock = useMockServer();

  it('does not suggest rotating, which the server refuses; suggests a new token', async () => {
    const org = await hangarLine(['tokens', 'create', 'org', 'acme', '-x', '72h'], mock.env);
    const attenuated = await hangarLine(['tokens', 'attenuate', '-x', '48h'], {
      ...mock.env,
      HANGAR_API_TOKEN: org,
    });
    const env = { ...mock.env, HANGAR_API_TOKEN: attenuated };
    const run = await hangar(['orgs', 'list'], { env });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/Warning: the token in use expires in (48 hours|2 days)/);
    expect(run.stderr).toContain('Create a new one (hangar tokens create)');
    expect(run.stderr).not.toContain('tokens rotate');
    // What the old advice led to: the server refuses rotateCurrentToken to this token.
    const rotate = await hangar(['tokens', 'rotate', '--current'], { env });
    expect(rotate.code).toBe(1);
    expect(rotate.stderr).toContain('403');
  });
});

describe('the expiry warning of a rotated token in its grace period', () => {
  const mock = useMockServer();

  it('counts to the end of the grace, when the token is refused, and says to switch to its replacement', async () => {
    const old = JSON.parse(
      await hangarLine(['tokens', 'create', 'org', 'acme', '-x', '720h', '--json'], mock.env),
    );
    const fresh = JSON.parse(
      await hangarLine(['tokens', 'rotate', old.id, '--grace', '2h', '--json'], mock.env),
    );
    const run = await hangar(['orgs', 'list'], {
      env: { ...mock.env, HANGAR_API_TOKEN: old.token },
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^Warning: the token in use expires in 2 hours \(/);
    expect(run.stderr).toContain(`switch to the token that replaced it (${fresh.id})`);
    expect(run.stderr).not.toContain('tokens rotate');
  });
});
