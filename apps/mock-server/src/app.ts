import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { allowedMethods } from './allowed-methods.js';
import { type OperationRoute, readOperations } from './auth/access-table.js';
import { authenticateRequest, type Caller } from './auth/authenticate.js';
import { type Handler, OperationContext } from './context.js';
import type { ContractDocument } from './contract.js';
import { contractValidation } from './contract-validation.js';
import { corsForOrigins } from './cors-origins.js';
import { notFoundHandler, problemHandler } from './error-handler.js';
import { hostCheck } from './host-check.js';
import type { OperationId, Reply } from './operations.js';
import { decodablePathParams } from './path-params.js';
import { redactTokens } from './redact.js';
import { requestBody } from './request-body.js';
import { type AdminControls, adminRouter } from './routes/admin.js';
import { metaRouter } from './routes/meta.js';
import { appHandlers } from './routes/apps.js';
import { machineHandlers } from './routes/machines.js';
import { orgHandlers } from './routes/orgs.js';
import { sessionHandlers } from './routes/sessions.js';
import { tokenHandlers } from './routes/tokens.js';
import { viewerHandlers } from './routes/viewer.js';
import type { Services } from './services.js';

/** Every operation of the contract has exactly one handler: a missing one fails typecheck. */
const HANDLERS: { [K in OperationId]: Handler<K> } = {
  ...sessionHandlers,
  ...viewerHandlers,
  ...orgHandlers,
  ...appHandlers,
  ...machineHandlers,
  ...tokenHandlers,
};

export interface AppOptions {
  contract: ContractDocument;
  admin: AdminControls;
  /** Validate every response against the contract (tests); a mismatch becomes a 500. */
  validateResponses: boolean;
  /** Log each request (pino-http); off when the logger is silent. */
  logRequests: boolean;
  /** Origins allowed by CORS besides loopback ones; `*` allows every origin. */
  corsOrigins?: readonly string[];
  /** The interface the server is bound to: a `Host` it answers for (see host-check.ts). */
  boundHost: string;
  /** Further `Host` names it answers for besides loopback ones and `boundHost`. */
  allowedHosts?: readonly string[];
}

function operationHandler(services: Services, route: OperationRoute): RequestHandler {
  const handler = HANDLERS[route.operationId] as Handler<OperationId> | undefined;
  if (!handler) throw new Error(`no handler for operation ${route.operationId}`);
  return (req, res) => {
    const caller = res.locals.caller as Caller | undefined;
    const ctx = new OperationContext(services, route.access, req, caller);
    const send = (reply: Reply<OperationId>) => {
      const { status, body } = reply as { status: number; body?: unknown };
      if (body === undefined) return void res.status(status).end();
      res.status(status).json(body);
    };
    const reply = handler(ctx);
    if (reply instanceof Promise) return reply.then(send);
    send(reply);
  };
}

/** Step 1 of the authorization order, before validation: who is calling. */
function authenticator(services: Services): RequestHandler {
  return (req, res, next) => {
    res.locals.caller = authenticateRequest(services, req.headers.authorization);
    next();
  };
}

/**
 * The Express app: the `Host` check (421 for a host it does not serve, host-check.ts), CORS
 * (loopback origins and `corsOrigins`), request logs, the index at `/` and the contract at
 * `/openapi.yaml` (routes/meta.ts), test controls under `/_admin`, then 400 for a path parameter
 * that does not decode (path-params.ts), 405 for a method a contract path does not have, then
 * one Express route per contract operation, matched strictly (no trailing slash, case-sensitive):
 * authentication (operations with security), the body (request-body.ts: JSON only, 64 KiB),
 * contract validation (express-openapi-validator's validators, see contract-validation.ts), the
 * operation's handler; anything else is a 404 problem, and every error leaves through the one
 * problem+json handler. Express answers HEAD with the GET route (no body).
 */
export function createApp(services: Services, options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(hostCheck({ boundHost: options.boundHost, allowedHosts: options.allowedHosts }));
  app.use(corsForOrigins(options.corsOrigins));
  if (options.logRequests) app.use(httpLogger(services.logger));

  app.use(metaRouter());
  app.use('/_admin', adminRouter(services, options.admin));

  const routes = readOperations(options.contract);
  const validation = contractValidation(options.contract, {
    validateResponses: options.validateResponses,
  });
  const authenticate = authenticator(services);
  // One route per operation, matched once: authentication (before the body is read or
  // validated: 401 comes before 400), JSON body, contract validation, handler. Strict and
  // case-sensitive: `/v1/apps/x/` is not `/v1/apps/x` (a client that built the path from `..`
  // must not delete the app).
  const operations = express.Router({ strict: true, caseSensitive: true });
  for (const route of routes) {
    const steps: RequestHandler[] = route.secured ? [authenticate] : [];
    steps.push(...requestBody(route), validation(route), operationHandler(services, route));
    operations[route.method](route.expressPath, ...steps);
  }
  app.use(decodablePathParams(routes));
  app.use(allowedMethods(routes));
  app.use(operations);
  app.use(notFoundHandler());
  app.use(problemHandler(services.logger));
  return app;
}

/**
 * pino-http logging method, URL and status only (no headers, no bodies), with token strings in
 * the URL redacted (redact.ts).
 */
function httpLogger(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    quietReqLogger: true,
    serializers: {
      req: (req: { method: string; url: string; id: unknown }) => ({
        id: req.id,
        method: req.method,
        url: redactTokens(req.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}
