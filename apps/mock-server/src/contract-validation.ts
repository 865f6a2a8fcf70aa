import type { Contract } from '@hangar/contract';
import type { RequestHandler } from 'express';
import type { OperationRoute } from './auth/access-table.js';
import { problem } from './problems.js';
import { bodyMediaType } from './request-body.js';

/**
 * Request validation against the contract, through `@hangar/contract`'s validators (Ajv, JSON
 * Schema 2020-12, compiled once per operation):
 * - a required body that is absent without a `Content-Type`: 415 `unsupported_media_type`
 *   (with `Content-Type: application/json` and no bytes, its fields are reported missing);
 * - an unknown or empty query parameter: 400 `validation_failed` naming it (`query.colour`);
 * - else every failing field of the path, the query and the body, each named (`path.app`,
 *   `query.limit`, `body.name`) with Ajv's message, a `pattern` stated by the contract's
 *   `x-hangar-rule`, an unknown body field as `unknown field "x"`.
 * Path and query parameters reach the handler with their schema's types (`limit=5` is 5); an
 * integer one written other than in decimal digits (`1e1`, `+5`, `0x10`) is refused, naming it.
 * Runs after request-body.ts (415 for other media types, 413, malformed JSON).
 */
export function contractValidation(contract: Contract, route: OperationRoute): RequestHandler {
  const { operation } = route;
  const bodyRequired = operation.requestBody?.required === true;
  return (req, _res, next) => {
    let body = req.body as unknown;
    if (body === undefined && bodyRequired) {
      if (req.headers['content-type'] === undefined) {
        const type = bodyMediaType(route);
        return next(problem('unsupported_media_type', `Send the request body as ${type}`));
      }
      body = {};
    }
    const { errors, params, query } = contract.validators.request(operation, {
      params: req.params as Record<string, string>,
      query: req.query as Record<string, string | string[] | undefined>,
      body,
    });
    if (errors.length > 0) {
      const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
      return next(problem('validation_failed', detail, { errors }));
    }
    req.params = params as Record<string, string>;
    // Express 5 computes `req.query` from the URL on every read; the handler reads the typed one.
    Object.defineProperty(req, 'query', { value: query, configurable: true, enumerable: true });
    next();
  };
}
