import { documentYamlPath } from '@hangar/contract';
import express, { type Router } from 'express';
import { sendJson } from '../json-reply.js';
import { PACKAGE } from '../package-info.js';
import { problem } from '../problems.js';

/**
 * What a person or a tool finds at the server's root, without a token (as the GitHub API answers
 * `GET /` with an index): `GET /` is a short JSON index (name, version, where the API, its
 * contract and the docs are), `GET /openapi.yaml` the OpenAPI 3.1 contract the server implements.
 * Any other method on them (OPTIONS too, when it is not a CORS preflight: cors-origins.ts answers
 * those first) is 405 `method_not_allowed` with `Allow: GET, HEAD`, as on every other path the
 * server has; without it, Express would answer OPTIONS itself with a 200 text body.
 */
export function metaRouter(): Router {
  const router = express.Router({ strict: true, caseSensitive: true });
  const yamlPath = documentYamlPath('hangar');
  router.get('/', (_req, res) => {
    sendJson(res, 200, {
      name: 'hangar-mock',
      version: PACKAGE.version,
      description: 'A local emulator of the Hangar API that enforces every token rule',
      api: '/v1',
      contract: '/openapi.yaml',
      admin: '/_admin (X-Hangar-Admin-Key; described by openapi/hangar-admin.yaml)',
      docs: 'https://www.npmjs.com/package/@hangar/mock-server',
    });
  });
  router.get('/openapi.yaml', (_req, res) => {
    res.type('application/yaml').sendFile(yamlPath);
  });
  router.all(['/', '/openapi.yaml'], (req, res) => {
    res.set('Allow', 'GET, HEAD');
    throw problem('method_not_allowed', `${req.method} is not allowed on ${req.path}; use GET`);
  });
  return router;
}
