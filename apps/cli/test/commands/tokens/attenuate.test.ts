import { describe, expect, it } from 'vitest';
import { closedUrl, hangar, hangarLine, TOKEN_RE, useMockServer } from '../../helpers.js';

describe('tokens attenuate (offline)', () => {
  const mock = useMockServer();

  it('attenuates to read-only offline; the result reads but cannot write', async () => {
    const org = await hangarLine(['tokens', 'create', 'org', 'acme'], mock.env);
    const narrowed = await hangar(['tokens', 'attenuate', '--read-only', '-x', '1h'], {
      env: { ...mock.env, HANGAR_API_TOKEN: org, HANGAR_API_URL: await closedUrl() },
    });
    expect(narrowed.code).toBe(0);
    const token = narrowed.stdout.trim();
    expect(token).toMatch(TOKEN_RE);
    const tokenEnv = { ...mock.env, HANGAR_API_TOKEN: token };
    expect((await hangar(['apps', 'list', '-o', 'acme'], { env: tokenEnv })).code).toBe(0);
    const write = await hangar(['apps', 'create', 'acme-ro', '-o', 'acme'], { env: tokenEnv });
    expect(write.code).toBe(1);
    expect(write.stderr).toMatch(/403 forbidden/);
  });

  it('attenuates to one app by id (offline) or by name (one lookup)', async () => {
    const org = await hangarLine(['tokens', 'create', 'org', 'acme'], mock.env);
    const orgEnv = { ...mock.env, HANGAR_API_TOKEN: org };
    const app = JSON.parse(
      (await hangar(['apps', 'show', 'acme-web', '--json'], { env: orgEnv })).stdout,
    );
    expect(app.id).toMatch(/^app_[0-9a-f]{16}$/);
    const byId = await hangarLine(['tokens', 'attenuate', '--app-id', app.id], orgEnv);
    const byName = await hangarLine(['tokens', 'attenuate', '--app', 'acme-web'], orgEnv);
    for (const token of [byId, byName]) {
      const tokenEnv = { ...mock.env, HANGAR_API_TOKEN: token };
      expect((await hangar(['machines', 'list', '-a', 'acme-web'], { env: tokenEnv })).code).toBe(
        0,
      );
      const other = await hangar(['machines', 'list', '-a', 'acme-api'], { env: tokenEnv });
      expect(other.code).toBe(1);
      expect(other.stderr).toMatch(/404 not_found/);
    }
    const nothing = await hangar(['tokens', 'attenuate'], { env: orgEnv });
    expect(nothing.code).toBe(2);
  });

  it("--json prints each caveat in the API's names, not-after as RFC 3339", async () => {
    const org = await hangarLine(['tokens', 'create', 'org', 'acme'], mock.env);
    const env = { ...mock.env, HANGAR_API_TOKEN: org, HANGAR_API_URL: await closedUrl() };
    const result = await hangar(['tokens', 'attenuate', '--read-only', '-x', '1h', '--json'], {
      env,
    });
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    const notAfter = json.caveats.filter((c: { type: string }) => c.type === 'not-after');
    expect(notAfter.length).toBeGreaterThan(0);
    for (const caveat of notAfter) {
      expect(caveat).toEqual({
        type: 'not-after',
        not_after: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      });
    }
    expect(notAfter.map((c: { not_after: string }) => c.not_after).sort()[0]).toBe(json.expires_at);
  });

  it('refuses an attenuated token once its parent is revoked', async () => {
    const parent = JSON.parse(
      (await hangar(['tokens', 'create', 'org', 'acme', '--json'], { env: mock.env })).stdout,
    );
    const child = (
      await hangar(['tokens', 'attenuate', '--read-only'], {
        env: { ...mock.env, HANGAR_API_TOKEN: parent.token },
      })
    ).stdout.trim();
    expect((await hangar(['tokens', 'revoke', parent.id], { env: mock.env })).code).toBe(0);
    const refused = await hangar(['orgs', 'show', 'acme'], {
      env: { ...mock.env, HANGAR_API_TOKEN: child },
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/token_revoked/);
  });

  it('refuses a malformed --app-id offline (exit 2) with the expected shape', async () => {
    const result = await hangar(['tokens', 'attenuate', '--app-id', 'garbage'], {
      env: { ...mock.env, HANGAR_API_URL: await closedUrl() },
    });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^Error: Invalid --app-id "garbage": app ids look like app_ and 16 hex digits \(e\.g\. app_3f9a0c1d2e4b5a69;/,
    );
  });

  it.each([
    [['tokens', 'attenuate', '--read-only']],
    [['tokens', 'create', 'readonly', '--from-existing']],
  ])('%j refuses an --expiry that outlives the token (exit 2)', async (args) => {
    const short = await hangarLine(['tokens', 'create', 'org', 'acme', '-x', '1h'], mock.env);
    const env = { ...mock.env, HANGAR_API_TOKEN: short, HANGAR_API_URL: await closedUrl() };
    const result = await hangar([...args, '-x', '100000h'], { env });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^Error: --expiry 100000h would outlive this token \(it expires 20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ\); attenuation can only shorten it\.\n$/,
    );
    const shorter = await hangar([...args, '-x', '30m'], { env });
    expect(shorter.code).toBe(0);
    expect(shorter.stdout.trim()).toMatch(TOKEN_RE);
  });
});
