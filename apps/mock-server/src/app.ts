import type { Contract } from '@hangar/contract';
import express, { type Express, type RequestHandler } from 'express';
import { type OperationRoute, readOperations } from './auth/access-table.js';
import { authenticateRequest, type Caller } from './auth/authenticate.js';
import { workingUntil } from './auth/authorize.js';
import { formatTimeMs } from './clock.js';
import { type Handler, OperationContext } from './context.js';
import { contractValidation } from './contract-validation.js';
import { corsForOrigins } from './cors-origins.js';
import { notFoundHandler, problemHandler } from './error-handler.js';
import { requestSource } from './events.js';
import { faultStep } from './faults.js';
import { hostCheck } from './host-check.js';
import { IdempotencyKeys } from './idempotency.js';
import { journalRecorder } from './journal.js';
import { sendJson } from './json-reply.js';
import { answersOAuthErrors, withOAuthErrors } from './oauth-errors.js';
import { OIDC_PATH } from './oidc-provider.js';
import type { OperationId, Reply } from './operations.js';
import type { RateLimits } from './rate-limits.js';
import { requestBody } from './request-body.js';
import { requestId } from './request-id.js';
import { requestLog } from './request-log.js';
import { accessCheckHandlers } from './routes/access-checks.js';
import { type AdminControls, adminRouter } from './routes/admin.js';
import { appHandlers } from './routes/apps.js';
import { eventHandlers } from './routes/events.js';
import { machineHandlers } from './routes/machines.js';
import { metaRouter } from './routes/meta.js';
import { oidcPublicRouter } from './routes/oidc.js';
import { orgHandlers } from './routes/orgs.js';
import { sessionHandlers } from './routes/sessions.js';
import { tokenExchangeHandlers } from './routes/token-exchange.js';
import { tokenHandlers } from './routes/tokens.js';
import { trustPolicyHandlers } from './routes/trust-policies.js';
import { viewerHandlers } from './routes/viewer.js';
import { contractRouter } from './routing.js';
import { serverDate } from './server-date.js';
import type { Services } from './services.js';

/** Every operation of the contract has exactly one handler: a missing one fails typecheck. */
const HANDLERS: { [K in OperationId]: Handler<K> } = {
  ...sessionHandlers,
  ...viewerHandlers,
  ...orgHandlers,
  ...appHandlers,
  ...machineHandlers,
  ...tokenHandlers,
  ...accessCheckHandlers,
  ...eventHandlers,
  ...trustPolicyHandlers,
  ...tokenExchangeHandlers,
};

/** Operations whose authentication leaves no trace (no `last_used_at` write): checkAccess. */
const WITHOUT_SIDE_EFFECTS: ReadonlySet<OperationId> = new Set(['checkAccess']);

/** The response header saying when the token in use expires (the contract's `TokenExpiresAt`). */
export const TOKEN_EXPIRES_AT_HEADER = 'Hangar-Token-Expires-At';

export interface AppOptions {
  contract: Contract;
  admin: AdminControls;
  /** Validate every response against the contract (tests); a mismatch becomes a 500. */
  validateResponses: boolean;
  /** Log each request (request-log.ts); off when the logger is silent. */
  logRequests: boolean;
  /** Origins allowed by CORS besides loopback ones; `*` allows every origin. */
  corsOrigins?: readonly string[];
  /** The interface the server is bound to: a `Host` it answers for (see host-check.ts). */
  boundHost: string;
  /** Further `Host` names it answers for besides loopback ones and `boundHost`. */
  allowedHosts?: readonly string[];
  /** Milliseconds every `/v1` operation waits before it runs (`hangar-mock --latency`). */
  latencyMs?: number;
  /** Rate limits (rate-limits.ts), shared with the admin control that changes them. */
  rateLimits: RateLimits;
  /** How long an `Idempotency-Key` answer is replayed, in seconds (idempotency.ts). */
  idempotencyRetentionSeconds?: number;
}

/**
 * Why a handler's reply breaks the contract (an undeclared status, a body off its schema, a body
 * where none is declared), each a sentence; empty when it conforms.
 */
function replyViolations(contract: Contract, route: OperationRoute, status: number, body: unknown) {
  const mediaType = body === undefined ? undefined : 'application/json';
  const declared = route.operation.responses[String(status)];
  if (declared && mediaType === undefined) {
    return Object.keys(declared.content).length === 0 ? [] : [`${status} must have a body`];
  }
  return contract.validators.response(route.operation, status, mediaType ?? '', body);
}

function operationHandler(
  services: Services,
  route: OperationRoute,
  validateWith: Contract | undefined,
): RequestHandler {
  const handler = HANDLERS[route.operationId] as Handler<OperationId> | undefined;
  if (!handler) throw new Error(`no handler for operation ${route.operationId}`);
  return (req, res) => {
    const caller = res.locals.caller as Caller | undefined;
    const ctx = new OperationContext(services, route.access, req, caller);
    const send = (reply: Reply<OperationId>) => {
      const { status, body } = reply as { status: number; body?: unknown };
      if (validateWith) {
        const violations = replyViolations(validateWith, route, status, body);
        if (violations.length > 0) {
          throw new Error(
            `${route.operationId} reply breaks the contract: ${violations.join('; ')}`,
          );
        }
      }
      if (body === undefined) return void res.status(status).end();
      sendJson(res, status, body);
    };
    const reply = handler(ctx);
    if (reply instanceof Promise) return reply.then(send);
    send(reply);
  };
}

/**
 * Step 1 of the authorization order, before validation: who is calling. Every answer to an
 * authenticated request then says when the token stops working (RFC 3339) in
 * `Hangar-Token-Expires-At`, errors included: its effective not-after, or the end of its grace
 * period when rotated, whichever comes first (workingUntil).
 */
function authenticator(
  services: Services,
  route: OperationRoute,
  idempotency: IdempotencyKeys,
): RequestHandler {
  const recordUse = !WITHOUT_SIDE_EFFECTS.has(route.operationId);
  // A self-revocation or self-rotation retried with its key replays its answer (idempotency.ts).
  const ownReplay = idempotency.ownReplayCheck(route);
  return (req, res, next) => {
    const caller = authenticateRequest(services, req.headers.authorization, {
      recordUse,
      source: () => requestSource(req),
      ...(ownReplay ? { mayReplay: (token) => ownReplay(req, token) } : {}),
    });
    res.locals.caller = caller;
    // When the token stops working: a rotated token in its grace is refused at the grace's end.
    const until = workingUntil(caller);
    if (until !== null) res.setHeader(TOKEN_EXPIRES_AT_HEADER, formatTimeMs(until * 1000));
    next();
  };
}

/**
 * The Express app: the server clock's `Date` (server-date.ts), the `Host` check (421 for a host it does not serve, host-check.ts), CORS
 * (loopback origins and `corsOrigins`), request logs, the index at `/` and the contract at
 * `/openapi.yaml` (routes/meta.ts), test controls under `/_admin`, then 400 for a path parameter
 * that does not decode, 405 for a method a contract path does not have, then each contract
 * operation, matched strictly by the contract's own matchers (routing.ts): authentication
 * (operations with security), the body (request-body.ts: JSON only, 64 KiB), contract
 * validation (contract-validation.ts), the operation's handler, whose reply is checked against
 * the contract when `validateResponses` is on (a mismatch is a 500 `internal`, logged); anything
 * else is a 404 problem, and every error leaves through the one problem+json handler. HEAD runs
 * the GET operation (no body).
 */
export function createApp(services: Services, options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // First, so every answer (the 421, a CORS preflight) carries the server clock's Date.
  app.use(serverDate(() => services.clock.nowMs()));
  app.use(hostCheck({ boundHost: options.boundHost, allowedHosts: options.allowedHosts }));
  app.use(corsForOrigins(options.corsOrigins));
  app.use(requestId());
  if (options.logRequests) app.use(requestLog(services.logger));
  app.use(journalRecorder(options.admin.journal, () => services.clock.nowMs()));

  app.use(metaRouter());
  app.use('/_admin', adminRouter(services, options.admin));
  app.use(OIDC_PATH, oidcPublicRouter(options.admin.oidc));

  const contract = options.contract;
  const routes = readOperations(contract);
  const validateWith = options.validateResponses ? contract : undefined;
  const idempotency = new IdempotencyKeys(services, options.idempotencyRetentionSeconds);
  // Per operation: latency and fault rules (faults.ts: a fault answers before anything else),
  // rate limit per address, authentication (before the body is read or validated: 401 comes
  // before 400), rate limit per token, JSON body, contract validation, login limits,
  // Idempotency-Key (POST and DELETE), handler. A fault that drops the connection after the
  // commit wraps `res.end` before idempotency.ts does, so the answer is stored, then dropped.
  const stepsFor = (route: OperationRoute): RequestHandler[] => {
    const limits = options.rateLimits.steps(route);
    const steps = [
      faultStep(options.admin.faults, route.operationId, options.latencyMs ?? 0),
      ...limits.beforeAuth,
      ...(route.secured ? [authenticator(services, route, idempotency), ...limits.afterAuth] : []),
      ...requestBody(route),
      contractValidation(contract, route),
      ...limits.afterValidation,
      ...idempotency.steps(route),
      operationHandler(services, route, validateWith),
    ];
    // An operation whose 400 is an OAuth error (exchangeToken) answers its refusals so.
    return answersOAuthErrors(route) ? withOAuthErrors(steps) : steps;
  };
  app.use(contractRouter(contract, routes, stepsFor));
  app.use(notFoundHandler());
  app.use(problemHandler(services.logger));
  return app;
}
