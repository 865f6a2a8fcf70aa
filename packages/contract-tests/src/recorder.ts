/**
 * A fetch wrapper that records every request and response and checks each response against
 * the contract as it arrives. Every client of the suite sends through one Recorder, so "every
 * response" really is every response, and the recorded operationIds tell which operations the
 * suite exercised.
 */
import type { Contract } from './contract.js';

/** One request and its response. Never holds the Authorization header. */
export interface Exchange {
  /** The contract's operationId, or undefined for a request outside the contract. */
  operationId: string | undefined;
  method: string;
  /** Path and query, without the origin. */
  path: string;
  /** `performance.now()` when fetch was called and when the response body had arrived (ms). */
  startedAt: number;
  endedAt: number;
  status: number;
  contentType: string | null;
  body: string;
  /** Parsed JSON body, or undefined when empty or not JSON. */
  json: unknown;
  /** Why this response breaks the contract; empty when it does not. */
  violations: string[];
  /** Label of the test that sent it (set by the suite), for readable failures. */
  label: string | undefined;
}

export type Fetch = (request: Request) => Promise<Response>;

export class Recorder {
  readonly exchanges: Exchange[] = [];
  /** Set by the suite to the current test's name; copied onto each exchange. */
  label: string | undefined;

  constructor(
    private readonly contract: Contract,
    private readonly inner: Fetch = (request) => globalThis.fetch(request),
  ) {}

  /**
   * A fetch that sends `request`, optionally replacing its Authorization header with `bearer`
   * (the raw header value, so malformed tokens reach the server as they are), records the
   * exchange and returns an unread copy of the response.
   */
  fetch(bearer?: { authorization: string | null }): Fetch {
    return async (input) => {
      let request = input;
      if (bearer) {
        const headers = new Headers(input.headers);
        if (bearer.authorization === null) headers.delete('authorization');
        else headers.set('authorization', bearer.authorization);
        request = new Request(input, { headers });
      }
      const url = new URL(request.url);
      const operation = this.contract.match(request.method, url.pathname);
      const startedAt = performance.now();
      const response = await this.inner(request);
      const body = await response.text();
      const endedAt = performance.now();
      const contentType = response.headers.get('content-type');
      let json: unknown;
      try {
        json = body.length > 0 ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      const violations = operation
        ? this.contract.check(operation.operationId, response.status, contentType, body)
        : [`${request.method} ${url.pathname} is not an operation of the contract`];
      this.exchanges.push({
        operationId: operation?.operationId,
        method: request.method,
        path: url.pathname + url.search,
        startedAt,
        endedAt,
        status: response.status,
        contentType,
        body,
        json,
        violations,
        label: this.label,
      });
      // A 204 must be rebuilt without a body: the Response constructor refuses one.
      return new Response(response.status === 204 || body.length === 0 ? null : body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    };
  }

  /** Exchanges whose responses broke the contract, from index `since` on. */
  violations(since = 0): Exchange[] {
    return this.exchanges.slice(since).filter((e) => e.violations.length > 0);
  }
}

/** One line per violation: `label: METHOD path -> status: what is wrong`. */
export function describeViolations(exchanges: Exchange[]): string {
  return exchanges
    .flatMap((e) =>
      e.violations.map(
        (v) =>
          `${e.label ? `[${e.label}] ` : ''}${e.operationId ?? '?'} ${e.method} ${e.path} -> ${e.status}: ${v}`,
      ),
    )
    .join('\n');
}
