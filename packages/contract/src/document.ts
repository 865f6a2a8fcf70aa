import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Precompiled } from './validation.js';

/** A parsed OpenAPI 3.1 document: plain JSON values. */
export type Json = Record<string, unknown>;

/**
 * Where document `name` is, as a `.json` or `.yaml` file: `dist/<name>.<extension>` (written by
 * this package's build from `openapi/<name>.yaml`, so an installed package carries both), else the
 * workspace's `openapi/<name>.yaml` (this package's own tests, running `src/`).
 * @throws Error when neither exists (run the build of @hangar/contract).
 */
function locateDocument(name: string, extension: 'json' | 'yaml'): string {
  for (const url of [
    new URL(`./${name}.${extension}`, import.meta.url),
    new URL(`../../../openapi/${name}.yaml`, import.meta.url),
  ]) {
    const path = fileURLToPath(url);
    if (existsSync(path)) return path;
  }
  throw new Error(`contract ${name} not found: run the build of @hangar/contract`);
}

/**
 * Where document `name` is: `dist/<name>.json`, else the workspace's `openapi/<name>.yaml`.
 * @throws Error when neither exists.
 */
export function documentPath(name: string): string {
  return locateDocument(name, 'json');
}

/**
 * The YAML text file of document `name`, as people read it: the copy shipped in `dist/`, else the
 * workspace's `openapi/<name>.yaml`.
 * @throws Error when neither exists (run the build of @hangar/contract).
 */
export function documentYamlPath(name: string): string {
  return locateDocument(name, 'yaml');
}

/**
 * Reads and parses document `name` (JSON; YAML only in the workspace, where `yaml` is installed).
 * @throws Error when it cannot be found or parsed.
 */
export function readDocument(name: string): Json {
  const path = documentPath(name);
  const text = readFileSync(path, 'utf8');
  if (path.endsWith('.json')) return JSON.parse(text) as Json;
  const { parse } = createRequire(import.meta.url)('yaml') as { parse(text: string): unknown };
  return parse(text) as Json;
}

/** Escapes one JSON pointer segment (RFC 6901) and URI-encodes what a fragment cannot hold. */
export function pointerSegment(segment: string): string {
  return encodeURIComponent(segment.replaceAll('~', '~0').replaceAll('/', '~1'));
}

/** The value at a `#/a/b` JSON pointer (RFC 6901, URI fragment form) in `document`. */
export function at(document: Json, pointer: string): unknown {
  let node: unknown = document;
  for (const raw of pointer.replace(/^#\/?/, '').split('/')) {
    if (raw === '') continue;
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    node = (node as Json | undefined)?.[key];
  }
  return node;
}

/** Follows local `$ref`s (as parameters and responses use) to the object and its pointer. */
export function deref(
  document: Json,
  node: unknown,
  pointer: string,
): { node: Json; pointer: string } {
  let current = node as Json;
  let where = pointer;
  while (typeof current?.$ref === 'string') {
    where = current.$ref;
    current = at(document, where) as Json;
  }
  return { node: current, pointer: where };
}

/**
 * The validators the build compiled from document `name` as standalone code
 * (`dist/<name>.parameters.cjs` and `dist/<name>.schemas.cjs`, scripts/build-contract.mjs), or
 * undefined when they are not there (this package's own tests, running `src/`).
 */
export function readPrecompiled(name: string): Precompiled | undefined {
  const files = ['parameters', 'schemas'].map((kind) =>
    fileURLToPath(new URL(`./${name}.${kind}.cjs`, import.meta.url)),
  );
  const [parametersFile, schemasFile] = files as [string, string];
  if (!files.every((file) => existsSync(file))) return undefined;
  const require = createRequire(import.meta.url);
  let schemas: Precompiled['schemas'] | undefined;
  return {
    parameters: require(parametersFile) as Precompiled['parameters'],
    // Bodies and responses are read on first use: most requests have neither to check.
    get schemas() {
      schemas ??= require(schemasFile) as Precompiled['schemas'];
      return schemas;
    },
  };
}
