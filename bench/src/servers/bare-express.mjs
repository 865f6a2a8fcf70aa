// @ts-check
/**
 * Baseline: a bare Express 5 app (default settings: etag, x-powered-by, query parser) returning
 * fixed JSON bytes on one GET route, with no auth and no database.
 * Usage: node bare-express.mjs <body-file> <route-path>; prints its URL on stdout.
 */
import { readFileSync } from 'node:fs';
import express from 'express';

const [bodyFile, route = '/'] = process.argv.slice(2);
if (!bodyFile) throw new Error('usage: bare-express.mjs <body-file> <route-path>');
const body = readFileSync(bodyFile);

const app = express();
app.get(route, (_req, res) => {
  res.type('application/json').send(body);
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') {
    process.stdout.write(`bare express listening on http://127.0.0.1:${address.port}\n`);
  }
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
