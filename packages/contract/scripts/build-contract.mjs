// Ships the contracts inside the package: dist/<name>.yaml for people, dist/<name>.json for code
// (JSON parses in milliseconds, YAML in hundreds). Every document under openapi/ is shipped, so a
// second one (an admin API) is loaded the same way: loadContract('<name>').
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

const openapi = new URL('../../../openapi/', import.meta.url);
const dist = new URL('../dist/', import.meta.url);
mkdirSync(dist, { recursive: true });
for (const file of readdirSync(openapi).filter((name) => name.endsWith('.yaml'))) {
  const name = file.slice(0, -'.yaml'.length);
  copyFileSync(new URL(file, openapi), new URL(file, dist));
  const document = parse(readFileSync(new URL(file, openapi), 'utf8'));
  writeFileSync(new URL(`${name}.json`, dist), JSON.stringify(document));
}

// Then every document's validators as standalone code (Ajv's `standalone`), so a server neither
// loads Ajv nor compiles a schema to answer its first request: dist/<name>.parameters.cjs
// (path and query validators, coercing, by `<operationId>.path|query`) and
// dist/<name>.schemas.cjs (request and response bodies, by JSON pointer). Both are built from
// the same functions the run-time compiler uses (src/validation.ts), so they check the same.
const { Contract, newAjv, parameterKey, parameterSchema } = await import('../dist/index.js');
const { default: standaloneCode } = await import('ajv/dist/standalone/index.js');
for (const file of readdirSync(openapi).filter((name) => name.endsWith('.yaml'))) {
  const name = file.slice(0, -'.yaml'.length);
  const id = `https://hangar.dev/openapi/${name}.yaml`;
  const document = JSON.parse(readFileSync(new URL(`${name}.json`, dist), 'utf8'));
  const contract = new Contract(document, id);
  const parameters = newAjv(id, document, true, true);
  const schemas = newAjv(id, document, false, true);
  const parameterExports = {};
  const schemaExports = {};
  for (const operation of contract.operations) {
    for (const where of ['path', 'query']) {
      const key = parameterKey(operation, where);
      parameters.addSchema(parameterSchema(id, operation, where), `parameters:${key}`);
      parameterExports[key] = `parameters:${key}`;
    }
    const pointers = [
      ...Object.values(operation.requestBody?.content ?? {}),
      ...Object.values(operation.responses).flatMap((declared) => Object.values(declared.content)),
    ];
    for (const pointer of pointers) {
      if (typeof pointer !== 'string' || pointer in schemaExports) continue;
      schemas.addSchema({ $ref: `${id}${pointer}` }, `schemas:${pointer}`);
      schemaExports[pointer] = `schemas:${pointer}`;
    }
  }
  writeFileSync(
    new URL(`${name}.parameters.cjs`, dist),
    standaloneCode(parameters, parameterExports),
  );
  writeFileSync(new URL(`${name}.schemas.cjs`, dist), standaloneCode(schemas, schemaExports));
}
