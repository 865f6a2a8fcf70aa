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
