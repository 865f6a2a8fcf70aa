import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { admin, call, exchangeForm, startServer } from './helpers.js';
import { type IssuerKey, TestIssuer } from './oidc-issuer.js';

const AUDIENCE = 'https://hangar.test';
const KEY = 'exchange-after-drop';

/**
 * A client whose connection drops while its request still runs retries with the same
 * Idempotency-Key. The retry must wait for the first (409 `idempotency_key_in_use`), then get
 * its answer replayed: running the operation a second time mints a second credential for one key.
 * The exchange is held open deterministically: the issuer answers the server's discovery fetch
 * only when the test releases it.
 */
describe('Idempotency-Key after a dropped connection', () => {
  let server: MockServer;
  let issuer: TestIssuer;
  let key: IssuerKey;
  /** Resolves when the server logs that a client went away before its answer was finished. */
  let aborted: Promise<void>;

  beforeAll(async () => {
    let heard: () => void = () => {};
    aborted = new Promise((resolve) => {
      heard = resolve;
    });
    const logDestination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        if (chunk.toString('utf8').includes('"request aborted"')) heard();
        done();
      },
    });
    server = await startServer({ logLevel: 'info', logDestination });
    issuer = await TestIssuer.start();
    key = await issuer.addKey('k1');
    const policy = await call(server, 'POST', '/v1/orgs/acme/trust-policies', {
      body: {
        name: 'ci',
        issuer: issuer.url,
        audience: AUDIENCE,
        conditions: { sub: 'repo:acme/web:*' },
        grant: { kind: 'deploy', app: 'acme-web' },
      },
    });
    expect(policy.status).toBe(201);
  });
  afterAll(async () => {
    await server.close();
    await issuer.close();
  });

  async function form(): Promise<string> {
    const now = Math.floor(Date.parse(String((await admin(server, 'GET', '/clock')).now)) / 1000);
    const idToken = await issuer.sign(key, {
      sub: 'repo:acme/web:ref:refs/heads/main',
      aud: AUDIENCE,
      iat: now,
      exp: now + 300,
      jti: randomUUID(), // an ID token is exchanged once (docs/architecture.md)
    });
    return exchangeForm(idToken, 'acme', 'acme-web');
  }

  function exchange(body: string) {
    return fetch(`${server.url}/v1/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': KEY },
      body,
    });
  }

  it('a retry while the dropped request still runs is 409, then replays its one token', async () => {
    const body = await form();
    let release: () => void = () => {};
    issuer.gate = new Promise((resolve) => {
      release = resolve;
    });
    const fetching = new Promise<void>((resolve) => {
      issuer.onRequest = () => resolve();
    });
    // The first attempt: sent whole, then its connection drops while the server awaits the issuer.
    const first = request(`${server.url}/v1/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': KEY },
    });
    first.on('error', () => {});
    first.end(body);
    await fetching;
    first.destroy();
    await aborted;

    // While the first is held, the retry must answer at once. The bound only ends the wait
    // when it runs instead (it then awaits the held issuer too), so the test fails, not hangs.
    const retry = exchange(body);
    const early = await Promise.race([retry, delay(5_000, undefined)]);
    release();
    const answer = early ?? (await retry);
    const problem = (await answer.json()) as { code?: string };
    expect({ status: answer.status, code: problem.code }).toEqual({
      status: 409,
      code: 'idempotency_key_in_use',
    });

    // Once the first has finished, the retry gets its answer; one token was minted in all.
    const replay = await waitForReplay(body);
    expect(replay.status).toBe(200);
    const events = await call(server, 'GET', '/v1/orgs/acme/events?type=token.exchanged');
    expect(events.body.items).toHaveLength(1);
  });

  /** Retries with the key until it is no longer in use (the first's answer is being stored). */
  async function waitForReplay(body: string): Promise<Response> {
    for (;;) {
      const response = await exchange(body);
      if (response.status !== 409) {
        expect(response.headers.get('idempotent-replayed')).toBe('true');
        return response;
      }
      await response.body?.cancel();
    }
  }
});
