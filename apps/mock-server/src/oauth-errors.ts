import type { components } from '@hangar/sdk';
import type { NextFunction, RequestHandler } from 'express';
import type { OperationRoute } from './auth/access-table.js';
import { ProblemError } from './problems.js';

/** The RFC 6749 section 5.2 error codes the contract's `OAuthError` declares. */
export type OAuthErrorCode = 'invalid_request' | 'invalid_grant' | 'unauthorized_client';

/** The `error_uri`s the contract's `OAuthError` declares: a stable name for each told case. */
export type OAuthErrorUri = NonNullable<components['schemas']['OAuthError']['error_uri']>;

/**
 * An OAuth refusal (RFC 6749 section 5.2): answered 400 `{ error, error_description }`, with
 * `error_uri` when `uri` is given (the contract's stable name of the case, which clients key
 * on; the description is for people).
 */
export class OAuthRefusal extends Error {
  readonly error: OAuthErrorCode;
  readonly uri: OAuthErrorUri | undefined;
  constructor(error: OAuthErrorCode, description: string, uri?: OAuthErrorUri) {
    super(description);
    this.name = 'OAuthRefusal';
    this.error = error;
    this.uri = uri;
  }
}

/** Whether the contract declares `route`'s 400 as `application/json` (an OAuth error), not a problem. */
export function answersOAuthErrors(route: OperationRoute): boolean {
  return route.operation.responses['400']?.content['application/json'] !== undefined;
}

/**
 * The answer for `error` when it is an OAuth one: an {@link OAuthRefusal}, or a request the
 * body or contract validation refused (`validation_failed`, `malformed_json`, naming the field)
 * as `invalid_request`; else undefined (a problem, answered by the problem handler).
 */
function oauthAnswer(error: unknown): components['schemas']['OAuthError'] | undefined {
  if (error instanceof OAuthRefusal) {
    const { error: code, message, uri } = error;
    return { error: code, error_description: message, ...(uri ? { error_uri: uri } : {}) };
  }
  if (
    error instanceof ProblemError &&
    (error.code === 'validation_failed' || error.code === 'malformed_json')
  ) {
    return { error: 'invalid_request', error_description: error.message };
  }
  return undefined;
}

/**
 * `steps` of an operation whose 400 is an OAuth error (exchangeToken), each made to answer an
 * OAuth error itself (400 `{ error, error_description }`, RFC 6749 section 5.2, with
 * `Cache-Control: no-store`) instead of passing it on; other errors go on to the problem handler.
 */
export function withOAuthErrors(steps: RequestHandler[]): RequestHandler[] {
  return steps.map(
    (step): RequestHandler =>
      (req, res, next) => {
        const failed = (error: unknown) => {
          const answer = oauthAnswer(error);
          if (!answer || res.headersSent) return next(error);
          res.status(400).set('Cache-Control', 'no-store').json(answer);
        };
        const forward: NextFunction = (error?: unknown) =>
          error !== undefined && error !== 'route' ? failed(error) : next(error);
        try {
          const result = step(req, res, forward) as unknown;
          if (result instanceof Promise) result.catch(failed);
        } catch (error) {
          failed(error);
        }
      },
  );
}
