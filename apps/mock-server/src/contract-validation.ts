import type { RequestHandler } from 'express';
import { OpenApiSpecLoader } from 'express-openapi-validator/dist/framework/openapi.spec.loader.js';
import type {
  OpenAPIV3,
  OpenApiRequest,
  OpenApiRequestMetadata,
  ValidateResponseOpts,
} from 'express-openapi-validator/dist/framework/types.js';
import {
  RequestValidator,
  ResponseValidator,
} from 'express-openapi-validator/dist/middlewares/index.js';
import { SchemaPreprocessor } from 'express-openapi-validator/dist/middlewares/parsers/schema.preprocessor.js';
import { OpenApiValidator } from 'express-openapi-validator/dist/openapi.validator.js';
import type { OperationRoute } from './auth/access-table.js';
import type { ContractDocument } from './contract.js';

export interface ContractValidationOptions {
  /** Validate every response against the contract (tests); a mismatch becomes a 500. */
  validateResponses: boolean;
}

interface Loaded {
  apiDoc: OpenAPIV3.DocumentV3_1;
  responseDoc: OpenAPIV3.DocumentV3_1 | undefined;
  serial: number;
  requests: RequestValidator;
  responses: RequestHandler | undefined;
}

type Operation = OpenAPIV3.OperationObject;

/**
 * express-openapi-validator's own request (and response) validators, run per operation from the
 * route Express already matched, instead of through its `middleware()`. That middleware finds the
 * operation itself on every request (`lookupRoute` compiles path-to-regexp for each contract path
 * until one matches: cdimascio/express-openapi-validator pull request 1217) and chains five
 * promise-wrapped steps; here the operation is known when the route is built, so the request
 * goes straight to `RequestValidator.validate` — the same Ajv validators, coercion, unknown-query
 * check, content-type check and errors (400/415 `HttpError`s with `errors[]`) as before.
 *
 * Loading is asynchronous (the validator bundles `$ref`s and checks the contract against the
 * OpenAPI 3.1 schema); requests arriving before it is done wait for it.
 *
 * @returns a factory of one validation middleware per operation route.
 */
export function contractValidation(
  contract: ContractDocument,
  options: ContractValidationOptions,
): (route: OperationRoute) => RequestHandler {
  const validator = new OpenApiValidator({
    // The validator resolves $refs in place: give it its own copy of the contract.
    apiSpec: structuredClone(contract) as unknown as OpenAPIV3.DocumentV3_1,
    // allErrors: a problem lists every failing field, not just the first (bodies are <= 64 KiB).
    validateRequests: { allowUnknownQueryParameters: false, allErrors: true } as {
      allowUnknownQueryParameters: boolean;
    },
    validateResponses: options.validateResponses,
    validateSecurity: false,
  });
  let loaded: Loaded | undefined;
  const loading = new OpenApiSpecLoader({
    apiDoc: structuredClone(contract) as unknown as OpenAPIV3.DocumentV3_1,
    validateApiSpec: validator.options.validateApiSpec,
    $refParser: validator.options.$refParser,
  })
    .load()
    .then((spec) => {
      const apiDoc = spec.apiDoc as OpenAPIV3.DocumentV3_1;
      const responseOptions = validator.options.validateResponses;
      const preprocessed = new SchemaPreprocessor(
        apiDoc,
        validator.ajvOpts.preprocessor,
        // As the validator passes it: false when responses are not validated.
        responseOptions as ValidateResponseOpts,
      ).preProcess();
      const responseDoc = preprocessed.apiDocRes as OpenAPIV3.DocumentV3_1 | undefined;
      loaded = {
        apiDoc,
        responseDoc,
        serial: spec.serial,
        requests: new RequestValidator(apiDoc, validator.ajvOpts.request),
        responses:
          responseOptions && responseDoc
            ? new ResponseValidator(
                responseDoc,
                validator.ajvOpts.response,
                responseOptions,
                spec.serial,
              ).validate()
            : undefined,
      };
      return loaded;
    });
  // Surfaces on the first request instead (as an error for it); avoid an unhandled rejection.
  loading.catch(() => undefined);

  return (route) => {
    const method = route.method;
    const metadataFor = (state: Loaded, req: Parameters<RequestHandler>[0]) => {
      const metadata: OpenApiRequestMetadata & { _responseSchema?: Operation } = {
        expressRoute: route.expressPath,
        openApiRoute: route.path,
        pathParams: req.params as Record<string, string>,
        schema: state.apiDoc.paths?.[route.path]?.[method] as Operation,
        serial: state.serial,
      };
      if (state.responseDoc) {
        metadata._responseSchema = state.responseDoc.paths?.[route.path]?.[method] as Operation;
      }
      return metadata;
    };
    return (req, res, next) => {
      // As the validator's own middleware chain: request checks (throwing an HttpError), then the
      // response check hooks res.json.
      const run = (state: Loaded) => {
        (req as OpenApiRequest).openapi = metadataFor(state, req);
        const { responses } = state;
        state.requests.validate(req as OpenApiRequest, res, () =>
          responses ? responses(req, res, next) : next(),
        );
      };
      if (loaded) return run(loaded);
      loading.then(run).catch(next);
    };
  };
}
