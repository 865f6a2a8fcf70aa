import { spawn } from 'node:child_process';
import { setTimeout as wait } from 'node:timers/promises';
import { createHangarClient } from '@hangar/sdk';
import { describe, expect, it } from 'vitest';
import { admin, BIN, useMockServer } from './helpers.js';

interface Fault {
  id: string;
  fired: number;
}

describe('Ctrl-C (SIGINT) or SIGTERM while a request is in flight', () => {
  const mock = useMockServer();

  /**
   * Runs `hangar ...args` as a process while the server holds `listOrgs` for 30 s (a fault's
   * latency), sends SIGINT once the request has reached the server (the rule has fired), and
   * resolves with how the process ended.
   */
  async function interrupted(args: string[], signal: NodeJS.Signals = 'SIGINT') {
    const fault = (await admin(mock.server.url, mock.server.adminKey, 'faults', {
      operation_id: 'listOrgs',
      latency_ms: 30_000,
      times: 1,
    })) as Fault;
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', ...mock.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    // The event to wait on is the server's: the rule has fired, so the request is in flight.
    for (;;) {
      const { items } = (await fetch(`${mock.server.url}/_admin/faults`, {
        headers: { 'X-Hangar-Admin-Key': mock.server.adminKey },
      }).then((r) => r.json())) as { items: Fault[] };
      if (items.find((f) => f.id === fault.id)?.fired) break;
      if (child.exitCode !== null) throw new Error(`exited first: ${stdout} ${stderr}`);
      await wait(20);
    }
    child.kill(signal);
    return { ...(await ended), stdout, stderr };
  }

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '--json: %s prints the JSON error envelope (interrupted) on stdout and exits %i',
    async (signal, code) => {
      const result = await interrupted(['orgs', 'list', '--json'], signal);
      expect(result).toMatchObject({ code, signal: null, stderr: '' });
      expect(JSON.parse(result.stdout)).toEqual({
        error: {
          code: 'interrupted',
          status: null,
          message: `Interrupted (${signal}).`,
          hint: expect.stringContaining('may still have been carried out'),
          request_id: null,
        },
      });
    },
  );

  it('the EXIT CODES of every command name what a signal ends a run with', async () => {
    const { EXIT_CODES } = await import('../src/help.js');
    expect(EXIT_CODES).toMatch(/^130 +Interrupted by Ctrl-C \(SIGINT\)/m);
    expect(EXIT_CODES).toMatch(/^143 +Terminated by SIGTERM/m);
  });

  it('events list --follow --json still stops cleanly on SIGINT (exit 0, JSON Lines only)', async () => {
    const sdk = createHangarClient({ baseUrl: mock.server.url, token: mock.server.devToken });
    await sdk.apps.create('acme', 'follow-json');
    const child = spawn(
      process.execPath,
      [BIN, 'events', 'list', '-o', 'acme', '-a', 'follow-json', '-f', '-j', '--interval', '100ms'],
      { env: { PATH: process.env.PATH ?? '', ...mock.env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    const ended = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    /** Resolves once a line of `type` is on stdout (the listener above has appended it). */
    const printed = (type: string) =>
      new Promise<void>((resolve, reject) => {
        const off = () => {
          child.stdout.off('data', check);
          child.off('close', onClose);
        };
        const check = () => {
          if (!stdout.includes(`"${type}"`)) return;
          off();
          resolve();
        };
        const onClose = () => {
          off();
          reject(new Error(`exited first: ${stdout}`));
        };
        child.stdout.on('data', check);
        child.on('close', onClose);
        check();
      });
    await printed('app.created');
    // An event seen by a later poll: the command is following, its own SIGINT handler installed.
    await admin(mock.server.url, mock.server.adminKey, 'clock', { advance_seconds: 60 });
    await sdk.machines.create('follow-json', { image: 'img:v1' });
    await printed('machine.created');
    child.kill('SIGINT');
    expect(await ended).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines.map((line) => JSON.parse(line).type)).toEqual(['app.created', 'machine.created']);
  });

  it('without --json: ended by the signal as before, nothing printed', async () => {
    const result = await interrupted(['orgs', 'list']);
    expect(result).toMatchObject({ code: null, signal: 'SIGINT', stdout: '', stderr: '' });
    const terminated = await interrupted(['orgs', 'list'], 'SIGTERM');
    expect(terminated).toMatchObject({ code: null, signal: 'SIGTERM', stdout: '', stderr: '' });
  });
});
