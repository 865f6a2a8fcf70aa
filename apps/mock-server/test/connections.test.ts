import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { startServer, withServer } from './helpers.js';

/** A raw TCP connection to `server`, resolved once connected. */
function open(server: MockServer): Promise<Socket> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * Resolves with what the server wrote once it closes `socket`, or rejects after `withinMs`
 * (an upper bound for a loaded machine, not a wait: the close event ends it).
 */
function closedByServer(socket: Socket, withinMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      data += chunk;
    });
    socket.on('error', () => undefined);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${withinMs} ms`));
    }, withinMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(data);
    });
  });
}

const GET_VIEWER = 'GET /v1/viewer HTTP/1.1\r\nHost: localhost\r\n\r\n';

describe('connection limits', () => {
  it('a connection that sends no headers is closed after headersTimeoutMs with 408', async () => {
    await withServer({ headersTimeoutMs: 300, requestTimeoutMs: 1_000 }, async (server) => {
      const socket = await open(server);
      const started = Date.now();
      const data = await closedByServer(socket, 8_000);
      expect(data).toMatch(/^HTTP\/1\.1 408/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    });
  });

  it('an idle keep-alive connection is closed after keepAliveTimeoutMs, and says so', async () => {
    await withServer({ keepAliveTimeoutMs: 1_000 }, async (server) => {
      const socket = await open(server);
      // Under Node's default (5 s) this bound fails; the close event ends the wait.
      const closed = closedByServer(socket, 4_500);
      const started = Date.now();
      socket.write(GET_VIEWER);
      const data = await closed;
      // One answer (401: no token) announcing the timeout, then the server closed the connection.
      expect(data).toMatch(/^HTTP\/1\.1 401/);
      expect(data.toLowerCase()).toContain('keep-alive: timeout=1\r\n');
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    });
  });

  it('maxConnections: a connection over the cap is closed at once; others keep working', async () => {
    await withServer({ maxConnections: 2 }, async (server) => {
      const held = [await open(server), await open(server)];
      // Both are accepted: each gets an answer on its connection.
      for (const socket of held) {
        const answered = new Promise<string>((resolve) =>
          socket.once('data', (c) => resolve(String(c))),
        );
        socket.write(GET_VIEWER);
        expect(await answered).toMatch(/^HTTP\/1\.1 401/);
      }
      const extra = await open(server);
      const data = await closedByServer(extra, 8_000);
      expect(data).toBe('');
      for (const socket of held) socket.destroy();
    });
  });

  it('refuses limits that are not whole numbers or headers longer than the request', async () => {
    await expect(startServer({ maxConnections: 0 })).rejects.toThrow(/maxConnections/);
    await expect(startServer({ keepAliveTimeoutMs: 1.5 })).rejects.toThrow(/keepAliveTimeoutMs/);
    await expect(startServer({ keepAliveTimeoutMs: 3e9 })).rejects.toThrow(
      /keepAliveTimeoutMs must be a whole number from 0 to 86400000/,
    );
    await expect(startServer({ headersTimeoutMs: 2_000, requestTimeoutMs: 1_000 })).rejects.toThrow(
      /headersTimeoutMs/,
    );
  });
});
