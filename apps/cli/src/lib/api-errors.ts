import type { HangarApiError } from '@hangar/sdk';
import { CliError } from './errors.js';
import { expiredTokenHint } from './expiry-warning.js';
import { printable } from './output.js';
import { redactTokens } from './redact.js';

/** The scope of a token by name, as `GET /v1/viewer` reports it (`scope`). */
export interface ScopeNames {
  org: string | null;
  apps: string[] | null;
  actions: string[];
}

/** What the error mapper knows about the call that failed. */
export interface ErrorContext {
  apiUrl: string;
  /** The token that was used, to read its scope offline as a fallback (never printed). */
  token?: string | undefined;
  /** Where the token came from (`flag`, `env`, `config`, ...), for the expired-token hint. */
  tokenSource?: string | undefined;
  /** oclif command id such as `tokens:create:org`, to name the right flag in hints. */
  commandId?: string | undefined;
  /**
   * Looks up the token's scope by name (one `GET /v1/viewer`); rejects with the SDK's error when
   * that fails. Called only for 403/404, whose hints name the token's org or apps.
   */
  viewerScope?: (() => Promise<ScopeNames | undefined>) | undefined;
  /** The `Idempotency-Key` the command's writes sent (its --idempotency-key, or a random one). */
  idempotencyKey?: string | undefined;
}

/**
 * Connection failures that happen before a request is sent (refused, no such host, no route):
 * such a write was certainly not applied, so the plain "cannot reach" message stands.
 */
const NEVER_SENT = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)\b/;

/**
 * True when `error` is a connection that failed before its request was sent ({@link NEVER_SENT}):
 * the server is unreachable, so nothing was applied and the next request would fail the same way.
 */
export function neverSent(error: HangarApiError): boolean {
  const detail = error.detail || error.title || '';
  return error.code === 'network_error' && NEVER_SENT.test(detail);
}

/** Methods that change something: a failure without an answer may have been applied. */
const WRITES: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The hint for a write that got no answer (a dropped connection, a timeout): it may have been
 * applied, and only a rerun with the same key is safe (the server replays the first answer).
 */
function unansweredWriteHint(context: ErrorContext): string {
  return context.idempotencyKey
    ? `rerun with the same key to retry safely, --idempotency-key ${context.idempotencyKey}: the server then answers what it did the first time instead of doing it twice`
    : 'check whether it was applied before rerunning; pass --idempotency-key KEY so that a rerun with the same key is safe';
}

/**
 * The hint for an answer that cannot come from a Hangar API at `apiUrl` (a wrong `--api-url`
 * path, or another web server).
 */
function notHangarHint(context: ErrorContext): string {
  return `${context.apiUrl} does not look like a Hangar API; check --api-url, HANGAR_API_URL or the config file`;
}

/** The viewer's scope by name, `not_found` when even `GET /v1/viewer` is a 404, else undefined. */
async function viewerScopeOrNotFound(
  context: ErrorContext,
): Promise<ScopeNames | 'not_found' | undefined> {
  try {
    return await context.viewerScope?.();
  } catch (error) {
    return (error as { status?: unknown }).status === 404 ? 'not_found' : undefined;
  }
}

/** The token's scope by name from the viewer, else by id from the token itself (offline). */
async function scopeOf(
  context: ErrorContext,
  viewer?: ScopeNames | 'not_found',
): Promise<ScopeNames | undefined> {
  const named = viewer ?? (await viewerScopeOrNotFound(context));
  if (named && named !== 'not_found') return named;
  if (!context.token) return undefined;
  try {
    const { inspect } = await import('@hangar/tokens');
    const { scope } = inspect(context.token);
    return { org: scope.org, apps: scope.apps && Object.keys(scope.apps), actions: scope.actions };
  } catch {
    return undefined;
  }
}

/** "this token is scoped to app acme-web; it is read-only", or undefined for a full token. */
async function scopeHint(
  context: ErrorContext,
  viewer?: ScopeNames | 'not_found',
): Promise<string | undefined> {
  const scope = await scopeOf(context, viewer);
  if (!scope) return undefined;
  const parts: string[] = [];
  if (scope.apps) {
    const many = scope.apps.length === 1 ? '' : 's';
    parts.push(`this token is scoped to app${many} ${scope.apps.join(', ')}`);
  } else if (scope.org) {
    parts.push(`this token is scoped to organization ${scope.org}`);
  }
  if (scope.actions.length === 1 && scope.actions[0] === 'read') parts.push('it is read-only');
  return parts.length > 0 ? parts.join('; ') : undefined;
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

/** Request fields the user typed as the same argument whatever the command. */
const FIELD_ARGUMENTS: Readonly<Record<string, string>> = {
  'body.expires_in': '--expiry',
  'body.image': '--image',
  'body.region': '--region',
  'body.email': '--email',
  'path.org': 'the organization (ORG argument or --org)',
  'path.machine': 'the machine ID argument',
  'path.token_id': 'the token ID argument',
  'path.policy_id': 'the policy ID argument',
  'body.password': 'the password (prompt or --password-stdin)',
};

/**
 * What to type instead, per command (oclif id) and request field, where the field is not the
 * same argument everywhere (FIELD_ARGUMENTS): a whole hint clause, or a function of the server's
 * message when the fix depends on it. A field also matches its members (`body.grant` covers
 * `body.grant.kind`). Keep in step with the commands' flags: a 400 the README promises a flag
 * hint for must name the flag.
 */
const COMMAND_FIELD_HINTS: Readonly<
  Record<string, Readonly<Record<string, string | ((message: string) => string)>>>
> = {
  'events:list': {
    'query.token_id':
      'pass --token-id a token id: tok_ and 32 hex digits (the ID column of "hangar tokens list")',
    'query.since': 'check --since',
    'query.type': 'check --type',
  },
  'auth:can': {
    // checkAccess answers "needs a target: name an org or an app", "... name an app" or
    // "... leave app out" (apps/mock-server/src/routes/access-checks.ts).
    'body.org': (message) =>
      /name an org or an app/.test(message)
        ? 'pass -o ORG or -a APP to name the target'
        : 'pass -a APP instead of -o ORG',
    'body.app': (message) =>
      /leave app out/.test(message) ? 'leave out -a APP (pass -o ORG instead)' : 'check -a APP',
    'body.resource': 'check the RESOURCE argument',
    'body.action': 'check the ACTION argument',
  },
  'trust-policies:create': {
    'body.name': 'check --name',
    'body.issuer':
      "pass --issuer the issuer's http(s) URL without query or fragment, such as https://token.actions.githubusercontent.com",
    'body.audience': 'check --audience',
    'body.conditions': 'check --condition CLAIM=PATTERN',
    'body.grant.kind': 'check --kind',
    'body.grant.app': 'check --app',
    'body.grant.actions': 'check --action',
    'body.grant.expires_in': 'check --lifetime',
  },
  'tokens:list': { 'query.status': 'check --status' },
};

/** The command's hint entry for `field` or the nearest field containing it, if any. */
function commandFieldHint(field: string, commandId: string) {
  const table = COMMAND_FIELD_HINTS[commandId];
  if (!table) return undefined;
  for (let name = field; name; name = name.replace(/(\.[^.[]*|\[\d+\])$/, '')) {
    if (Object.hasOwn(table, name)) return table[name];
    if (!/[.[]/.test(name)) break;
  }
  return undefined;
}

/**
 * The CLI argument behind a request field of a validation error (`body.expires_in` is
 * `--expiry`), or undefined when the user did not type it (`query.limit`, `query.cursor`).
 */
export function argumentForField(field: string, commandId = ''): string | undefined {
  const topic = commandId.split(':')[0];
  if (field === 'body.name') return topic === 'tokens' ? '--name' : 'the NAME argument';
  if (field === 'path.app') return topic === 'apps' ? 'the NAME argument' : '--app';
  return Object.hasOwn(FIELD_ARGUMENTS, field) ? FIELD_ARGUMENTS[field] : undefined;
}

/**
 * The hint clause for one field error: what the user types instead ("pass --token-id a token
 * id: ..."), from the command's own table, else "check <argument>", else undefined.
 */
export function hintForField(
  error: { field: string; message: string },
  commandId = '',
): string | undefined {
  const entry = commandFieldHint(error.field, commandId);
  if (typeof entry === 'function') return entry(error.message);
  if (entry !== undefined) return entry;
  const argument = argumentForField(error.field, commandId);
  return argument === undefined ? undefined : `check ${argument}`;
}

/**
 * `Invalid request: body.name must match ...` and a hint naming the arguments to fix. A message
 * that is not a schema rule ("must ...") is a sentence of its own: it follows the field after a
 * colon (`body.org: create on machines needs a target ...`).
 */
function validationFailure(error: HangarApiError, context: ErrorContext, detail: string) {
  const errors = extras(error).errors ?? [];
  const what = errors
    .map(({ field, message }) => {
      const text = message.replace(/^:\s*/, '');
      return /^must\b/.test(text) ? `${field} ${text}` : `${field}: ${text}`;
    })
    .join('; ');
  const clauses = [...new Set(errors.map((e) => hintForField(e, context.commandId)))];
  const named = clauses.filter((c): c is string => c !== undefined);
  const checks = named.filter((c) => c.startsWith('check '));
  const others = named.filter((c) => !c.startsWith('check '));
  // "check --name and --expiry" reads better than "check --name; check --expiry".
  if (checks.length > 0) others.push(`check ${checks.map((c) => c.slice(6)).join(' and ')}`);
  return {
    message: `Invalid request: ${what || detail}`,
    hint: others.length > 0 ? others.join('; ') : undefined,
  };
}

/**
 * Turns a HangarApiError into one user-facing line: the problem's detail, then a hint chosen by
 * its code (for 403/404, the token's scope by name: one `GET /v1/viewer`, else its ids read
 * offline), with the answer's `X-Request-Id` next to the status: `(404 not_found, request req_…)`.
 * The whole line goes through `printable` (the tables' escaping), so no control
 * character from any server field reaches the terminal. Exit code 1; 2 for `validation_failed` and
 * `idempotency_key_reused` (bad user input, like a usage error: the user picks another value).
 */
export async function mapApiError(error: HangarApiError, context: ErrorContext): Promise<CliError> {
  const detail = (error.detail || error.title || 'request failed').replace(/\s+/g, ' ').trim();
  let message = detail;
  let hint: string | undefined;
  let exit = 1;
  switch (error.code) {
    case 'network_error':
      if (/\bEPROTO\b/.test(detail) && context.apiUrl.startsWith('https:')) {
        // OpenSSL's "wrong version number": the server answered TLS with plain HTTP. Its
        // internals (file, line, routine) say nothing a user can act on.
        message = `Cannot reach the Hangar API at ${context.apiUrl}: the TLS handshake failed (EPROTO)`;
        hint = `the server speaks plain HTTP; use ${context.apiUrl.replace(/^https:/, 'http:')}`;
      } else if (error.method && WRITES.has(error.method) && !neverSent(error)) {
        // The connection may have failed after the server acted (a reset after the commit).
        message = `No answer from the Hangar API at ${context.apiUrl} (${detail}); the ${error.method} may have been applied`;
        hint = unansweredWriteHint(context);
      } else {
        message = `Cannot reach the Hangar API at ${context.apiUrl}: ${detail}`;
        hint = 'is the server running? Set the address with --api-url or HANGAR_API_URL';
      }
      return new CliError(printable(`${message}. ${sentence(hint)}.`), 1, {
        code: error.code,
        summary: message,
        hint,
      });
    case 'timeout':
      if (error.method && WRITES.has(error.method)) {
        message = `${detail}; it may have been applied`;
        hint = unansweredWriteHint(context);
      }
      break;
    case 'http_error':
      // A 2xx that is not Hangar's JSON, or a 404, 405 or 501 that is not a Hangar problem (a
      // static web server answers 501 to a POST): another server, or a wrong path.
      if ((error.status >= 200 && error.status < 300) || [404, 405, 501].includes(error.status)) {
        hint = notHangarHint(context);
      }
      break;
    case 'unauthenticated':
      hint = 'log in with "hangar auth login", or pass --access-token / set HANGAR_API_TOKEN';
      break;
    case 'token_malformed':
      hint = 'copy the whole token again; it looks mistyped or truncated';
      break;
    case 'token_invalid':
      // The mock answers this for a token it has no record of (issued by another server, or
      // before /_admin/reset) as well as for a bad signature: say both, and what to do.
      hint = `the server at ${context.apiUrl} does not know this token (it was issued by another server, or this server was reset since); log in again with "hangar auth login", or pass a token from this server`;
      break;
    case 'token_expired':
      hint = await expiredTokenHint({ token: context.token, source: context.tokenSource });
      break;
    case 'token_revoked':
      hint = 'this token was revoked; use another token or log in again with "hangar auth login"';
      break;
    case 'invalid_credentials':
      hint = 'check the email and password';
      break;
    case 'forbidden': {
      // The server's detail already says what access was needed; name it only when it did not.
      const access = error.detail ? undefined : requiredAccess(error);
      if (!error.detail && access) message = `This token cannot do this: it needs ${access}`;
      hint = await scopeHint(context);
      break;
    }
    case 'exceeds_token_scope':
      hint = 'a token can only create tokens within its own scope; use a token with more power';
      break;
    case 'exceeds_token_lifetime':
      hint = 'a token cannot create a token that outlives it; pass a shorter --expiry';
      break;
    case 'not_found': {
      // Every Hangar API answers GET /v1/viewer: a 404 there too means the URL is wrong (a path
      // such as /api that the server does not serve), not that the token cannot see the thing.
      const viewer = await viewerScopeOrNotFound(context);
      if (viewer === 'not_found') {
        hint = notHangarHint(context);
        break;
      }
      const scope = await scopeHint(context, viewer);
      hint = `it does not exist, or this token cannot see it${scope ? ` (${scope})` : ''}`;
      break;
    }
    case 'token_already_revoked':
      hint =
        context.commandId === 'tokens:rotate'
          ? 'a revoked token cannot be rotated'
          : 'nothing to do';
      break;
    case 'token_rotated':
      hint = 'this token was rotated and its grace period is over; use the token that replaced it';
      break;
    case 'token_already_rotated':
      hint = 'rotate the token that replaced it ("hangar tokens show ID" names it)';
      break;
    case 'token_already_expired':
      hint = 'an expired token cannot be renewed; create a new one with "hangar tokens create"';
      break;
    case 'validation_failed':
      ({ message, hint } = validationFailure(error, context, detail));
      exit = 2;
      break;
    case 'idempotency_key_reused':
      // The user chose the key, so only they can fix it: a usage error, like a bad flag.
      hint =
        'that key was used for a different request within the server\'s retention (24 hours by default); rerun with a new --idempotency-key (such as "$(uuidgen)"), or leave it out';
      exit = 2;
      break;
    case 'idempotency_key_in_use':
      hint =
        'a request with the same --idempotency-key is still running; rerun once it has finished';
      break;
    default:
      break;
  }
  return apiErrorLine({
    message,
    code: error.code,
    status: error.status,
    requestId: error.requestId,
    hint,
    exit,
  });
}

/**
 * The one-line error of an API answer: `Message (404 not_found, request req_…). Hint: ….`, the
 * answer's `X-Request-Id` (redacted, the server's id to quote when reporting a problem) beside
 * its status and code. One pass of the tables' escaping (`printable`) goes over the whole line,
 * since the message and the hint hold server strings. `--json` gets the parts (errorJson).
 */
export function apiErrorLine(parts: {
  message: string;
  code: string;
  /** The HTTP status; 0 or absent when nothing answered. */
  status?: number | undefined;
  requestId?: string | null | undefined;
  hint?: string | undefined;
  /** Exit code: 1 unless given. */
  exit?: number;
}): CliError {
  const { code, hint } = parts;
  const status = parts.status ? `${parts.status} ${code}` : code;
  const requestId = parts.requestId ? redactTokens(parts.requestId) : undefined;
  const request = requestId ? `, request ${requestId}` : '';
  const tail = hint ? `. Hint: ${hint}${/[.?!]$/.test(hint) ? '' : '.'}` : '';
  const summary = sentence(parts.message);
  return new CliError(printable(`${summary} (${status}${request})${tail}`), parts.exit ?? 1, {
    code,
    status: parts.status || undefined,
    summary,
    hint,
    requestId: requestId && printable(requestId),
  });
}

function sentence(text: string): string {
  const trimmed = text.replace(/[.\s]+$/, '');
  return trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
}
