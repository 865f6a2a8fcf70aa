import { isIP } from 'node:net';
import type { RequestHandler } from 'express';
import { problem } from './problems.js';

/**
 * The host name of a `Host` header value or a `--allowed-host` entry, lower case, without the
 * port and without IPv6 brackets: `LocalHost:4280` -> `localhost`, `[::1]:4280` -> `::1`.
 */
export function hostName(value: string): string {
  const host = value.trim().toLowerCase();
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return host.slice(1, end === -1 ? undefined : end);
  }
  const colon = host.indexOf(':');
  // More than one colon: a bare IPv6 address (allowed-host entries, bound address), no port.
  if (colon === -1 || host.indexOf(':', colon + 1) !== -1) return host;
  return host.slice(0, colon);
}

/** `localhost`, any 127.0.0.0/8 address, `::1`: names that can only reach this machine. */
function isLoopback(name: string): boolean {
  if (name === 'localhost' || name === '::1') return true;
  return isIP(name) === 4 && name.startsWith('127.');
}

/** `[v6 address]` or a DNS name / IPv4 address, then an optional port. */
const HOST_ENTRY = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9](?:[a-z0-9.-]*[a-z0-9])?\.?))(?::\d{1,5})?$/i;

/**
 * Checks an `--allowed-host` value (`mock.internal`, `10.0.0.5`, `[fd00::1]`; a port is ignored)
 * and returns its host name in the form {@link hostName} compares.
 * @throws Error when the value is not a DNS name or an IP address (a URL, a path, empty).
 */
export function normalizeAllowedHost(value: string): string {
  const trimmed = value.trim();
  if (isIP(trimmed) === 6) return trimmed.toLowerCase();
  const match = HOST_ENTRY.exec(trimmed);
  const name = match?.[1] ?? match?.[2];
  if (name === undefined || (match?.[1] !== undefined && isIP(name) !== 6)) {
    throw new Error(
      `allowed host must be a host name or IP address like mock.internal, got "${value}"`,
    );
  }
  return name.toLowerCase();
}

/** 400 `bad_request` naming `header.Host`, for an HTTP/1.1 request without one. */
function missingHost() {
  const field = 'header.Host';
  const message = 'is required in HTTP/1.1 (RFC 9112 section 3.2): name the host you are calling';
  return problem('bad_request', `${field}: ${message}`, { errors: [{ field, message }] });
}

export interface HostCheckOptions {
  /** The interface the server is bound to (`127.0.0.1`, `0.0.0.0`, `mock.internal`). */
  boundHost: string;
  /** Further host names the server answers for (`--allowed-host`, `allowedHosts`). */
  allowedHosts?: readonly string[];
}

/**
 * Refuses a request whose `Host` header names a host this server does not answer for, with a
 * 421 `misdirected_request` problem (RFC 9110 section 15.5.20). Answered: loopback names
 * (`localhost`, `127.0.0.0/8`, `[::1]`), the bound address and `allowedHosts`, any port.
 * This defeats DNS rebinding: a web page on `evil.example` whose name is re-pointed at
 * 127.0.0.1 reaches the server same-origin (no CORS applies), but its requests carry
 * `Host: evil.example`. An HTTP/1.0 request without `Host` passes (browsers always send it);
 * an HTTP/1.1 one is 400 `bad_request` naming `header.Host` (RFC 9112 section 3.2 requires the
 * header), closing the connection as Node's own bare 400 did (server.ts turns that one off).
 * Runs first, for `/v1` and `/_admin` alike.
 */
export function hostCheck(options: HostCheckOptions): RequestHandler {
  const allowed = new Set([
    hostName(options.boundHost),
    ...(options.allowedHosts ?? []).map(normalizeAllowedHost),
  ]);
  return (req, res, next) => {
    const header = req.headers.host;
    if (header === undefined) {
      if (req.httpVersionMajor === 1 && req.httpVersionMinor === 0) return next();
      res.set('Connection', 'close');
      return next(missingHost());
    }
    const name = hostName(header);
    if (isLoopback(name) || allowed.has(name)) return next();
    next(
      problem(
        'misdirected_request',
        `This server does not answer for host "${name}"; start hangar-mock with --allowed-host ${name} to allow it`,
      ),
    );
  };
}
