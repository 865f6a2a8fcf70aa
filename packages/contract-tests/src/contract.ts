/**
 * The contract, read from openapi/hangar.yaml (or another document, such as the test controls'
 * openapi/hangar-admin.yaml): its operations, and a validator for every response an operation
 * may give. Schemas are compiled by Ajv (JSON Schema 2020-12, what
 * OpenAPI 3.1 uses) against the contract's own components: the whole document is registered
 * under CONTRACT_ID and each response schema is referenced by JSON pointer into it, so `$ref`s,
 * `allOf`, `unevaluatedProperties` and `type: [x, 'null']` mean exactly what the contract says.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

/** Where the contract lives in this repository. */
export const DEFAULT_CONTRACT_PATH = fileURLToPath(
  new URL('../../../openapi/hangar.yaml', import.meta.url),
);
/** The test controls' document (`/_admin`); its problem schemas refer into hangar.yaml. */
export const ADMIN_CONTRACT_PATH = fileURLToPath(
  new URL('../../../openapi/hangar-admin.yaml', import.meta.url),
);
/** The `$id` the whole contract document is registered under in Ajv. */
export const CONTRACT_ID = 'https://hangar.dev/openapi/hangar.yaml';

/**
 * The `$id` a document is registered under: its file name under the contract's base, so a
 * relative `$ref` between sibling documents (`hangar.yaml#/components/schemas/Problem` in
 * hangar-admin.yaml) resolves to the document it names, as it does on disk.
 */
function documentId(path: string): string {
  return new URL(basename(path), CONTRACT_ID).href;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** One declared response of an operation: its media types and where each schema is. */
export interface DeclaredResponse {
  status: string;
  /** Media type -> JSON pointer (into the document) of its schema; empty when bodiless. */
  content: Record<string, string | undefined>;
}

/** One operation of the contract. */
export interface ContractOperation {
  operationId: string;
  /** Upper-case HTTP method. */
  method: string;
  /** Path template, e.g. `/v1/apps/{app}`. */
  path: string;
  /** `x-hangar-access` as written in the contract. */
  access: { resource: string; action: string; level: string } | undefined;
  /** False when the operation declares `security: []`. */
  secured: boolean;
  /** Declared responses by status code (`'200'`, `'404'`, ...). */
  responses: Record<string, DeclaredResponse>;
  /** Matches a request pathname against the template. */
  pattern: RegExp;
}

type Json = Record<string, unknown>;

/** The loaded contract. */
export interface Contract {
  document: Json;
  operations: ContractOperation[];
  operation(operationId: string): ContractOperation;
  /** The operation a request (method, pathname) is for, or undefined if the contract has none. */
  match(method: string, pathname: string): ContractOperation | undefined;
  /**
   * Checks one response against the contract. Returns the violations, each a readable
   * sentence; empty when the response is one the contract allows. `body` is the raw text.
   */
  check(operationId: string, status: number, contentType: string | null, body: string): string[];
}

/** Escapes one JSON pointer segment (RFC 6901) and URI-encodes what a fragment cannot hold. */
function pointerSegment(segment: string): string {
  return encodeURIComponent(segment.replaceAll('~', '~0').replaceAll('/', '~1'));
}

function at(document: Json, pointer: string): unknown {
  let node: unknown = document;
  for (const raw of pointer.replace(/^#\//, '').split('/')) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    node = (node as Json | undefined)?.[key];
  }
  return node;
}

/** Follows a local `$ref` (as response objects use) to the object and the pointer it lives at. */
function deref(document: Json, node: unknown, pointer: string): { node: Json; pointer: string } {
  let current = node as Json;
  let where = pointer;
  while (typeof current?.$ref === 'string') {
    where = current.$ref;
    current = at(document, where) as Json;
  }
  return { node: current, pointer: where };
}

function listOperations(document: Json): ContractOperation[] {
  const operations: ContractOperation[] = [];
  const globalSecurity = document.security as unknown[] | undefined;
  for (const [path, item] of Object.entries((document.paths ?? {}) as Record<string, Json>)) {
    for (const method of HTTP_METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const base = `#/paths/${pointerSegment(path)}/${method}`;
      const responses: Record<string, DeclaredResponse> = {};
      for (const [status, declared] of Object.entries((op.responses ?? {}) as Json)) {
        const { node, pointer } = deref(document, declared, `${base}/responses/${status}`);
        const content: Record<string, string | undefined> = {};
        for (const [mediaType, media] of Object.entries((node.content ?? {}) as Json)) {
          content[mediaType] = (media as Json).schema
            ? `${pointer}/content/${pointerSegment(mediaType)}/schema`
            : undefined;
        }
        responses[status] = { status, content };
      }
      const security = (op.security as unknown[] | undefined) ?? globalSecurity ?? [];
      const regex = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
      operations.push({
        operationId: String(op.operationId),
        method: method.toUpperCase(),
        path,
        access: op['x-hangar-access'] as ContractOperation['access'],
        secured: security.length > 0,
        responses,
        pattern: new RegExp(`^${regex}$`),
      });
    }
  }
  return operations;
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''}${paramsText(e)}`.trim())
    .join('; ');
}

function paramsText(error: ErrorObject): string {
  const params = error.params as Json;
  if ('unevaluatedProperty' in params) return ` (${String(params.unevaluatedProperty)})`;
  if ('additionalProperty' in params) return ` (${String(params.additionalProperty)})`;
  if ('allowedValues' in params) return ` (${JSON.stringify(params.allowedValues)})`;
  return '';
}

/** Options of {@link loadContract}. */
export interface LoadOptions {
  /** Sibling documents the contract's `$ref`s reach into (paths), e.g. hangar.yaml for the admin one. */
  references?: readonly string[];
}

/**
 * Loads and compiles the contract.
 * @param path the OpenAPI 3.1 YAML file; defaults to the repository's openapi/hangar.yaml.
 * @throws if a file cannot be read or parsed, or a schema does not compile.
 */
export function loadContract(
  path: string = DEFAULT_CONTRACT_PATH,
  options: LoadOptions = {},
): Contract {
  const document = parse(readFileSync(path, 'utf8')) as Json;
  const id = documentId(path);
  const operations = listOperations(document);
  const byId = new Map(operations.map((op) => [op.operationId, op]));
  // strict off: the document carries OpenAPI keywords (paths, x-hangar-access, examples...)
  // that are not JSON Schema keywords; the schemas under components are plain 2020-12.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormatsModule.default(ajv);
  ajv.addSchema({ ...document, $id: id });
  for (const reference of options.references ?? []) {
    ajv.addSchema({
      ...(parse(readFileSync(reference, 'utf8')) as Json),
      $id: documentId(reference),
    });
  }
  const validators = new Map<string, ValidateFunction>();
  const validator = (pointer: string) => {
    let compiled = validators.get(pointer);
    if (!compiled) {
      compiled = ajv.compile({ $ref: `${id}${pointer}` });
      validators.set(pointer, compiled);
    }
    return compiled;
  };

  return {
    document,
    operations,
    operation(operationId) {
      const op = byId.get(operationId);
      if (!op) throw new Error(`the contract has no operation ${operationId}`);
      return op;
    },
    match(method, pathname) {
      const upper = method.toUpperCase();
      return operations.find((op) => op.method === upper && op.pattern.test(pathname));
    },
    check(operationId, status, contentType, body) {
      const op = byId.get(operationId);
      if (!op) return [`${operationId} is not in the contract`];
      const declared = op.responses[String(status)];
      if (!declared) {
        const allowed = Object.keys(op.responses).join(', ');
        return [`status ${status} is not declared for ${operationId} (declared: ${allowed})`];
      }
      const mediaTypes = Object.keys(declared.content);
      if (mediaTypes.length === 0) {
        return body.length === 0 ? [] : [`${status} must have no body, got ${body.length} bytes`];
      }
      const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
      if (!mediaTypes.includes(mediaType)) {
        return [`${status} content type "${contentType}" is not one of ${mediaTypes.join(', ')}`];
      }
      let value: unknown;
      try {
        value = JSON.parse(body);
      } catch {
        return [`${status} body is not JSON: ${body.slice(0, 120)}`];
      }
      const pointer = declared.content[mediaType];
      if (!pointer) return [];
      const validate = validator(pointer);
      const violations: string[] = [];
      if (!validate(value)) {
        violations.push(
          `${status} ${mediaType} body breaks the schema: ${describeErrors(validate.errors)}`,
        );
      }
      if (mediaType === 'application/problem+json') violations.push(...checkProblem(status, value));
      return violations;
    },
  };
}

/** The test controls' document, with hangar.yaml registered for the problem shapes it reuses. */
export function loadAdminContract(): Contract {
  return loadContract(ADMIN_CONTRACT_PATH, { references: [DEFAULT_CONTRACT_PATH] });
}

/** What the contract says in prose about problems: `status` repeats the HTTP status, `type` names the code. */
function checkProblem(status: number, value: unknown): string[] {
  const problem = value as Json;
  const violations: string[] = [];
  if (problem.status !== status) {
    violations.push(
      `problem.status ${String(problem.status)} differs from the HTTP status ${status}`,
    );
  }
  const expectedType = `https://hangar.dev/problems/${String(problem.code)}`;
  if (problem.type !== expectedType) {
    violations.push(`problem.type ${String(problem.type)} is not ${expectedType}`);
  }
  return violations;
}
