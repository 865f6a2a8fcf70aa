import { deriveRootKey, mint, newIdentifier } from '@hangar/tokens';
import { HangarApiError } from '../src/index.js';

/** A fetch double that records every request and answers from `respond`. */
export function fakeFetch(respond: (request: Request) => Response | Promise<Response>) {
  const calls: Request[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    calls.push(request);
    return respond(request);
  };
  return { fetch, calls };
}

/** A JSON response. */
export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

/** An RFC 9457 problem response as the contract shapes it. */
export function problem(status: number, code: string, detail: string, extra = {}): Response {
  const body = {
    type: `https://hangar.dev/problems/${code}`,
    title: code.replace(/_/g, ' '),
    status,
    detail,
    code,
    ...extra,
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });
}

/** A real, well-formed Hangar token (the SDK only checks its format, not its signature). */
export function validToken(): string {
  const identifier = newIdentifier();
  return mint({ rootKey: deriveRootKey(new Uint8Array(32), identifier), identifier, caveats: [] });
}

/** The HangarApiError `promise` rejects with; fails the test if it resolves or throws anything else. */
export async function rejection(promise: Promise<unknown>): Promise<HangarApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HangarApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}
