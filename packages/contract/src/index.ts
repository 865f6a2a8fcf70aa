/**
 * @hangar/contract: the Hangar API contract (openapi/hangar.yaml, OpenAPI 3.1) as data, read
 * once: its operations with strict path matchers, security and `x-hangar-access`, declared
 * statuses, and Ajv validators compiled from its schemas. The mock server, its access table and
 * the contract suite all read the contract through this package.
 */
import { at, type Json, readDocument, readPrecompiled } from './document.js';
import { type ContractOperation, type HttpMethod, readOperations } from './operations.js';
import { type Precompiled, Validators } from './validation.js';

export { at, deref, documentYamlPath, type Json, pointerSegment } from './document.js';
export {
  type ContractOperation,
  type ContractParameter,
  type DeclaredResponse,
  type HangarAccess,
  HTTP_METHODS,
  type HttpMethod,
  pathMatcher,
} from './operations.js';
export {
  type FieldError,
  newAjv,
  type Precompiled,
  parameterKey,
  parameterSchema,
  type RequestInput,
  type RequestResult,
  Validators,
} from './validation.js';

/** Operations sharing one path template, with what the path matched. */
export interface PathMatch {
  /** The path template, `/v1/apps/{app}`. */
  path: string;
  /** Raw (percent-encoded) path parameters by name. */
  params: Record<string, string>;
  /** The operations of the template by lower-case method. */
  operations: ReadonlyMap<HttpMethod, ContractOperation>;
}

/** A loaded contract document. */
export class Contract {
  /** The `$id` the whole document is registered under in Ajv (schemas are referenced into it). */
  readonly id: string;
  /** The parsed document. Callers must not mutate it. */
  readonly document: Json;
  /** Every operation, in document order. */
  readonly operations: readonly ContractOperation[];
  /** The compiled request and response validators. */
  readonly validators: Validators;
  readonly #byId: ReadonlyMap<string, ContractOperation>;
  readonly #paths: { path: string; operations: Map<HttpMethod, ContractOperation> }[];

  /**
   * @param document a parsed OpenAPI 3.1 document
   * @param id the URI to register it under in Ajv, e.g. `https://hangar.dev/openapi/hangar.yaml`
   * @param precompiled its validators compiled ahead of time (see {@link Precompiled})
   */
  constructor(document: Json, id: string, precompiled?: Precompiled) {
    this.id = id;
    this.document = document;
    this.operations = readOperations(document);
    this.#byId = new Map(this.operations.map((op) => [op.operationId, op]));
    const paths = new Map<string, Map<HttpMethod, ContractOperation>>();
    for (const op of this.operations) {
      const methods = paths.get(op.path) ?? new Map<HttpMethod, ContractOperation>();
      methods.set(op.method, op);
      paths.set(op.path, methods);
    }
    // Templates with fewer parameters first: a concrete path wins over a templated one that
    // matches the same request (OpenAPI 3.1, "Path Templating Matching").
    this.#paths = [...paths]
      .map(([path, operations]) => ({ path, operations }))
      .sort((a, b) => paramCount(a.path) - paramCount(b.path));
    this.validators = new Validators(id, document, patternRules(document), precompiled);
  }

  /**
   * The operation named `operationId`.
   * @throws Error when the contract has none.
   */
  operation(operationId: string): ContractOperation {
    const op = this.#byId.get(operationId);
    if (!op) throw new Error(`the contract has no operation ${operationId}`);
    return op;
  }

  /**
   * The schema `components.schemas[name]` as written (its `pattern`, `default`, `enum`...).
   * @throws Error when the document has no such schema.
   */
  component(name: string): Json {
    const schemas = (this.document.components as Json | undefined)?.schemas as Json | undefined;
    const schema = schemas?.[name] as Json | undefined;
    if (!schema) throw new Error(`the contract has no schema ${name}`);
    return schema;
  }

  /**
   * The `default` the document states at a JSON pointer to a schema, e.g.
   * `#/components/parameters/Limit/schema` -> 20.
   * @throws Error when that schema states no default.
   */
  defaultAt(pointer: string): unknown {
    const schema = at(this.document, pointer) as Json | undefined;
    if (schema?.default === undefined)
      throw new Error(`the contract states no default at ${pointer}`);
    return schema.default;
  }

  /**
   * The `pattern` of schema `name` as a RegExp (with the `u` flag, as JSON Schema 2020-12 reads
   * it) and its `x-hangar-rule` in words, e.g. `Slug` -> a DNS label.
   * @throws Error when the schema has no `pattern`.
   */
  pattern(name: string): { regex: RegExp; rule: string | undefined } {
    const { pattern, 'x-hangar-rule': rule } = this.component(name);
    if (typeof pattern !== 'string') throw new Error(`schema ${name} has no pattern`);
    return { regex: new RegExp(pattern, 'u'), rule: typeof rule === 'string' ? rule : undefined };
  }

  /** Every path template matching `pathname` (strictly), concrete ones first. */
  paths(pathname: string): PathMatch[] {
    const found: PathMatch[] = [];
    for (const { path, operations } of this.#paths) {
      const first = operations.values().next().value as ContractOperation;
      const params = first.match(pathname);
      if (params) found.push({ path, params, operations });
    }
    return found;
  }

  /** The operation a request (method in any case, pathname) is for, or undefined. */
  match(method: string, pathname: string): ContractOperation | undefined {
    const lower = method.toLowerCase() as HttpMethod;
    for (const { operations } of this.paths(pathname)) {
      const op = operations.get(lower);
      if (op) return op;
    }
    return undefined;
  }

  /**
   * Checks one raw response against the contract.
   * @param body the response text
   * @returns the violations, each a readable sentence; empty when the contract allows it.
   */
  checkResponse(
    operationId: string,
    status: number,
    contentType: string | null,
    body: string,
  ): string[] {
    const op = this.#byId.get(operationId);
    if (!op) return [`${operationId} is not in the contract`];
    const declared = op.responses[String(status)];
    if (declared && Object.keys(declared.content).length === 0) {
      return body.length === 0 ? [] : [`${status} must have no body, got ${body.length} bytes`];
    }
    const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
    if (!declared || !(mediaType in declared.content)) {
      return this.validators.response(op, status, mediaType, undefined);
    }
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return [`${status} body is not JSON: ${body.slice(0, 120)}`];
    }
    return this.validators.response(op, status, mediaType, value);
  }
}

function paramCount(path: string): number {
  return path.split('{').length - 1;
}

/**
 * The document's `x-hangar-rule` texts by the `pattern` they put in words, e.g.
 * `^tok_[0-9a-f]{32}$` -> "a token id: tok_ and 32 lowercase hex digits".
 */
export function patternRules(document: Json): ReadonlyMap<string, string> {
  const found = new Map<string, string>();
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    const { pattern, 'x-hangar-rule': rule } = node as Json;
    if (typeof pattern === 'string' && typeof rule === 'string') found.set(pattern, rule);
    for (const child of Object.values(node)) walk(child);
  };
  walk(document);
  return found;
}

const loaded = new Map<string, Contract>();

/**
 * The contract document `name` (default `hangar`, the public API; `openapi/<name>.yaml` in the
 * repository), read and parsed once per process, with the validators the build compiled from it
 * (`dist/<name>.validators.cjs`, when present). Its Ajv `$id` is
 * `https://hangar.dev/openapi/<name>.yaml`.
 * @throws Error when the document is not shipped (run the build) or does not parse.
 */
export function loadContract(name = 'hangar'): Contract {
  let contract = loaded.get(name);
  if (!contract) {
    const id = `https://hangar.dev/openapi/${name}.yaml`;
    contract = new Contract(readDocument(name), id, readPrecompiled(name));
    loaded.set(name, contract);
  }
  return contract;
}
