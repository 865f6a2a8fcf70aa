import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/**
 * Where the contract is: `dist/openapi.json` (written by `build` from openapi/hangar.yaml, so an
 * installed package carries it; JSON loads far faster than YAML), else the workspace's
 * `openapi/hangar.yaml` (tests running `src/`).
 */
const CANDIDATES = [
  new URL('./openapi.json', import.meta.url),
  new URL('../../../openapi/hangar.yaml', import.meta.url),
];

/** A parsed OpenAPI 3.1 document; only the parts the server reads are typed. */
export interface ContractDocument {
  paths: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

let cached: ContractDocument | undefined;

/**
 * The path of the contract file this package serves.
 * @throws Error when neither the packaged copy nor the workspace file exists.
 */
export function contractPath(): string {
  for (const url of CANDIDATES) {
    const path = fileURLToPath(url);
    if (existsSync(path)) return path;
  }
  throw new Error('openapi contract not found: run the build (it copies openapi/hangar.yaml)');
}

/** The parsed contract (read once per process). Callers must not mutate it. */
export function loadContract(): ContractDocument {
  if (!cached) {
    const path = contractPath();
    const text = readFileSync(path, 'utf8');
    cached = (path.endsWith('.json') ? JSON.parse(text) : parse(text)) as ContractDocument;
  }
  return cached;
}

let rules: Map<string, string> | undefined;

/**
 * The contract's `x-hangar-rule` texts by the `pattern` they put in words, e.g.
 * `^tok_[0-9a-f]{32}$` -> "a token id: tok_ and 32 lowercase hex digits" (read once).
 */
export function patternRules(): ReadonlyMap<string, string> {
  if (!rules) {
    const found = new Map<string, string>();
    const walk = (node: unknown): void => {
      if (typeof node !== 'object' || node === null) return;
      const { pattern, 'x-hangar-rule': rule } = node as Record<string, unknown>;
      if (typeof pattern === 'string' && typeof rule === 'string') found.set(pattern, rule);
      for (const child of Object.values(node)) walk(child);
    };
    walk(loadContract());
    rules = found;
  }
  return rules;
}
