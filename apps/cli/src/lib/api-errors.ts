import type { HangarApiError } from '@hangar/sdk';
import { CliError } from './errors.js';

/** What the error mapper knows about the call that failed. */
export interface ErrorContext {
  /** The token that was used, to read its scope offline for a hint (never printed). */
  token?: string | undefined;
  apiUrl: string;
}

/**
 * Reads the scope of the token in use offline (no request), for hints such as "this token is
 * scoped to app app_123". Returns undefined for a token that cannot be inspected.
 */
async function scopeHint(token: string | undefined): Promise<string | undefined> {
  if (!token) return undefined;
  try {
    const { inspect } = await import('@hangar/tokens');
    const { scope } = inspect(token);
    const parts: string[] = [];
    if (scope.apps) {
      const ids = Object.keys(scope.apps);
      parts.push(`this token is scoped to app${ids.length === 1 ? '' : 's'} ${ids.join(', ')}`);
    } else if (scope.org) {
      parts.push(`this token is scoped to organization ${scope.org}`);
    }
    if (scope.actions.length === 1 && scope.actions[0] === 'read') parts.push('it is read-only');
    return parts.length > 0 ? parts.join('; ') : undefined;
  } catch {
    return undefined;
  }
}

/** The extra members some problems carry (ForbiddenProblem, ValidationProblem in the contract). */
interface ProblemExtras {
  required_access?: { resource: string; action: string; org?: string | null; app?: string | null };
  errors?: { field: string; message: string }[];
}

function extras(error: HangarApiError): ProblemExtras {
  return (error.problem ?? {}) as ProblemExtras;
}

function requiredAccess(error: HangarApiError): string | undefined {
  const access = extras(error).required_access;
  if (!access) return undefined;
  const where = access.app
    ? ` on app ${access.app}`
    : access.org
      ? ` in organization ${access.org}`
      : '';
  return `${access.action} access to ${access.resource}${where}`;
}

/**
 * Turns a HangarApiError into one user-facing line: the problem's detail, then a hint chosen by
 * its code (and, for 403/404, by the scope of the token in use, read offline). Exit code 1.
 */
export async function mapApiError(error: HangarApiError, context: ErrorContext): Promise<CliError> {
  const detail = (error.detail || error.title || 'request failed').replace(/\s+/g, ' ').trim();
  let hint: string | undefined;
  switch (error.code) {
    case 'network_error':
      return new CliError(
        `Cannot reach the Hangar API at ${context.apiUrl}: ${detail}. Is the server running? Set the address with --api-url or HANGAR_API_URL.`,
      );
    case 'unauthenticated':
      hint = 'log in with "hangar auth login", or pass --access-token / set HANGAR_API_TOKEN';
      break;
    case 'token_malformed':
      hint = 'copy the whole token again; it looks mistyped or truncated';
      break;
    case 'token_invalid':
      hint = `the server at ${context.apiUrl} does not accept this token; was it issued by another server?`;
      break;
    case 'token_expired':
      hint =
        'create a new token with "hangar tokens create org" (or log in again with "hangar auth login")';
      break;
    case 'token_revoked':
      hint = 'this token was revoked; use another token or log in again with "hangar auth login"';
      break;
    case 'invalid_credentials':
      hint = 'check the email and password';
      break;
    case 'forbidden': {
      const access = requiredAccess(error);
      const scope = await scopeHint(context.token);
      hint =
        [access && `the operation needs ${access}`, scope].filter(Boolean).join('; ') || undefined;
      break;
    }
    case 'exceeds_token_scope':
      hint = 'a token can only create tokens within its own scope; use a token with more power';
      break;
    case 'exceeds_token_lifetime':
      hint = 'a token cannot create a token that outlives it; pass a shorter --expiry';
      break;
    case 'not_found': {
      const scope = await scopeHint(context.token);
      hint = `it does not exist, or this token cannot see it${scope ? ` (${scope})` : ''}`;
      break;
    }
    case 'token_already_revoked':
      hint = 'nothing to do';
      break;
    case 'validation_failed': {
      const fields = extras(error)
        .errors?.map((e) => `${e.field}: ${e.message}`)
        .join('; ');
      hint = fields || undefined;
      break;
    }
    default:
      break;
  }
  const status = error.status ? `${error.status} ${error.code}` : error.code;
  return new CliError(`${sentence(detail)} (${status})${hint ? `. Hint: ${hint}.` : ''}`);
}

function sentence(text: string): string {
  const trimmed = text.replace(/[.\s]+$/, '');
  return trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
}
