import { spawn } from 'node:child_process';
import { createHangarClient } from '@hangar/sdk';
import { describe, expect, it } from 'vitest';
import { admin, BIN, hangar, useMockServer } from '../../helpers.js';

describe('events list', () => {
  const mock = useMockServer();

  it('lists newest first, filtered by app, type and since', async () => {
    const sdk = createHangarClient({ baseUrl: mock.server.url, token: mock.server.devToken });
    await sdk.apps.create('acme', 'events-one');
    const machine = await sdk.machines.create('events-one', { image: 'img:v1' });
    await sdk.machines.stop('events-one', machine.id);
    const all = await hangar(['events', 'list', '-o', 'acme', '-a', 'events-one', '--json'], {
      env: mock.env,
    });
    expect(all.code).toBe(0);
    const events = JSON.parse(all.stdout) as { type: string }[];
    expect(events.map((e) => e.type)).toEqual([
      'machine.stopped',
      'machine.created',
      'app.created',
    ]);
    const typed = await hangar(
      ['events', 'list', '-o', 'acme', '--type', 'app.created', '--since', '1h'],
      { env: mock.env },
    );
    expect(typed.code).toBe(0);
    expect(typed.stdout).toMatch(/^TIME\s+TYPE\s+APP\s+TARGET/);
    expect(typed.stdout).toContain('app.created');
    expect(typed.stdout).not.toContain('machine.');
    const bad = await hangar(['events', 'list', '-o', 'acme', '--since', 'yesterday'], {
      env: mock.env,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Invalid --since "yesterday": pass a duration such as 24h');
  });

  it('at 80 columns a token event keeps the whole token id; the name is cut instead', async () => {
    const sdk = createHangarClient({ baseUrl: mock.server.url, token: mock.server.devToken });
    const name = 'deploy token of the acme-web release pipeline, production';
    const created = await sdk.tokens.createDeploy('acme-web', { name });
    const listed = await hangar(['events', 'list', '-a', 'acme-web', '--type', 'token.created'], {
      env: { ...mock.env, COLUMNS: '80' },
    });
    expect(listed.code).toBe(0);
    const lines = listed.stdout.split('\n').filter(Boolean);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(lines.find((line) => line.includes(created.id))).toBeDefined();
    expect(listed.stdout).not.toContain(name);
  });

  it("--since DURATION counts back from the server clock, not this machine's", async () => {
    const sdk = createHangarClient({ baseUrl: mock.server.url, token: mock.server.devToken });
    await sdk.apps.create('acme', 'since-before');
    await admin(mock.server.url, mock.server.adminKey, 'clock', { advance_seconds: 2 * 86_400 });
    await sdk.apps.create('acme', 'since-after');
    const listed = await hangar(
      ['events', 'list', '-o', 'acme', '--type', 'app.created', '--since', '1h', '--json'],
      { env: mock.env },
    );
    expect(listed.code).toBe(0);
    const names = (JSON.parse(listed.stdout) as { target: { name: string } }[]).map(
      (e) => e.target.name,
    );
    expect(names).toContain('since-after');
    expect(names).not.toContain('since-before');
  });

  it('--follow prints events as they happen and stops cleanly on SIGINT', async () => {
    const sdk = createHangarClient({ baseUrl: mock.server.url, token: mock.server.devToken });
    await sdk.apps.create('acme', 'follow-me');
    // The server clock moves on: events made during the run are timed after those listed first.
    await admin(mock.server.url, mock.server.adminKey, 'clock', { advance_seconds: 60 });
    const env = { ...process.env, ...mock.env };
    const child = spawn(
      process.execPath,
      [BIN, 'events', 'list', '-o', 'acme', '-a', 'follow-me', '--follow', '--interval', '100ms'],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const waitFor = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (stdout.includes(text)) {
            child.stdout.off('data', onData);
            child.off('exit', onExit);
            resolve();
          }
        };
        const onData = (d: string) => {
          stdout += d;
          check();
        };
        const onExit = () => reject(new Error(`exited first; stdout: ${stdout} stderr: ${stderr}`));
        child.stdout.setEncoding('utf8').on('data', onData);
        child.once('exit', onExit);
        check();
      });
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    try {
      await waitFor('app.created');
      const machine = await sdk.machines.create('follow-me', { image: 'img:v1' });
      await waitFor(`machine.created  follow-me  machine ${machine.id}`);
      await sdk.machines.stop('follow-me', machine.id);
      await waitFor('machine.stopped');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.trim().split('\n');
    expect(lines.map((line) => line.split('  ')[1])).toEqual([
      'app.created',
      'machine.created',
      'machine.stopped',
    ]);
  });

  it('--follow --json ending on an error prints the error as one JSON line', async () => {
    const sdk = createHangarClient({ baseUrl: mock.server.url, token: mock.server.devToken });
    await sdk.apps.create('acme', 'follow-fails');
    const env = { ...process.env, ...mock.env };
    const child = spawn(
      process.execPath,
      [
        BIN,
        'events',
        'list',
        '-o',
        'acme',
        '-a',
        'follow-fails',
        '-f',
        '-j',
        '--interval',
        '100ms',
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    const firstLine = new Promise<void>((resolve) => {
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        if (stdout.includes('\n')) resolve();
      });
    });
    child.stderr.resume();
    try {
      await Promise.race([firstLine, exited]);
      // The next poll fails (not a status the SDK retries), which ends the follow.
      await admin(mock.server.url, mock.server.adminKey, 'faults', {
        operation_id: 'listAppEvents',
        status: 500,
        times: 1,
      });
      expect(await exited).toBe(1);
    } finally {
      child.kill('SIGINT');
    }
    const lines = stdout.trim().split('\n');
    const objects = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(objects[0]).toMatchObject({ type: 'app.created' });
    expect(objects.at(-1)).toMatchObject({ error: { status: 500 } });
  }, 60_000);

  it('-a needs no -o (the app names its org); a typed -o of another org is refused', async () => {
    const sdk = createHangarClient({ baseUrl: mock.server.url, token: mock.server.devToken });
    await sdk.apps.create('acme', 'events-app-only');
    const env = { ...mock.env, HANGAR_ORG: undefined };
    const appOnly = await hangar(['events', 'list', '-a', 'events-app-only', '-j'], { env });
    expect(appOnly.code).toBe(0);
    expect((JSON.parse(appOnly.stdout) as { type: string }[]).map((e) => e.type)).toEqual([
      'app.created',
    ]);
    const other = await hangar(['events', 'list', '-o', 'other-org', '-a', 'events-app-only'], {
      env,
    });
    expect(other.code).toBe(2);
    expect(other.stdout).toBe('');
    expect(other.stderr).toContain(
      'App "events-app-only" is in organization "acme", not "other-org"',
    );
    const none = await hangar(['events', 'list'], { env });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('No organization given: pass --org ORG or --app APP');
    expect(none.stderr).not.toContain('ORG argument');
  });

  it('--interval above 24h is refused (exit 2) before polling: Node would poll every 1 ms', async () => {
    for (const interval of ['30d', '24h1s', '2147483648ms']) {
      const result = await hangar(
        ['events', 'list', '-o', 'acme', '--follow', '--interval', interval],
        { env: mock.env },
      );
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        `Error: Invalid --interval "${interval}": pass a duration from 100ms to 24h, such as 2s.\n`,
      );
    }
  }, 30_000);
});

describe('events list refused by the API (400)', () => {
  const mock = useMockServer();

  it('a --token-id that is no token id names --token-id and its form', async () => {
    const result = await hangar(['events', 'list', '-o', 'acme', '--token-id', 'foo'], {
      env: mock.env,
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(
      /\(400 validation_failed, request req_\w+\)\. Hint: pass --token-id a token id: tok_ and 32 hex digits/,
    );
  });
});

/** Creates `count` machines in `app` (one `machine.created` event each), ten requests at a time. */
async function createMachines(
  sdk: ReturnType<typeof createHangarClient>,
  app: string,
  count: number,
) {
  for (let done = 0; done < count; done += 10) {
    const batch = Math.min(10, count - done);
    await Promise.all(
      Array.from({ length: batch }, () => sdk.machines.create(app, { image: 'img:v1' })),
    );
  }
}

/** Every event id of `app`, newest first, straight from the API. */
async function appEventIds(sdk: ReturnType<typeof createHangarClient>, app: string) {
  const ids: string[] = [];
  for await (const event of sdk.events.iterateApp(app, { limit: 100 })) ids.push(event.id);
  return ids;
}

// Own servers: each test makes a few hundred requests with one token (rate limit 1000 a minute).
describe('events list pages past 100 events', () => {
  const mock = useMockServer();

  it('--limit 250 shows 250 distinct events, newest first, across pages', async () => {
    const sdk = createHangarClient({ baseUrl: mock.server.url, token: mock.server.devToken });
    await sdk.apps.create('acme', 'events-many');
    await createMachines(sdk, 'events-many', 260);
    const expected = (await appEventIds(sdk, 'events-many')).slice(0, 250);
    const listed = await hangar(['events', 'list', '-a', 'events-many', '--limit', '250', '-j'], {
      env: mock.env,
    });
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    const ids = (JSON.parse(listed.stdout) as { id: string }[]).map((e) => e.id);
    expect(new Set(ids).size).toBe(250);
    expect(ids).toEqual(expected);
    const table = await hangar(['events', 'list', '-a', 'events-many'], { env: mock.env });
    expect(table.code).toBe(0);
    // The default stays the newest 20 (a header line, then one line per event), and says so.
    expect(table.stdout.trim().split('\n')).toHaveLength(21);
    expect(table.stderr).toBe(
      'Showing the newest 20 events; older ones match too: pass --limit N (the server keeps the newest 1000), or narrow with --since or --type.\n',
    );
    // All of them: nothing left out, nothing to say.
    const all = await hangar(['events', 'list', '-a', 'events-many', '--limit', '1000'], {
      env: mock.env,
    });
    const everything = await appEventIds(sdk, 'events-many');
    expect(all.stdout.trim().split('\n')).toHaveLength(everything.length + 1);
    expect(all.stderr).toBe('');
  }, 120_000);
});

describe('events list --follow with more than 100 events between two polls', () => {
  const mock = useMockServer();

  it('prints every new event exactly once, oldest first', async () => {
    const sdk = createHangarClient({ baseUrl: mock.server.url, token: mock.server.devToken });
    await sdk.apps.create('acme', 'follow-many');
    const env = { ...process.env, ...mock.env };
    const child = spawn(
      process.execPath,
      [BIN, 'events', 'list', '-a', 'follow-many', '-f', '-j', '--interval', '100ms'],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const waiters: (() => void)[] = [];
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      for (const check of waiters) check();
    });
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    const waitFor = (text: string) =>
      Promise.race([
        new Promise<void>((resolve) => {
          const check = () => {
            if (stdout.includes(text)) resolve();
          };
          waiters.push(check);
          check();
        }),
        exited.then(() => {
          throw new Error(`exited first; stdout: ${stdout} stderr: ${stderr}`);
        }),
      ]);
    let stopped = false;
    try {
      await waitFor('"app.created"');
      // Stopped, the CLI cannot poll: all 300 events land between two of its polls.
      stopped = child.kill('SIGSTOP');
      await createMachines(sdk, 'follow-many', 300);
      child.kill('SIGCONT');
      stopped = false;
      const newest = (await appEventIds(sdk, 'follow-many'))[0] as string;
      await waitFor(newest);
    } finally {
      if (stopped) child.kill('SIGCONT');
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
    const printed = stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { id: string }).id);
    const all = await appEventIds(sdk, 'follow-many');
    expect(all).toHaveLength(301);
    expect(printed).toEqual([...all].reverse());
  }, 120_000);
});
