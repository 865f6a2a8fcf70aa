// The in-process runner (test/in-process.ts) must give what a real `hangar` process gives, or
// tests that use it prove nothing: each case runs both ways and compares.
import { describe, expect, it } from 'vitest';
import { hangar, useMockServer } from './helpers.js';

describe('hangar() in-process matches a real process', () => {
  const mock = useMockServer();

  it.each([
    ['success (exit 0)', () => ({ args: ['orgs', 'list', '--json'] })],
    ['usage error (exit 2)', () => ({ args: ['tokens', 'list', '--no-such-flag'] })],
    ['API error (exit 1)', () => ({ args: ['apps', 'show', 'no-such-app'] })],
    ['no token (exit 1)', () => ({ args: ['orgs', 'list'], env: { HANGAR_API_TOKEN: undefined } })],
    [
      'a token read from stdin',
      () => ({ args: ['tokens', 'inspect', '--json', '-'], input: mock.server.devToken }),
    ],
  ])('%s', async (_, form) => {
    const { args, env, input } = form() as {
      args: string[];
      env?: Record<string, string | undefined>;
      input?: string;
    };
    const options = { env: { ...mock.env, ...env }, input };
    // Each run is its own request, with its own id (named in an API error line).
    const same = (result: Awaited<ReturnType<typeof hangar>>) =>
      JSON.parse(JSON.stringify(result).replace(/req_[0-9a-f]{24}/g, 'req_ID'));
    const inProcess = await hangar(args, options);
    const subprocess = await hangar(args, { ...options, process: true });
    expect(same(inProcess)).toEqual(same(subprocess));
  });

  it('leaves this process as it found it: env, argv, exit code, stdin', async () => {
    const before = { env: { ...process.env }, argv: [...process.argv], stdin: process.stdin };
    await hangar(['tokens', 'list', '--no-such-flag'], { env: { ...mock.env, EXTRA: 'x' } });
    expect(process.env).toEqual(before.env);
    expect(process.argv).toEqual(before.argv);
    expect(process.stdin).toBe(before.stdin);
    expect(process.exitCode).toBeUndefined();
  });
});
