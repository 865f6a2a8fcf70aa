import { defaultPathSerializer } from 'openapi-fetch';
import { HangarApiError } from './errors.js';

/** `{name}` placeholders of an OpenAPI path template (simple style, as the contract uses). */
const PLACEHOLDER = /\{([^}]+)\}/g;

/**
 * openapi-fetch's path serializer, refusing a path parameter that would change which resource
 * the URL names. `encodeURIComponent` leaves `.` and `..` as they are, and URL parsing then
 * removes them as dot segments (RFC 3986 section 5.2.4): `DELETE /v1/apps/{app}/machines/{machine}`
 * with machine `..` would become `DELETE /v1/apps/{app}/`, deleting the app. An empty value
 * has the same effect (`/v1/apps//machines`).
 *
 * @param pathname the URL with `{name}` placeholders (base URL included)
 * @param pathParams the operation's path parameters
 * @returns the URL with each parameter percent-encoded
 * @throws HangarApiError with code `validation_failed`, status 0 and `local: true` (nothing is
 *   sent): its `problem.errors` names the field as `path.<name>`, as the server's
 *   validation errors do
 */
export function checkedPathSerializer(
  pathname: string,
  pathParams: Record<string, unknown>,
): string {
  for (const [, name = ''] of pathname.matchAll(PLACEHOLDER)) {
    const value = pathParams[name];
    const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
    if (text === '' || text === '.' || text === '..') refuse(pathname, name, value);
  }
  return defaultPathSerializer(pathname, pathParams);
}

function refuse(pathname: string, name: string, value: unknown): never {
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  const message = `must be a non-empty name or id, not ${shown} (it would change the URL's path)`;
  const field = `path.${name}`;
  throw new HangarApiError({
    status: 0,
    code: 'validation_failed',
    title: 'Invalid path parameter',
    detail: `${field} ${message}; no request was sent`,
    url: pathname,
    local: true,
    problem: {
      type: 'https://hangar.dev/problems/validation_failed',
      title: 'Invalid path parameter',
      status: 400,
      code: 'validation_failed',
      detail: `${field} ${message}`,
      errors: [{ field, message }],
    },
  });
}
