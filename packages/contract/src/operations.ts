import { deref, type Json, pointerSegment } from './document.js';

/** The HTTP methods an OpenAPI path item can hold, lower case as the document writes them. */
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** An operation's `x-hangar-access` as the contract writes it (see the contract's info). */
export interface HangarAccess {
  resource: string;
  action: string;
  level: string;
}

/** One declared parameter (`in: path` or `in: query`; headers and cookies are not used). */
export interface ContractParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  /** `allowEmptyValue` (OpenAPI 3.1): without it, `?name=` is refused. */
  allowEmptyValue: boolean;
  /** JSON pointer (into the document) of the parameter's schema. */
  schema: string;
}

/** One declared response: its media types and the JSON pointer of each one's schema. */
export interface DeclaredResponse {
  status: string;
  /** Media type -> JSON pointer of its schema; undefined for a media type without a schema. */
  content: Record<string, string | undefined>;
}

/** One operation of the contract. */
export interface ContractOperation {
  operationId: string;
  /** Lower-case HTTP method, as the document writes it. */
  method: HttpMethod;
  /** The path template, `/v1/apps/{app}`. */
  path: string;
  /**
   * Matches a request pathname exactly (case-sensitive): every `{param}` is one non-empty
   * segment, so a trailing slash or an empty segment does not match (the contract's info:
   * "paths are matched exactly"). Returns each parameter's raw (still percent-encoded) segment
   * by name, or undefined.
   */
  match(pathname: string): Record<string, string> | undefined;
  /** The effective `security` (the operation's, else the document's); empty: no token needed. */
  security: Json[];
  /** False only when the effective security is empty (`security: []`). */
  secured: boolean;
  /** `x-hangar-access` as written, or undefined when the operation has none. */
  access: HangarAccess | undefined;
  /** Path and query parameters, path-level ones merged with the operation's (RFC: OpenAPI 3.1 4.8.9). */
  parameters: ContractParameter[];
  /** The request body, or undefined when the operation takes none. */
  requestBody: { required: boolean; content: Record<string, string | undefined> } | undefined;
  /** Declared responses by status code (`'200'`, `'404'`, ...). */
  responses: Record<string, DeclaredResponse>;
  /** The declared status codes, as numbers (`default` and ranges left out). */
  statuses: number[];
}

function contentPointers(node: Json, pointer: string): Record<string, string | undefined> {
  const content: Record<string, string | undefined> = {};
  for (const [mediaType, media] of Object.entries((node.content ?? {}) as Json)) {
    content[mediaType] = (media as Json).schema
      ? `${pointer}/content/${pointerSegment(mediaType)}/schema`
      : undefined;
  }
  return content;
}

/**
 * The strict matcher of a path template (see {@link ContractOperation.match}).
 * @param template an OpenAPI path, `/v1/apps/{app}/machines/{machine}`
 */
export function pathMatcher(
  template: string,
): (pathname: string) => Record<string, string> | undefined {
  const names: string[] = [];
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      if (!part.startsWith('{')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(part.slice(1, -1));
      return '([^/]+)';
    })
    .join('');
  const pattern = new RegExp(`^${source}$`);
  return (pathname) => {
    const found = pattern.exec(pathname);
    if (!found) return undefined;
    const params: Record<string, string> = {};
    names.forEach((name, i) => {
      params[name] = found[i + 1] as string;
    });
    return params;
  };
}

function readParameters(document: Json, list: unknown, pointer: string): ContractParameter[] {
  return ((list ?? []) as unknown[]).map((declared, i) => {
    const { node, pointer: where } = deref(document, declared, `${pointer}/${i}`);
    return {
      name: String(node.name),
      in: node.in as ContractParameter['in'],
      required: node.required === true,
      allowEmptyValue: node.allowEmptyValue === true,
      schema: `${where}/schema`,
    };
  });
}

/** Every operation of `document`, in document order. */
export function readOperations(document: Json): ContractOperation[] {
  const operations: ContractOperation[] = [];
  const globalSecurity = (document.security as Json[] | undefined) ?? [];
  for (const [path, item] of Object.entries((document.paths ?? {}) as Record<string, Json>)) {
    const itemPointer = `#/paths/${pointerSegment(path)}`;
    const shared = readParameters(document, item.parameters, `${itemPointer}/parameters`);
    const match = pathMatcher(path);
    for (const method of HTTP_METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const base = `${itemPointer}/${method}`;
      const own = readParameters(document, op.parameters, `${base}/parameters`);
      const key = (p: ContractParameter) => `${p.in}:${p.name}`;
      const ownKeys = new Set(own.map(key));
      const responses: Record<string, DeclaredResponse> = {};
      for (const [status, declared] of Object.entries((op.responses ?? {}) as Json)) {
        const { node, pointer } = deref(document, declared, `${base}/responses/${status}`);
        responses[status] = { status, content: contentPointers(node, pointer) };
      }
      let requestBody: ContractOperation['requestBody'];
      if (op.requestBody !== undefined) {
        const { node, pointer } = deref(document, op.requestBody, `${base}/requestBody`);
        requestBody = { required: node.required === true, content: contentPointers(node, pointer) };
      }
      const security = (op.security as Json[] | undefined) ?? globalSecurity;
      operations.push({
        operationId: String(op.operationId),
        method,
        path,
        match,
        security,
        secured: security.length > 0,
        access: op['x-hangar-access'] as HangarAccess | undefined,
        parameters: [...shared.filter((p) => !ownKeys.has(key(p))), ...own],
        requestBody,
        responses,
        statuses: Object.keys(responses)
          .filter((status) => /^\d{3}$/.test(status))
          .map(Number),
      });
    }
  }
  return operations;
}
