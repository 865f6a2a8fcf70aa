import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createHangarClient, HangarApiError, type HangarClient } from '@hangar/sdk';
import { afterEach, beforeEach, expect } from 'vitest';
import { type MockServer, type MockServerOptions, startMockServer } from '../src/index.js';

/** An in-process server with responses validated against the contract. */
export function startServer(options: MockServerOptions = {}): Promise<MockServer> {
  return startMockServer({
    port: 0,
    memory: options.dataDir === undefined,
    validateResponses: true,
    ...options,
  });
}

/**
 * Starts a server with `options` (as {@link startServer}), runs `use` with it and closes it,
 * whether `use` resolves or throws; resolves with what `use` resolves with.
 */
export async function withServer<T>(
  options: MockServerOptions,
  use: (server: MockServer) => Promise<T>,
): Promise<T> {
  const server = await startServer(options);
  try {
    return await use(server);
  } finally {
    await server.close();
  }
}

/**
 * A fresh directory under the OS temp dir for each test (`<prefix>XXXXXX`), removed after it.
 * Call at the top of a file or describe block; read `.path` inside a test.
 */
export function useTempDir(prefix: string): { readonly path: string } {
  let path = '';
  beforeEach(() => {
    path = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(() => rmSync(path, { recursive: true, force: true }));
  return {
    get path() {
      return path;
    },
  };
}

/** An SDK client for `server` with `token` (the dev token by default; null: no token). */
export function client(
  server: { url: string; devToken?: string },
  token: string | null | undefined = server.devToken,
): HangarClient {
  return createHangarClient({ baseUrl: server.url, token: token ?? undefined });
}

/** Awaits `promise`, expects a HangarApiError with `status` and `code`, and returns it. */
export async function expectProblem(
  promise: Promise<unknown>,
  status: number,
  code: string,
): Promise<HangarApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${status} ${code}`).toBeInstanceOf(HangarApiError);
  const apiError = error as HangarApiError;
  expect({ status: apiError.status, code: apiError.code }).toEqual({ status, code });
  return apiError;
}

/** A raw HTTP call (for what the SDK will not send: malformed tokens, bad bodies). */
export async function http(
  server: MockServer,
  method: string,
  path: string,
  init: { token?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; type: string | null; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

/**
 * One JSON call as a client makes it: `token` (default the dev token; null for none), an
 * optional `Idempotency-Key` and a JSON body. The status, the headers and the parsed body back.
 */
export async function call(
  server: MockServer,
  method: string,
  path: string,
  init: { token?: string | null; key?: string; body?: unknown } = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const headers: Record<string, string> = {};
  const token = init.token === undefined ? server.devToken : init.token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (init.key !== undefined) headers['idempotency-key'] = init.key;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
  };
}

/** Calls a `/_admin` control with the server's admin key. */
export async function admin(
  server: MockServer,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.url}/_admin${path}`, {
    method,
    headers: { 'x-hangar-admin-key': server.adminKey, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

/**
 * The form body of `POST /v1/oidc/token` (RFC 8693 token exchange) trading the OIDC `idToken`
 * for a token of `org`, and of `app` when given (application/x-www-form-urlencoded).
 */
export function exchangeForm(idToken: string, org: string, app?: string): string {
  return new URLSearchParams({
    grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
    subject_token: idToken,
    subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
    org,
    ...(app === undefined ? {} : { app }),
  }).toString();
}

/**
 * Writes `request` (raw bytes of HTTP, or not) on a TCP socket to `server` and resolves with
 * everything read until the server closes: the status, the head lower-cased, and the body.
 */
export function rawExchange(
  server: MockServer,
  request: string,
): Promise<{ status: number; headers: string; body: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      data += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body });
    });
  });
}

/**
 * A log destination for `startServer({ logLevel, logDestination })` that keeps each line written
 * to it, in order, in `lines` (pino writes one JSON object a line).
 */
export function logCapture(): { logDestination: Writable; lines: string[] } {
  const lines: string[] = [];
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logDestination, lines };
}
