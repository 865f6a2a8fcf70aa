import { loadContract } from '@hangar/contract';
import { describe, expect, it } from 'vitest';
import { readOperations } from '../src/auth/access-table.js';
import { PROBLEM_STATUS } from '../src/problems.js';

const contract = loadContract();
const routes = readOperations(contract);

/** The statuses the server can answer for `route` before or around its handler. */
function edgeStatuses(route: (typeof routes)[number]): string[] {
  // 421 Host check, 404 inexact path, 400 path encoding / validation, 415 non-JSON body bytes.
  const statuses = ['400', '404', '415', '421'];
  if (route.takesBody) statuses.push('413');
  if (route.secured) statuses.push('401');
  return statuses;
}

describe('the contract declares every status the server answers', () => {
  it.each(routes.map((route) => [route.operationId, route] as const))(
    '%s declares its edge statuses',
    (_, route) => {
      for (const status of edgeStatuses(route)) {
        expect(route.operation.statuses, `${route.operationId} ${status}`).toContain(
          Number(status),
        );
      }
    },
  );

  it('every problem code the server sends per operation is in a code enum', () => {
    const text = JSON.stringify(contract.document.components);
    // Server-level codes, outside any operation, are listed in the contract's info description.
    const serverLevel = ['method_not_allowed', 'request_header_fields_too_large', 'internal'];
    const info = (contract.document.info as { description: string }).description;
    for (const code of Object.keys(PROBLEM_STATUS)) {
      if (serverLevel.includes(code)) expect(info).toContain(code);
      else expect(text, code).toMatch(new RegExp(`"enum":\\[[^\\]]*"${code}"`));
    }
  });
});

/** The operations of the raw contract document (refs unresolved), with their method. */
function rawOperations() {
  const paths = contract.document.paths as Record<string, Record<string, Record<string, unknown>>>;
  return Object.values(paths).flatMap((item) =>
    Object.entries(item)
      .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map(([method, op]) => ({
        method,
        op: op as { operationId: string } & Record<string, unknown>,
      })),
  );
}

const ref = (value: unknown) => JSON.stringify(value ?? null);

describe('every operation declares Idempotency-Key and rate limits (issue 16)', () => {
  const ops = rawOperations();
  it.each(ops.map(({ method, op }) => [op.operationId, method, op] as const))(
    '%s (%s)',
    (id, method, op) => {
      const responses = op.responses as Record<string, Record<string, unknown>>;
      expect(ref(responses['429']), `${id} 429`).toContain('#/components/responses/RateLimited');
      for (const [status, response] of Object.entries(responses)) {
        if (!status.startsWith('2')) continue;
        const headers = ref(response.headers);
        expect(headers, `${id} ${status} RateLimit-Policy`).toContain('headers/RateLimit-Policy');
        expect(headers, `${id} ${status} RateLimit`).toMatch(/headers\/RateLimit"/);
        if (method === 'post' || method === 'delete') {
          expect(headers, `${id} ${status}`).toContain('headers/Idempotent-Replayed');
        }
      }
      if (method !== 'post' && method !== 'delete') return;
      expect(ref(op.parameters), `${id} Idempotency-Key`).toContain(
        '#/components/parameters/IdempotencyKey',
      );
      expect(ref(responses['422']), `${id} 422`).toContain(
        '#/components/responses/IdempotencyKeyReused',
      );
      // 409: the in-use problem alone, or a response that also allows it.
      const conflict = ref(responses['409']);
      const components = contract.document.components as { responses: Record<string, unknown> };
      const name = /responses\/(\w+)/.exec(conflict)?.[1] ?? '';
      expect(ref(components.responses[name]), `${id} 409`).toContain('IdempotencyKeyInUseProblem');
    },
  );
});

// The server sets X-Request-Id on every answer and Hangar-Token-Expires-At on every answer to an
// authenticated request (docs/architecture.md#expiry-signals); a response that leaves either out
// hides it from the contract's readers and generated clients.
describe('every answer declares the headers the server always sends', () => {
  const ops = rawOperations();
  it.each(ops.map(({ op }) => [op.operationId, op] as const))('%s', (id, op) => {
    const secured = !(Array.isArray(op.security) && op.security.length === 0);
    const responses = op.responses as Record<string, Record<string, unknown>>;
    const components = contract.document.components as {
      responses: Record<string, Record<string, unknown>>;
    };
    for (const [status, response] of Object.entries(responses)) {
      const name = /responses\/(\w+)/.exec(ref(response.$ref))?.[1];
      const headers = ref((name ? components.responses[name] : response)?.headers);
      expect(headers, `${id} ${status} X-Request-Id`).toContain('headers/RequestId');
      if (secured && status.startsWith('2')) {
        expect(headers, `${id} ${status} Hangar-Token-Expires-At`).toContain(
          'headers/TokenExpiresAt"',
        );
      }
    }
  });
});
