/**
 * RFC 9457 problem details: the one shape of every error the server returns.
 * Handlers and middleware throw a {@link ProblemError}; `error-handler.ts` writes it.
 */
import type { ProblemCode as ContractProblemCode } from '@hangar/sdk';
import type { Action } from '@hangar/tokens';
import { redactSecrets } from './redact.js';

/**
 * The stable problem codes of the contract and their HTTP status: exactly the SDK's
 * `ProblemCode`, which the generated contract types check (the schemas' `code` enums and the
 * server-level codes of the contract's info description); a code missing here fails typecheck.
 * See docs/architecture.md#problem-codes.
 */
export const PROBLEM_STATUS = {
  validation_failed: 400,
  malformed_json: 400,
  bad_request: 400,
  unauthenticated: 401,
  token_malformed: 401,
  token_invalid: 401,
  token_expired: 401,
  token_revoked: 401,
  token_rotated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  exceeds_token_scope: 403,
  exceeds_token_lifetime: 403,
  not_found: 404,
  method_not_allowed: 405,
  misdirected_request: 421,
  conflict: 409,
  token_already_revoked: 409,
  token_already_rotated: 409,
  token_already_expired: 409,
  idempotency_key_in_use: 409,
  idempotency_key_reused: 422,
  rate_limited: 429,
  payload_too_large: 413,
  unsupported_media_type: 415,
  request_header_fields_too_large: 431,
  internal: 500,
} as const satisfies Record<ContractProblemCode, number>;

export type ProblemCode = keyof typeof PROBLEM_STATUS;

const TITLES: Record<ProblemCode, string> = {
  validation_failed: 'Invalid request',
  malformed_json: 'Malformed JSON',
  bad_request: 'Bad request',
  unauthenticated: 'Authentication required',
  token_malformed: 'Token malformed',
  token_invalid: 'Token invalid',
  token_expired: 'Token expired',
  token_revoked: 'Token revoked',
  token_rotated: 'Token rotated',
  invalid_credentials: 'Invalid credentials',
  forbidden: 'Forbidden',
  exceeds_token_scope: 'Token would reach further than its creator',
  exceeds_token_lifetime: 'Token would outlive its creator',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  misdirected_request: 'Misdirected request',
  conflict: 'Conflict',
  token_already_revoked: 'Token already revoked',
  token_already_rotated: 'Token already rotated',
  token_already_expired: 'Token already expired',
  idempotency_key_in_use: 'Idempotency key in use',
  idempotency_key_reused: 'Idempotency key reused',
  rate_limited: 'Rate limited',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  request_header_fields_too_large: 'Request header fields too large',
  internal: 'Internal server error',
};

export interface FieldError {
  /** Where the problem is: `body.expires_in`, `query.limit`, `path.org`. */
  field: string;
  message: string;
}

export interface RequiredAccess {
  resource: string;
  action: Action;
  org?: string;
  app?: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  instance?: string;
  errors?: FieldError[];
  required_access?: RequiredAccess;
}

/** An error that becomes a problem+json response with its code's status. */
export class ProblemError extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly errors: FieldError[] | undefined;
  readonly requiredAccess: RequiredAccess | undefined;

  constructor(
    code: ProblemCode,
    detail: string,
    extra: { errors?: FieldError[]; requiredAccess?: RequiredAccess } = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
    this.code = code;
    this.status = PROBLEM_STATUS[code];
    this.errors = extra.errors;
    this.requiredAccess = extra.requiredAccess;
  }

  /**
   * The response body; `instance` is the request path. Token strings in `instance`, `detail`
   * and `errors` are redacted (redact.ts): a problem never echoes a secret.
   */
  toBody(instance?: string): ProblemBody {
    const body: ProblemBody = {
      type: `https://hangar.dev/problems/${this.code}`,
      title: TITLES[this.code],
      status: this.status,
      detail: redactSecrets(this.message),
      code: this.code,
    };
    if (instance !== undefined) body.instance = redactSecrets(instance);
    if (this.errors) {
      body.errors = this.errors.map(({ field, message }) => ({
        field: redactSecrets(field),
        message: redactSecrets(message),
      }));
    }
    if (this.requiredAccess) body.required_access = this.requiredAccess;
    return body;
  }
}

/** Shorthand: `throw problem('not_found', 'No app named "x"')`. */
export function problem(
  code: ProblemCode,
  detail: string,
  extra?: { errors?: FieldError[]; requiredAccess?: RequiredAccess },
): ProblemError {
  return new ProblemError(code, detail, extra);
}
