import { describe, expect, it } from 'vitest';
import { closedUrl, hangar, useMockServer } from '../../helpers.js';

describe('tokens inspect (offline)', () => {
  const mock = useMockServer();

  it('inspects a token without the server and never shows the signature', async () => {
    const created = JSON.parse(
      (await hangar(['tokens', 'create', 'readonly', 'acme', '--json'], { env: mock.env })).stdout,
    );
    const offline = { ...mock.env, HANGAR_API_URL: await closedUrl() };
    const human = await hangar(['tokens', 'inspect', created.token], { env: offline });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`Identifier:\\s+${created.id}`));
    expect(human.stdout).toMatch(/Expires:\s+\d{4}-\d\d-\d\dT[\d:]+Z \(in (19|20) years\)/);
    expect(human.stdout).toMatch(/Caveats:\n {2}- .+\n {2}- .+/);
    expect(human.stdout.toLowerCase()).not.toContain('signature');
    const json = JSON.parse(
      (await hangar(['tokens', 'inspect', '--json', '-'], { env: offline, input: created.token }))
        .stdout,
    );
    expect(json.identifier).toBe(created.id);
    expect(json.caveats.map((c: { type: string }) => c.type)).toEqual(
      expect.arrayContaining(['org', 'actions', 'not-after']),
    );
    expect(JSON.stringify(json)).not.toMatch(/signature/i);
    expect(json.expires_at).toBe(created.expires_at);
  });

  it('--json names caveats and scope as the API does, with RFC 3339 times', async () => {
    const created = JSON.parse(
      (
        await hangar(['tokens', 'create', 'readonly', 'acme', '-x', '2h', '--json'], {
          env: mock.env,
        })
      ).stdout,
    );
    const tokenEnv = { ...mock.env, HANGAR_API_TOKEN: created.token };
    const whoami = JSON.parse(
      (await hangar(['auth', 'whoami', '--json'], { env: tokenEnv })).stdout,
    );
    const offline = { ...tokenEnv, HANGAR_API_URL: await closedUrl() };
    const json = JSON.parse(
      (await hangar(['tokens', 'inspect', '--json'], { env: offline })).stdout,
    );
    expect(json.caveats).toContainEqual({ type: 'not-after', not_after: created.expires_at });
    expect(JSON.stringify(json)).not.toMatch(/notAfter/);
    // The contract's Scope, as auth whoami --json prints it (ids instead of names, offline).
    expect(Object.keys(json.scope).sort()).toEqual(Object.keys(whoami.scope).sort());
    expect(json.scope).toEqual({
      org: expect.stringMatching(/^org_/),
      apps: null,
      actions: whoami.scope.actions,
      expires_at: whoami.scope.expires_at,
    });
  });

  it('given a token id, says it is not a Hangar token and which command takes an id', async () => {
    const id = 'tok_277f0c1d2e4b5a697788990011223344';
    const offline = { ...mock.env, HANGAR_API_URL: await closedUrl() };
    const result = await hangar(['tokens', 'inspect', id], { env: offline });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `Error: The access token from the argument is a token id, not a Hangar token (those start with "hangar_"); to see token ${id}, run: hangar tokens show ${id}\n`,
    );
  });
});
