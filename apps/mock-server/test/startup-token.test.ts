import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attenuate } from '@hangar/tokens';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { admin, client, expectProblem, startServer, withServer } from './helpers.js';

let dataDir: string;
beforeEach(() => {
  dataDir = join(mkdtempSync(join(tmpdir(), 'hangar-mock-startup-')), 'data');
});
afterEach(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }));

describe('the start-up token on a data directory', () => {
  it('is the same token on every start, not a new 30-year token each time', async () => {
    const first = await startServer({ dataDir });
    const firstId = (await client(first).viewer.get()).token.id;
    await first.close();
    const second = await startServer({ dataDir });
    expect(second.devToken).toBe(first.devToken);
    expect((await client(second).viewer.get()).token.id).toBe(firstId);
    await second.close();
  });

  it('once revoked, the next start issues a new working one', async () => {
    const first = await startServer({ dataDir });
    await client(first).tokens.revokeCurrent();
    await first.close();

    const second = await startServer({ dataDir });
    expect(second.devToken).not.toBe(first.devToken);
    const viewer = await client(second).viewer.get();
    expect(viewer.token).toMatchObject({ kind: 'personal', status: 'active' });
    await expectProblem(client(second, first.devToken).viewer.get(), 401, 'token_revoked');
    await second.close();

    const third = await startServer({ dataDir });
    expect(third.devToken).toBe(second.devToken);
    await third.close();
  });

  it('once rotated, the next start issues a new token, not the rotated-away one (issue 15)', async () => {
    const first = await startServer({ dataDir });
    const rotated = await client(first).tokens.rotateCurrent();
    await first.close();

    const second = await startServer({ dataDir });
    expect(second.devToken).not.toBe(first.devToken);
    const viewer = await client(second).viewer.get();
    expect(viewer.token).toMatchObject({ kind: 'personal', status: 'active' });
    await expectProblem(client(second, first.devToken).viewer.get(), 401, 'token_rotated');
    expect((await client(second, rotated.token).viewer.get()).token.id).toBe(rotated.id);
    await second.close();
  });

  it('survives /_admin/reset and a restart after it', async () => {
    const first = await startServer({ dataDir });
    await fetch(`${first.url}/_admin/reset`, {
      method: 'POST',
      headers: { 'x-hangar-admin-key': first.adminKey },
    });
    await first.close();
    const second = await startServer({ dataDir });
    expect(second.devToken).toBe(first.devToken);
    await client(second).viewer.get();
    await second.close();
  });

  it('once revoked, stays revoked through /_admin/reset, with the tokens attenuated from it', async () => {
    await withServer({ dataDir }, async (server) => {
      const narrowed = attenuate(server.devToken, [{ type: 'actions', actions: ['read'] }]);
      await client(server, narrowed).viewer.get();
      await client(server).tokens.revokeCurrent();
      await admin(server, 'POST', '/reset');
      await expectProblem(client(server).viewer.get(), 401, 'token_revoked');
      await expectProblem(client(server, narrowed).viewer.get(), 401, 'token_revoked');
    });
  });
});
