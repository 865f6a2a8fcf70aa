// The fetch the CLI hands the SDK (its documented `fetch` option). Node 20's global fetch is
// undici, which compiles its HTTP parser from WebAssembly on the first request: about 1.5x the
// start-up of `node -e 0` on its own, more than a whole command may take (issue 14's 2.0x
// budget, see docs/benchmarks.md). node:http is already part of Node's start-up snapshot.
import type { IncomingMessage } from 'node:http';

/** Redirects followed before giving up, as fetch does (WHATWG Fetch, "HTTP-redirect fetch"). */
const MAX_REDIRECTS = 20;

/** Request headers removed when a redirect leads to another origin. */
const CROSS_ORIGIN_DROPPED = ['authorization', 'proxy-authorization', 'cookie'];

/**
 * A `fetch(request)` over node:http / node:https, for one-shot CLI requests. Sends the
 * Request's method, headers and body; resolves to a standard Response with the status, headers
 * and the whole body (API answers are small JSON). Follows redirects as fetch's `redirect:
 * 'follow'` does: 301/302 turn a POST into a GET, 303 turns anything but HEAD into a GET,
 * 307/308 resend as is; a redirect to another origin drops `Authorization` (the token), as fetch
 * does. Honours `request.signal`.
 *
 * @throws TypeError('fetch failed', { cause }) when the request cannot be sent or the
 *   connection fails (ECONNREFUSED, DNS, reset), as Node's fetch does, so the SDK's
 *   network_error names the same reason; the signal's reason when aborted
 */
export async function httpFetch(request: Request): Promise<Response> {
  let method = request.method;
  let url = new URL(request.url);
  let body: Buffer | undefined =
    request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
  const headers = new Headers(request.headers);
  for (let redirects = 0; ; redirects++) {
    const answer = await send(method, url, headers, body, request.signal);
    const location = answer.headers.location;
    const status = answer.statusCode ?? 0;
    if (![301, 302, 303, 307, 308].includes(status) || !location || request.redirect !== 'follow') {
      return toResponse(answer, method);
    }
    answer.resume();
    if (redirects >= MAX_REDIRECTS)
      throw new TypeError('fetch failed', { cause: 'redirect count exceeded' });
    const next = new URL(location, url);
    // Credentials never follow a redirect to another origin (scheme, host or port), as fetch
    // does (WHATWG Fetch, "HTTP-redirect fetch"; undici also drops Cookie and
    // Proxy-Authorization): a Location from a misconfigured proxy or a hostile server would
    // otherwise receive the token.
    if (next.origin !== url.origin) {
      for (const name of CROSS_ORIGIN_DROPPED) headers.delete(name);
    }
    url = next;
    if (
      (status === 303 && method !== 'HEAD') ||
      ((status === 301 || status === 302) && method === 'POST')
    ) {
      method = 'GET';
      body = undefined;
      headers.delete('content-type');
      headers.delete('content-length');
    }
  }
}

async function send(
  method: string,
  url: URL,
  headers: Headers,
  body: Buffer | undefined,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  const { request } =
    url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const outgoing: Record<string, string> = Object.fromEntries(headers);
  if (body) outgoing['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: outgoing, signal }, resolve);
    req.once('error', (error) => {
      reject(signal.aborted ? signal.reason : new TypeError('fetch failed', { cause: error }));
    });
    req.end(body);
  });
}

/** Reads the whole answer into a Response (no body for HEAD, 204, 205 and 304, as fetch). */
async function toResponse(answer: IncomingMessage, method: string): Promise<Response> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of answer) chunks.push(chunk as Buffer);
  } catch (error) {
    throw new TypeError('fetch failed', { cause: error });
  }
  const headers = new Headers();
  for (let i = 0; i + 1 < answer.rawHeaders.length; i += 2) {
    headers.append(answer.rawHeaders[i] as string, answer.rawHeaders[i + 1] as string);
  }
  const status = answer.statusCode ?? 0;
  const empty = method === 'HEAD' || [204, 205, 304].includes(status);
  return new Response(empty ? null : Buffer.concat(chunks), {
    status,
    statusText: answer.statusMessage ?? '',
    headers,
  });
}
