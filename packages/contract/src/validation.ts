import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { at, type Json, readDocument } from './document.js';
import type { ContractOperation } from './operations.js';

const require = createRequire(import.meta.url);

/** One failing value of a request: where it is (`body.name`, `query.limit`, `path.app`) and why. */
export interface FieldError {
  field: string;
  message: string;
}

/** A request as the server parsed it, for {@link Validators.request}. */
export interface RequestInput {
  /** Path parameters by name, percent-decoded. */
  params: Record<string, string>;
  /** Query parameters by name: a string, or an array when repeated. */
  query: Record<string, string | string[] | undefined>;
  /** The parsed JSON body; undefined when the request has none. */
  body: unknown;
}

/** What {@link Validators.request} found: the errors, and the parameters with their types. */
export interface RequestResult {
  errors: FieldError[];
  /** Path parameters, coerced to their schema's types (`limit=5` -> 5). */
  params: Record<string, unknown>;
  /** Query parameters, coerced to their schema's types. */
  query: Record<string, unknown>;
}

type Compiled = (value: unknown) => FieldError[];

/**
 * How an integer parameter is written: decimal digits, with a minus sign for a negative value.
 * Ajv's coercion alone takes whatever `Number()` reads as an integer (`1e1`, `+5`, ` 5`, `0x10`,
 * `5.0`), which no client means to send.
 */
const DECIMAL_INTEGER = /^-?[0-9]+$/;
const DECIMAL_INTEGER_MESSAGE = 'must be an integer written in decimal digits (0-9)';

/**
 * Whether the schema at `pointer` (following local `$ref`s) is an integer, or an array of
 * integers (a repeatable parameter): its values must then be {@link DECIMAL_INTEGER}s.
 */
function integerValued(document: Json, pointer: string): boolean {
  const resolve = (node: unknown): Json | undefined => {
    let current = node as Json | undefined;
    for (let hops = 0; typeof current?.$ref === 'string' && hops < 16; hops++) {
      // A `$ref` into a sibling document is not followed: such a parameter is not checked here.
      if (!current.$ref.startsWith('#')) return undefined;
      current = at(document, current.$ref) as Json | undefined;
    }
    return current;
  };
  const schema = resolve(at(document, pointer));
  const isInteger = (node: Json | undefined) => node?.type === 'integer';
  return isInteger(schema) || (schema?.type === 'array' && isInteger(resolve(schema.items)));
}

/**
 * Validators compiled ahead of time (the package's build writes them as standalone code,
 * scripts/build-contract.mjs): parameter validators by {@link parameterKey}, schema validators
 * (bodies, responses) by JSON pointer. One missing is compiled at run time.
 */
export interface Precompiled {
  parameters: Readonly<Record<string, ValidateFunction>>;
  schemas: Readonly<Record<string, ValidateFunction>>;
}

/** The key of an operation's path or query validator among the {@link Precompiled} ones. */
export function parameterKey(operation: ContractOperation, where: 'path' | 'query'): string {
  return `${operation.operationId}.${where}`;
}

/**
 * The JSON Schema an operation's path or query parameters are validated with: an object of
 * the declared parameters, each `$ref`-ing its schema in the document registered as `id`.
 */
export function parameterSchema(
  id: string,
  operation: ContractOperation,
  where: 'path' | 'query',
): Json {
  const declared = operation.parameters.filter((p) => p.in === where);
  return {
    type: 'object',
    properties: Object.fromEntries(declared.map((p) => [p.name, { $ref: `${id}${p.schema}` }])),
    required: declared.filter((p) => p.required).map((p) => p.name),
  };
}

/**
 * An Ajv (JSON Schema 2020-12) holding the document as `id` (and the sibling documents it
 * refers to), coercing parameter strings to their types when `coerce`; `source` keeps the
 * generated code for standalone output (the build). Ajv is loaded on first call: with the
 * validators compiled ahead of time a server never loads it.
 */
export function newAjv(id: string, document: Json, coerce: boolean, source = false): Ajv2020 {
  const { Ajv2020: Ajv } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
  // strict off: the document carries OpenAPI keywords (paths, x-hangar-*, examples) besides
  // JSON Schema ones; the schemas themselves are plain 2020-12 (what OpenAPI 3.1 uses).
  // Parameters coerce with 'array': a repeatable query parameter given once (`type=a`, which
  // Express reads as a string) becomes the one-item array its schema declares.
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    coerceTypes: coerce ? 'array' : false,
    code: { source },
  });
  addFormats(ajv);
  ajv.addSchema({ ...document, $id: id });
  // A sibling document a `$ref` names (`hangar.yaml#/components/...` in hangar-admin.yaml) is
  // registered under its own URL beside this one, so the reference resolves as it does on disk.
  for (const file of siblingDocuments(document)) {
    ajv.addSchema({ ...readDocument(file.replace(/\.yaml$/, '')), $id: new URL(file, id).href });
  }
  return ajv;
}

/** The file names of other documents that `$ref`s in `document` point into. */
function siblingDocuments(document: Json): Set<string> {
  const files = new Set<string>();
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    const ref = (node as Json).$ref;
    const file = typeof ref === 'string' ? /^([\w.-]+\.yaml)#/.exec(ref)?.[1] : undefined;
    if (file) files.add(file);
    for (const child of Object.values(node)) walk(child);
  };
  walk(document);
  return files;
}

/**
 * Ajv errors in the contract's words: field names, `unknown field "x"`, `x-hangar-rule` texts,
 * an enum's values; one error per field (the first: a number where a region is due breaks both
 * `type` and `enum`, and one sentence says what to send).
 */
function fieldErrors(
  errors: ErrorObject[] | null | undefined,
  where: string,
  rules: ReadonlyMap<string, string>,
): FieldError[] {
  const byField = new Map<string, FieldError>();
  for (const error of errors ?? []) {
    const params = error.params as Record<string, unknown>;
    const segments = error.instancePath.split('/').slice(1);
    const extra = params.missingProperty ?? params.additionalProperty ?? params.unevaluatedProperty;
    if (extra !== undefined) segments.push(String(extra));
    const field = [
      where,
      ...segments.map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~')),
    ].join('.');
    if (byField.has(field)) continue;
    byField.set(field, { field, message: fieldMessage(error, params, extra, rules) });
  }
  return [...byField.values()];
}

function fieldMessage(
  error: ErrorObject,
  params: Record<string, unknown>,
  extra: unknown,
  rules: ReadonlyMap<string, string>,
): string {
  if (error.keyword === 'additionalProperties' || error.keyword === 'unevaluatedProperties') {
    return `unknown field "${String(extra)}"`;
  }
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return `must be one of ${params.allowedValues.join(', ')}`;
  }
  const rule = error.keyword === 'pattern' ? rules.get(String(params.pattern)) : undefined;
  return rule === undefined ? (error.message ?? 'is invalid') : `must be ${rule}`;
}

/**
 * The contract's validators, compiled by Ajv (JSON Schema 2020-12) against the document's own
 * components, each once, on first use. Request parameters are coerced from strings to their
 * schema's types; bodies and responses are not.
 */
export class Validators {
  readonly #id: string;
  readonly #document: Json;
  readonly #rules: ReadonlyMap<string, string>;
  #coercing: Ajv2020 | undefined;
  #plain: Ajv2020 | undefined;
  readonly #byPointer = new Map<string, ValidateFunction>();
  readonly #requests = new Map<ContractOperation, (input: RequestInput) => RequestResult>();
  readonly #precompiled: Precompiled | undefined;

  /** @param precompiled validators compiled ahead of time from this very document, if any */
  constructor(
    id: string,
    document: Json,
    rules: ReadonlyMap<string, string>,
    precompiled?: Precompiled,
  ) {
    this.#id = id;
    this.#document = document;
    this.#rules = rules;
    this.#precompiled = precompiled;
  }

  #ajv(coerce: boolean): Ajv2020 {
    if (coerce) {
      this.#coercing ??= newAjv(this.#id, this.#document, true);
      return this.#coercing;
    }
    this.#plain ??= newAjv(this.#id, this.#document, false);
    return this.#plain;
  }

  /** The compiled validator of the schema at a JSON pointer (`#/components/schemas/Token`). */
  schema(pointer: string): ValidateFunction {
    let compiled = this.#byPointer.get(pointer);
    if (!compiled) {
      compiled =
        this.#precompiled?.schemas[pointer] ??
        this.#ajv(false).compile({ $ref: `${this.#id}${pointer}` });
      this.#byPointer.set(pointer, compiled);
    }
    return compiled;
  }

  /**
   * Checks a request's parameters and body against `operation`: unknown or empty query
   * parameters first (they alone are reported then), else every failing field of the path,
   * the query and the body. Messages are Ajv's, with a `pattern` stated by its `x-hangar-rule`.
   */
  request(operation: ContractOperation, input: RequestInput): RequestResult {
    let check = this.#requests.get(operation);
    if (!check) {
      check = this.#compileRequest(operation);
      this.#requests.set(operation, check);
    }
    return check(input);
  }

  #compileRequest(operation: ContractOperation): (input: RequestInput) => RequestResult {
    const group = (where: 'path' | 'query') => {
      const declared = operation.parameters.filter((p) => p.in === where);
      const validate =
        this.#precompiled?.parameters[parameterKey(operation, where)] ??
        this.#ajv(true).compile(parameterSchema(this.#id, operation, where));
      const integers = declared
        .filter((p) => integerValued(this.#document, p.schema))
        .map((p) => p.name);
      const compiled: Compiled = (value) => {
        // Checked on the strings as sent (Ajv coerces `values` in place): an integer written
        // any other way is refused, naming the parameter, with this message alone.
        const values = value as Record<string, unknown>;
        const misspelled = integers.filter((name) => {
          const given = values[name];
          const texts = Array.isArray(given) ? given : [given];
          return texts.some((t) => typeof t === 'string' && !DECIMAL_INTEGER.test(t));
        });
        const refused = misspelled.map((name) => ({
          field: `${where}.${name}`,
          message: DECIMAL_INTEGER_MESSAGE,
        }));
        if (validate(values)) return refused;
        const named = new Set(refused.map((e) => e.field));
        const others = fieldErrors(validate.errors, where, this.#rules);
        return [...refused, ...others.filter((e) => !named.has(e.field))];
      };
      return { declared, compiled };
    };
    const path = group('path');
    const query = group('query');
    const known = new Map(query.declared.map((p) => [p.name, p]));
    // A body is JSON, or a form (exchangeToken, RFC 8693): either is checked as an object.
    const content = operation.requestBody?.content;
    const bodyPointer =
      content?.['application/json'] ?? content?.['application/x-www-form-urlencoded'];
    const body = bodyPointer === undefined ? undefined : this.schema(bodyPointer);
    return (input) => {
      const params: Record<string, unknown> = { ...input.params };
      const values: Record<string, unknown> = { ...input.query };
      const refused: FieldError[] = [];
      for (const [name, value] of Object.entries(values)) {
        const parameter = known.get(name);
        if (!parameter) {
          refused.push({ field: `query.${name}`, message: `Unknown query parameter '${name}'` });
        } else if (value === '' && !parameter.allowEmptyValue) {
          refused.push({
            field: `query.${name}`,
            message: `Empty value found for query parameter '${name}'`,
          });
        }
      }
      if (refused.length > 0) return { errors: refused, params, query: values };
      const errors = [...path.compiled(params), ...query.compiled(values)];
      if (body && input.body !== undefined && !body(input.body)) {
        errors.push(...fieldErrors(body.errors, 'body', this.#rules));
      }
      return { errors, params, query: values };
    };
  }

  /**
   * Checks one response value against what `operation` declares for `status` and `mediaType`.
   * @returns the violations, each a readable sentence; empty when the contract allows it.
   */
  response(
    operation: ContractOperation,
    status: number,
    mediaType: string,
    value: unknown,
  ): string[] {
    const declared = operation.responses[String(status)];
    if (!declared) {
      const allowed = Object.keys(operation.responses).join(', ');
      return [
        `status ${status} is not declared for ${operation.operationId} (declared: ${allowed})`,
      ];
    }
    const mediaTypes = Object.keys(declared.content);
    if (!mediaTypes.includes(mediaType)) {
      return mediaTypes.length === 0
        ? [`${status} must have no body`]
        : [`${status} content type "${mediaType}" is not one of ${mediaTypes.join(', ')}`];
    }
    const pointer = declared.content[mediaType];
    if (!pointer) return [];
    const validate = this.schema(pointer);
    if (validate(value)) return [];
    return [`${status} ${mediaType} body breaks the schema: ${describeErrors(validate.errors)}`];
  }
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
