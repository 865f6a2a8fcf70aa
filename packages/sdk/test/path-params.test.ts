import { describe, expect, it } from 'vitest';
import { createHangarClient, type HangarClient } from '../src/index.js';
import { fakeFetch, json, rejection, validToken } from './fake-fetch.js';

const machine = 'm_3f9a0c1d2e4b5a69';

/** Each helper with one path parameter replaced by `bad`, and the field it fills. */
const calls: [string, string, (hangar: HangarClient, bad: string) => Promise<unknown>][] = [
  ['machines.delete', 'path.machine', (h, bad) => h.machines.delete('victim-app', bad)],
  ['machines.get', 'path.machine', (h, bad) => h.machines.get('victim-app', bad)],
  ['machines.stop', 'path.app', (h, bad) => h.machines.stop(bad, machine)],
  ['apps.delete', 'path.app', (h, bad) => h.apps.delete(bad)],
  ['apps.list', 'path.org', (h, bad) => h.apps.list(bad)],
  ['orgs.get', 'path.org', (h, bad) => h.orgs.get(bad)],
  ['tokens.revoke', 'path.token_id', (h, bad) => h.tokens.revoke(bad)],
  ['tokens.createDeploy', 'path.app', (h, bad) => h.tokens.createDeploy(bad)],
];

describe('path parameters that would rewrite the URL', () => {
  for (const bad of ['..', '.', '']) {
    it.each(calls)(`%s refuses ${JSON.stringify(bad)} before any fetch`, async (_, field, call) => {
      const { fetch, calls: sent } = fakeFetch(() => json({}));
      const hangar = createHangarClient({
        baseUrl: 'http://hangar.test',
        token: validToken(),
        fetch,
      });
      const error = await rejection(call(hangar, bad));
      expect(sent).toHaveLength(0);
      expect(error).toMatchObject({ code: 'validation_failed', status: 0, local: true });
      expect(error.problem?.errors).toEqual([{ field, message: expect.stringContaining('not') }]);
      expect(error.detail).toContain('no request was sent');
    });
  }

  it('the raw client is guarded too', async () => {
    const { fetch, calls: sent } = fakeFetch(() => json({}));
    const hangar = createHangarClient({
      baseUrl: 'http://hangar.test',
      token: validToken(),
      fetch,
    });
    const error = await rejection(
      hangar.raw.DELETE('/v1/apps/{app}/machines/{machine}', {
        params: { path: { app: 'victim-app', machine: '..' } },
      }),
    );
    expect(error.code).toBe('validation_failed');
    expect(sent).toHaveLength(0);
  });

  it('sends names with dots inside, percent-encoding what needs it', async () => {
    const { fetch, calls: sent } = fakeFetch(() => new Response(null, { status: 204 }));
    const hangar = createHangarClient({
      baseUrl: 'http://hangar.test',
      token: validToken(),
      fetch,
    });
    await hangar.machines.delete('victim-app', '...');
    await hangar.apps.delete('a/..');
    expect(sent.map((r) => new URL(r.url).pathname)).toEqual([
      '/v1/apps/victim-app/machines/...',
      '/v1/apps/a%2F..',
    ]);
  });
});
