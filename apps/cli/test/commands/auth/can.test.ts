import { describe, expect, it } from 'vitest';
import { hangar, hangarLine, useMockServer } from '../../helpers.js';

describe('auth can', () => {
  const mock = useMockServer();

  it('exits 0 when allowed and 1 when not, saying which caveat decides', async () => {
    const readonly = await hangarLine(['tokens', 'create', 'readonly', 'acme'], mock.env);
    const env = { ...mock.env, HANGAR_API_TOKEN: readonly };
    const allowed = await hangar(['auth', 'can', 'read', 'machines', '-a', 'acme-web'], { env });
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toBe('Allowed: read machines on app "acme-web" (listMachines).\n');
    const denied = await hangar(['auth', 'can', 'create', 'machine', '-a', 'acme-web'], { env });
    expect(denied.code).toBe(1);
    expect(denied.stdout).toBe(
      'Not allowed: create machines on app "acme-web" (createMachine) would answer 403: the token does not allow the create action (caveat: actions = read).\n',
    );
    expect(denied.stderr).toBe('');
  });

  it('--help names every check that needs neither --org nor --app, and each of them works', async () => {
    const help = await hangar(['auth', 'can', '--help'], { env: mock.env });
    const text = help.stdout.replace(/\s+/g, ' ');
    expect(text).toContain(
      'With neither --org nor --app, only what needs no target can be checked: read org (listing organizations), read token (your personal tokens), and revoke or rotate token (the token in use).',
    );
    for (const args of [
      ['read', 'org'],
      ['read', 'token'],
      ['revoke', 'token'],
      ['rotate', 'token'],
    ]) {
      const result = await hangar(['auth', 'can', ...args], { env: mock.env });
      expect([args, result.code, result.stdout]).toEqual([
        args,
        0,
        expect.stringMatching(/^Allowed: /),
      ]);
    }
  });

  it("checks trust policies too (the contract's resource trust_policy), by either spelling", async () => {
    for (const resource of ['trust_policy', 'trust-policies']) {
      const result = await hangar(['auth', 'can', 'create', resource, '-o', 'acme'], {
        env: mock.env,
      });
      expect([resource, result.code, result.stdout]).toEqual([
        resource,
        0,
        'Allowed: create trust policies in organization "acme" (createTrustPolicy).\n',
      ]);
    }
    const unknown = await hangar(['auth', 'can', 'create', 'widget', '-o', 'acme'], {
      env: mock.env,
    });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('org, app, machine, token, event, trust_policy');
  });

  it('--json prints the answer and nothing else, with the same exit codes', async () => {
    const readonly = await hangarLine(['tokens', 'create', 'readonly', 'acme'], mock.env);
    const env = { ...mock.env, HANGAR_API_TOKEN: readonly };
    const denied = await hangar(['auth', 'can', 'delete', 'app', '-o', 'acme', '--json'], { env });
    expect(denied.code).toBe(1);
    expect(JSON.parse(denied.stdout)).toMatchObject({
      allowed: false,
      status: 403,
      operation: 'deleteApp',
      caveat: 'actions = read',
    });
    const allowed = await hangar(['auth', 'can', 'read', 'app', '-o', 'acme', '-j'], { env });
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout)).toMatchObject({ allowed: true, status: 200 });
  });

  it("revoking tokens: a deploy token may revoke its app's tokens, not the org's (revokeToken)", async () => {
    const deploy = await hangarLine(['tokens', 'create', 'deploy', '-a', 'acme-web'], mock.env);
    const env = { ...mock.env, HANGAR_API_TOKEN: deploy };
    const onApp = await hangar(['auth', 'can', 'revoke', 'token', '-a', 'acme-web'], { env });
    expect(onApp.stdout).toBe('Allowed: delete tokens on app "acme-web" (revokeToken).\n');
    expect(onApp.code).toBe(0);
    const onOrg = await hangar(['auth', 'can', 'delete', 'tokens', '-o', 'acme'], { env });
    expect(onOrg.code).toBe(1);
    expect(onOrg.stdout).toMatch(
      /^Not allowed: delete tokens in organization "acme" \(revokeToken\) would answer 403: .*caveat: apps = /,
    );
  });

  it('a bad action or resource is a usage error (exit 2) saying what to type', async () => {
    const bad = await hangar(['auth', 'can', 'deploy', 'app', '-o', 'acme'], { env: mock.env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      'Unknown action "deploy": use one of read, write, create, delete, control',
    );
    const what = await hangar(['auth', 'can', 'read', 'cluster'], { env: mock.env });
    expect(what.code).toBe(2);
    expect(what.stderr).toContain('Unknown resource "cluster"');
  });

  it('a check that needs a target says which flag names it (400 from checkAccess)', async () => {
    const none = await hangar(['auth', 'can', 'create', 'machine'], { env: mock.env });
    expect(none.code).toBe(2);
    expect(none.stderr.replace(/, request req_\w+\)/, ')')).toBe(
      'Error: Invalid request: body.org: create on machines needs a target: name an org or an app (400 validation_failed). Hint: pass -o ORG or -a APP to name the target.\n',
    );
    const org = await hangar(['auth', 'can', 'create', 'machine', '-o', 'acme'], {
      env: mock.env,
    });
    expect(org.code).toBe(2);
    expect(org.stderr).toContain('Hint: pass -a APP instead of -o ORG.');
  });
});
