// @ts-check
/**
 * Baseline: plain node:http returning fixed JSON bytes for every request (no routing, no auth,
 * no database): the ceiling for one Node process on this machine.
 * Usage: node plain-http.mjs <body-file>; prints its URL on stdout.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [bodyFile] = process.argv.slice(2);
if (!bodyFile) throw new Error('usage: plain-http.mjs <body-file>');
const body = readFileSync(bodyFile);
const headers = {
  'content-type': 'application/json; charset=utf-8',
  'content-length': String(body.length),
};

const server = createServer((_req, res) => {
  res.writeHead(200, headers);
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') {
    process.stdout.write(`plain node:http listening on http://127.0.0.1:${address.port}\n`);
  }
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
