import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';
import { PACKAGE } from '../package-info.js';

/**
 * The contract as YAML: `dist/openapi.yaml` in an installed package (scripts/copy-contract.mjs),
 * else the workspace's `openapi/hangar.yaml` (tests running `src/`).
 */
function contractYamlPath(): string {
  const candidates = [
    new URL('../openapi.yaml', import.meta.url),
    new URL('../../../../openapi/hangar.yaml', import.meta.url),
  ].map((url) => fileURLToPath(url));
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error('openapi contract not found: run the build');
  return found;
}

/**
 * What a person or a tool finds at the server's root, without a token (as the GitHub API answers
 * `GET /` with an index): `GET /` is a short JSON index (name, version, where the API, its
 * contract and the docs are), `GET /openapi.yaml` the OpenAPI 3.1 contract the server implements.
 */
export function metaRouter(): Router {
  const router = express.Router({ strict: true, caseSensitive: true });
  const yamlPath = contractYamlPath();
  router.get('/', (_req, res) => {
    res.json({
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
  return router;
}
