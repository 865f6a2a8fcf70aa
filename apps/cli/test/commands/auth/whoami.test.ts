import { describe, expect, it } from 'vitest';
import { hangar, hangarLine, useMockServer } from '../../helpers.js';

describe('auth whoami of an attenuated token', () => {
  const mock = useMockServer();

  it('auth whoami shows the effective expiry of an attenuated token', async () => {
    const narrowed = await hangarLine(['tokens', 'attenuate', '-x', '2h'], mock.env);
    const env = { ...mock.env, HANGAR_API_TOKEN: narrowed };
    const viewer = JSON.parse((await hangar(['auth', 'whoami', '--json'], { env })).stdout);
    expect(viewer.scope.expires_at).not.toBe(viewer.token.expires_at);
    const human = await hangar(['auth', 'whoami'], { env });
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(
      `Expires:      ${viewer.scope.expires_at} (in 2 hours); attenuated: narrower than the token it came from (${viewer.token.expires_at})`,
    );
  });
});
