// Answers to requests Node's HTTP parser refuses before Fastify sees them (headers or URL over the
// size limit, a malformed request line, a client too slow to send its headers). Fastify's default
// writes its own JSON; this writes the Harness ErrorDTO instead (SPEC §2: every error is the envelope),
// then closes the connection, as Node and Fastify do.
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { KeysmithError } from '../domain/errors.js';
import { errorBody } from './errors.js';

const ANSWERS: Record<string, { status: number; reason: string; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, reason: 'Request Header Fields Too Large', message: 'Request headers (or URL) too large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'Request Timeout', message: 'Request timed out' },
};
const DEFAULT_ANSWER = { status: 400, reason: 'Bad Request', message: 'The request is not valid HTTP' };

export function clientErrorAnswer(code: string | undefined): string {
  const answer = (code && ANSWERS[code]) || DEFAULT_ANSWER;
  const id = randomUUID();
  const body = JSON.stringify(errorBody(new KeysmithError('INVALID_REQUEST', answer.message, answer.status), id));
  return `HTTP/1.1 ${answer.status} ${answer.reason}\r\nContent-Type: application/json; charset=utf-8\r\n`
    + `Content-Length: ${Buffer.byteLength(body)}\r\nX-Correlation-Id: ${id}\r\nConnection: close\r\n\r\n${body}`;
}

export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) socket.write(clientErrorAnswer(err.code));
  socket.destroy(err);
}
