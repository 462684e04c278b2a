// Answers to requests Node's HTTP server refuses before Fastify sees them (headers or URL over the
// size limit, a malformed request line, a client too slow to send its headers, an Expect it cannot
// meet, a CONNECT). Node and Fastify would write an empty body or their own JSON, or just close the
// connection; these write the Harness ErrorDTO instead (SPEC §2: every error is the envelope), then
// close the connection, as Node does.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { KeysmithError } from '../domain/errors.js';
import { errorBody } from './errors.js';
import { newCorrelationId } from './correlation-id.js';

const ANSWERS: Record<string, { status: number; reason: string; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, reason: 'Request Header Fields Too Large', message: 'Request headers (or URL) too large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'Request Timeout', message: 'Request timed out' },
};
const DEFAULT_ANSWER = { status: 400, reason: 'Bad Request', message: 'The request is not valid HTTP' };

function errorHeadersAndBody(status: number, message: string) {
  const id = newCorrelationId();
  const body = JSON.stringify(errorBody(new KeysmithError('INVALID_REQUEST', message, status), id));
  const headers = {
    'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)),
    'X-Correlation-Id': id, Connection: 'close',
  };
  return { headers, body };
}

/** A whole HTTP response, written straight to the socket: the ErrorDTO, then the connection closes. */
function rawAnswer({ status, reason, message }: { status: number; reason: string; message: string }): string {
  const { headers, body } = errorHeadersAndBody(status, message);
  return `HTTP/1.1 ${status} ${reason}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${body}`;
}

export function clientErrorAnswer(code: string | undefined): string {
  return rawAnswer((code && ANSWERS[code]) || DEFAULT_ANSWER);
}

/**
 * Node's own answers that bypass Fastify: an `Expect` other than 100-continue (417, empty body) and
 * CONNECT (the connection closed without a word) get the ErrorDTO.
 */
export function answerRefusalsInEnvelope(server: Server): void {
  server.on('checkExpectation', (_req: IncomingMessage, res: ServerResponse) => {
    const { headers, body } = errorHeadersAndBody(417, 'Only the expectation 100-continue is supported');
    res.writeHead(417, headers).end(body);
  });
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    // Handed over, the socket is out of the server's timeouts: closed outright once answered.
    socket.end(rawAnswer({ status: 405, reason: 'Method Not Allowed', message: 'CONNECT is not supported' }), () => socket.destroy());
  });
}

export function clientErrorHandler(err: Error & { code?: string }, socket: Duplex): void {
  // A reset connection has nobody left to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) socket.write(clientErrorAnswer(err.code));
  socket.destroy(err);
}
