import type { Server } from 'node:http';
import type { Logger } from 'pino';

/**
 * How long a client may take and how many connections it may hold, in milliseconds. The defaults
 * suit a local emulator: a slow or silent client (slowloris) is cut after 10 s of headers or 30 s
 * of request; an idle keep-alive connection closes after 5 s (Node's default); at most 512
 * connections are open at once (load tools use tens).
 */
export interface ConnectionLimits {
  /** Time to receive the request line and headers (Node `server.headersTimeout`); 0: no limit. */
  headersTimeoutMs?: number;
  /** Time to receive the whole request (Node `server.requestTimeout`); 0: no limit. */
  requestTimeoutMs?: number;
  /** Idle time before a keep-alive connection is closed (Node `server.keepAliveTimeout`). */
  keepAliveTimeoutMs?: number;
  /** Open connections at most; a further one is closed at once (Node `server.maxConnections`). */
  maxConnections?: number;
}

/**
 * The longest of the three timeouts, in ms: 24 hours. Node's timers take at most 2^31 - 1 ms
 * (about 24.8 days) and Node adds a second to the keep-alive timeout; beyond that a timer fires
 * after 1 ms, which would close every keep-alive connection at once.
 */
export const MAX_TIMEOUT_MS = 86_400_000;

export const DEFAULT_CONNECTION_LIMITS: Required<ConnectionLimits> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 512,
};

/**
 * `limits` with defaults filled in, checked.
 * @throws Error naming the option when a value is not a whole number in range (timeouts 0 to
 *   {@link MAX_TIMEOUT_MS}, `maxConnections` >= 1), or when `headersTimeoutMs` exceeds
 *   `requestTimeoutMs` (both set).
 */
export function connectionLimits(limits: ConnectionLimits = {}): Required<ConnectionLimits> {
  const resolved = { ...DEFAULT_CONNECTION_LIMITS };
  for (const name of Object.keys(DEFAULT_CONNECTION_LIMITS) as (keyof ConnectionLimits)[]) {
    const value: unknown = limits[name];
    if (value === undefined) continue;
    if (name === 'maxConnections') {
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
        throw new Error(`${name} must be a whole number of at least 1, got ${String(value)}`);
      }
    } else if (
      typeof value !== 'number' ||
      !Number.isSafeInteger(value) ||
      value < 0 ||
      value > MAX_TIMEOUT_MS
    ) {
      throw new Error(
        `${name} must be a whole number from 0 to ${MAX_TIMEOUT_MS} (24 hours), got ${String(value)}`,
      );
    }
    resolved[name] = value;
  }
  const { headersTimeoutMs: headers, requestTimeoutMs: request } = resolved;
  if (request > 0 && headers > 0 && headers > request) {
    throw new Error(`headersTimeoutMs (${headers}) must not exceed requestTimeoutMs (${request})`);
  }
  return resolved;
}

/**
 * Options for `http.createServer`: the two request timeouts and how often Node checks them
 * (`connectionsCheckingInterval`, 30 s by default, would let a 10 s limit run to 40 s; a quarter
 * of the shorter limit, at most 1 s, keeps the overrun small).
 */
export function serverTimeouts(limits: Required<ConnectionLimits>) {
  const positive = [limits.headersTimeoutMs, limits.requestTimeoutMs].filter((ms) => ms > 0);
  const interval = Math.max(10, Math.min(1_000, Math.floor(Math.min(...positive, 4_000) / 4)));
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: interval,
  };
}

/** Sets the keep-alive timeout and the connection cap on `server`, logging refused connections. */
export function applyConnectionLimits(
  server: Server,
  limits: Required<ConnectionLimits>,
  logger: Logger,
): void {
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
  server.on('drop', () => {
    logger.warn(
      { max_connections: limits.maxConnections },
      'refused a connection: the connection limit is reached',
    );
  });
}
