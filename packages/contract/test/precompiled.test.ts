import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Contract,
  loadContract,
  newAjv,
  type Precompiled,
  parameterKey,
  parameterSchema,
} from '../src/index.js';

// Standalone code built as scripts/build-contract.mjs builds it, for a few operations, loaded
// from a directory inside this package (so its `require("ajv/...")` resolve as in dist/).
const runtime = loadContract();
const { id, document } = runtime;
const operations = ['createOrgToken', 'listOrgTokens', 'getApp'].map((o) => runtime.operation(o));
const dir = mkdtempSync(join(fileURLToPath(new URL('..', import.meta.url)), '.precompiled-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function build(): Precompiled {
  const parameters = newAjv(id, document, true, true);
  const schemas = newAjv(id, document, false, true);
  const parameterExports: Record<string, string> = {};
  const schemaExports: Record<string, string> = {};
  for (const operation of operations) {
    for (const where of ['path', 'query'] as const) {
      const key = parameterKey(operation, where);
      parameters.addSchema(parameterSchema(id, operation, where), `parameters:${key}`);
      parameterExports[key] = `parameters:${key}`;
    }
    const pointer = operation.requestBody?.content['application/json'];
    if (pointer) {
      schemas.addSchema({ $ref: `${id}${pointer}` }, `schemas:${pointer}`);
      schemaExports[pointer] = `schemas:${pointer}`;
    }
  }
  // CommonJS: the function arrives as `default` of the module object.
  const standaloneCode = standaloneModule.default;
  writeFileSync(join(dir, 'p.cjs'), standaloneCode(parameters, parameterExports));
  writeFileSync(join(dir, 's.cjs'), standaloneCode(schemas, schemaExports));
  const require = createRequire(import.meta.url);
  return { parameters: require(join(dir, 'p.cjs')), schemas: require(join(dir, 's.cjs')) };
}

describe('validators compiled ahead of time', () => {
  const precompiled = new Contract(document, id, build());

  it.each([
    ['createOrgToken', { org: 'acme' }, {}, { name: 'ci', expiry: '24h' }],
    ['createOrgToken', { org: 'Not_A_Slug' }, {}, { name: 7, colour: 'red' }],
    ['createOrgToken', { org: 'acme' }, {}, {}],
    ['listOrgTokens', { org: 'acme' }, { limit: '5' }, undefined],
    ['listOrgTokens', { org: 'acme' }, { limit: '0', cursor: '' }, undefined],
    ['listOrgTokens', { org: 'acme' }, { limit: 'many' }, undefined],
    ['listOrgTokens', { org: 'acme' }, { limit: '1e1', cursor: '' }, undefined],
    ['listOrgTokens', { org: 'acme' }, { limit: '+5' }, undefined],
    ['getApp', { app: '-bad-' }, {}, undefined],
  ])(
    '%s %j %j %j: the same errors and typed parameters as compiled at run time',
    (operationId, params, query, body) => {
      const input = () => ({ params: { ...params }, query: { ...query }, body });
      const expected = runtime.validators.request(runtime.operation(operationId), input());
      const actual = precompiled.validators.request(precompiled.operation(operationId), input());
      expect(actual).toEqual(expected);
    },
  );
});
