// Turns every failure into the Harness envelope: FailureDTO for schema validation, ErrorDTO for
// everything else, with Fastify's own errors (bad JSON, body too large, wrong content type) mapped
// to 4xx. An unexpected error is a logged 500 with no internals in the body.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { invalidRequest, KeysmithError, Messages } from '../domain/errors.js';
import { MAX_PAGE_SIZE } from './envelope.js';
import { PATTERN_MESSAGES } from '../domain/validation.js';
import { newCorrelationId } from './correlation-id.js';
import { redact, redactString } from '../domain/redact.js';

export interface FieldError { fieldId: string; error: string }

/** Input refused field by field, outside schema validation: answered as a FailureDTO. */
export class InvalidFields extends Error {
  constructor(readonly fields: FieldError[]) {
    super(fields.map((e) => `${e.fieldId}: ${e.error}`).join(', '));
    this.name = 'InvalidFields';
  }
}

/**
 * Every message an error answer carries names what the client sent (an identifier, a sort order, a
 * scope): a token value sent in one of those places is left out (SPEC §4: never in an error message).
 */
export function errorBody(error: KeysmithError, correlationId: string) {
  const message = redactString(error.message);
  const body: Record<string, unknown> = {
    status: 'ERROR',
    code: error.code,
    message,
    correlationId,
    detailedMessage: null,
    responseMessages: [{ code: error.code, level: 'ERROR', message }],
  };
  if (error.failedPermissionChecks) body.failedPermissionChecks = redact(error.failedPermissionChecks);
  return body;
}

export function failureBody(errors: FieldError[], correlationId: string) {
  const shown = errors.map((e) => ({ fieldId: redactString(e.fieldId), error: redactString(e.error) }));
  return {
    status: 'FAILURE',
    code: 'INVALID_REQUEST',
    message: shown.map((e) => `${e.fieldId}: ${e.error}`).join(', '),
    correlationId,
    errors: shown,
  };
}

export function notFound(req: FastifyRequest): KeysmithError {
  return new KeysmithError('RESOURCE_NOT_FOUND_EXCEPTION', `No route ${req.method} ${shownPath(req.url)}`);
}

/** A token value where a path holds one, %-escaped or not: from `pat.` or `sat.` to the segment's end. */
const TOKEN_IN_PATH = /(?<!\w)(?:pat|sat)\.[^/]*/gi;

/**
 * A request's path as an error names it: without its query, cut short, and with any token value a
 * client put in it (a token's value in place of its identifier, say) left out — a value is never
 * in an error message (SPEC §3).
 */
function shownPath(url: string): string {
  const raw = url.split('?')[0]!;
  let decoded = raw;
  try { decoded = decodeURIComponent(raw); } catch { /* a malformed escape: read as sent */ }
  const redacted = decoded.replace(TOKEN_IN_PATH, '<token>');
  return (redacted === decoded ? raw : redacted).slice(0, 200);
}

interface AjvError {
  keyword: string; instancePath: string; message?: string; params: Record<string, any>; data?: unknown;
}

function fieldOf(e: AjvError, context: string | undefined): string {
  let path = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (e.keyword === 'required') path = path ? `${path}.${e.params.missingProperty}` : e.params.missingProperty;
  if (!path) return context === 'body' ? 'body' : context ?? 'request';
  // A path holds the caller's own keys (tags, unknown fields): cut it, so an error never echoes
  // a megabyte of input back.
  return path.length > MAX_FIELD_ID ? `${path.slice(0, MAX_FIELD_ID)}…` : path;
}

const MAX_FIELD_ID = 200;

function messageOf(e: AjvError): string {
  switch (e.keyword) {
    case 'required': return 'is required';
    case 'pattern': return PATTERN_MESSAGES[e.params.pattern] ?? `must match ${e.params.pattern}`;
    case 'not': return `${String(e.data)} is a reserved word and cannot be used`;
    case 'type': return `must be ${String(e.params.type).replace(',', ' or ')}`;
    case 'maxLength': return `must be at most ${e.params.limit} characters`;
    case 'minLength': return e.params.limit === 1 ? 'must not be empty' : `must be at least ${e.params.limit} characters`;
    case 'maxProperties': return `must have at most ${e.params.limit} entries`;
    case 'enum': return `must be one of ${(e.params.allowedValues as unknown[]).join(', ')}`;
    case 'const': return `must be ${String(e.params.allowedValue)}`;
    default: return e.message ?? 'is not valid';
  }
}

export function validationErrors(error: FastifyError): FieldError[] {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  const errors = (error.validation ?? []) as AjvError[];
  // A union of literals (an enum written as TypeBox literals) fails once per literal: say it once.
  const literals = new Map<string, unknown[]>();
  for (const e of errors) {
    if (e.keyword !== 'const') continue;
    const fieldId = fieldOf(e, error.validationContext);
    literals.set(fieldId, [...(literals.get(fieldId) ?? []), e.params.allowedValue]);
  }
  for (const e of errors) {
    // anyOf/oneOf wrappers (nullable unions) and if/then guards (guard-schema.ts) add a second,
    // less helpful error for the same field.
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if') continue;
    const fieldId = fieldOf(e, error.validationContext);
    const allowed = e.keyword === 'const' ? literals.get(fieldId)! : [];
    const message = allowed.length > 1 ? `must be one of ${allowed.map(String).join(', ')}`
      : isPageSizeBound(e, error.validationContext) ? `must be at most ${MAX_PAGE_SIZE}` : messageOf(e);
    const key = `${fieldId}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ fieldId, error: message });
  }
  if (out.length === 0) out.push({ fieldId: error.validationContext ?? 'request', error: error.message });
  return out;
}

/**
 * A `pageSize` beyond the safe integers fails the validator's bound (guard-schema.ts) before the
 * route's paging rule can say what any `pageSize` above 100 gets (SPEC §2): it gets that answer too,
 * and among other fields' errors it is said as that rule says it.
 */
function onlyPageSizeTooLarge(error: FastifyError): boolean {
  const errors = (error.validation ?? []) as AjvError[];
  return errors.some((e) => isPageSizeBound(e, error.validationContext)) && errors.every((e) => e.instancePath === '/pageSize');
}

/** The validator's bound on `pageSize`, which says the safe integers where the rule is 100. */
const isPageSizeBound = (e: AjvError, context: string | undefined) =>
  context === 'querystring' && e.instancePath === '/pageSize' && e.keyword === 'maximum';

/** Fastify's own error codes that are the client's fault, with the answer each gets. */
const CLIENT_ERRORS: Record<string, { status: number; message: (e: FastifyError, req: FastifyRequest) => string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, message: () => Messages.bodyTooLarge },
  // Fastify's message names no type: name the one the request sent (printable, and cut short).
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, message: (_e, req) => {
    const sent = req.headers['content-type'];
    const type = typeof sent === 'string' && sent.trim() ? sent.replace(/[^\x20-\x7e]/g, '').trim().slice(0, 100) : 'none';
    return `Unsupported content type: ${type}`;
  } },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, message: () => 'Request body is empty but Content-Type is application/json' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, message: () => 'Request body is not valid JSON' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, message: () => 'Content-Length does not match the body' },
  FST_ERR_CTP_INVALID_TYPE: { status: 400, message: () => 'Invalid Content-Type header' },
  FST_ERR_BAD_URL: { status: 400, message: () => 'The URL is not valid' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, message: () => 'A path parameter is too long' },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400, message: () => 'The request is not valid' },
};

export function handleError(raw: unknown, req: FastifyRequest, reply: FastifyReply, logger: Logger) {
  const correlationId = req.correlationId || newCorrelationId();
  if (raw instanceof KeysmithError) {
    if (raw.headers) reply.headers(raw.headers);
    return reply.code(raw.httpStatus).send(errorBody(raw, correlationId));
  }
  if (raw instanceof InvalidFields) return reply.code(400).send(failureBody(raw.fields, correlationId));
  const error = raw as FastifyError;
  if (error.validation) {
    if (onlyPageSizeTooLarge(error)) return reply.code(400).send(errorBody(invalidRequest(Messages.pageSizeTooLarge), correlationId));
    return reply.code(400).send(failureBody(validationErrors(error), correlationId));
  }
  const known = error.code ? CLIENT_ERRORS[error.code] : undefined;
  if (known) {
    const ks = new KeysmithError('INVALID_REQUEST', known.message(error, req), known.status);
    return reply.code(known.status).send(errorBody(ks, correlationId));
  }
  if (error instanceof SyntaxError || (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)) {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
    const ks = new KeysmithError('INVALID_REQUEST', error instanceof SyntaxError ? 'Request body is not valid JSON' : error.message, status);
    return reply.code(status).send(errorBody(ks, correlationId));
  }
  logger.error({ err: error, correlationId }, 'unexpected error');
  const ks = new KeysmithError('UNKNOWN_ERROR', 'Oops, something went wrong on our end. Please contact support.');
  return reply.code(500).send(errorBody(ks, correlationId));
}
