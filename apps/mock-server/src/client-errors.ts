import { maxHeaderSize, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { type ProblemCode, problem } from './problems.js';
import { httpDate } from './server-date.js';

function problemFor(error: NodeJS.ErrnoException): { code: ProblemCode; detail: string } {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    const kib = Math.round(maxHeaderSize / 1024);
    return {
      code: 'request_header_fields_too_large',
      detail: `The request line and headers are larger than the server accepts (${kib} KiB)`,
    };
  }
  return { code: 'bad_request', detail: 'The request is not valid HTTP/1.1' };
}

/**
 * A complete HTTP/1.1 response that closes the connection, for a socket with no request object.
 * @param nowMs the server clock in ms, for the `Date` header (RFC 9110 section 6.6.1)
 */
function rawResponse(
  status: number,
  headers: Record<string, string>,
  body: string,
  nowMs: number,
): string {
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`, `Date: ${httpDate(nowMs)}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  lines.push(`Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close', '', body);
  return lines.join('\r\n');
}

/**
 * Answers requests Node's HTTP parser refuses before Express sees them, as problem+json instead
 * of Node's bare status line: headers over `http.maxHeaderSize` (16 KiB by default) get 431
 * `request_header_fields_too_large`, any other parse error 400 `bad_request`; a request timeout
 * keeps Node's bare 408. The connection is closed after the answer. Resets, and sockets already
 * writing a response, are just destroyed (as Node does). The response a socket is writing is
 * tracked from the server's `request` event (the last response of each socket: in flight while
 * its headers are sent and it has not finished). Each answer's `Date` is `nowMs()`, the server
 * clock in ms, as on every other answer (server-date.ts).
 */
export function answerClientErrors(server: Server, logger: Logger, nowMs: () => number): void {
  const lastResponse = new WeakMap<Duplex, ServerResponse>();
  server.on('request', (req, res: ServerResponse) => lastResponse.set(req.socket, res));
  const writing = (socket: Duplex) => {
    const response = lastResponse.get(socket);
    return response?.headersSent === true && !response.writableFinished;
  };
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable || writing(socket)) {
      socket.destroy();
      return;
    }
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      socket.end(rawResponse(408, {}, '', nowMs()), () => socket.destroy());
      return;
    }
    const { code, detail } = problemFor(error);
    const body = problem(code, detail);
    logger.info({ err_code: error.code, status: body.status }, 'refused an unparsable request');
    const response = rawResponse(
      body.status,
      { 'Content-Type': 'application/problem+json' },
      JSON.stringify(body.toBody()),
      nowMs(),
    );
    socket.end(response, () => socket.destroy());
  });
}
