// The one way the console talks to keysmith: the Harness envelope unwrapped, the session's CSRF
// token on every change, and every failure turned into an ApiError the pages can put into words.
import { ApiError, type ErrorBody } from './errors';

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];
export type Query = Record<string, QueryValue>;

let csrfToken: string | null = null;
let onSessionLost: (() => void) | null = null;

/** Set by the session provider after login or a session check. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the server says the session is gone (401 UNAUTHORIZED on a cookie request). */
export function setSessionLostHandler(handler: (() => void) | null): void {
  onSessionLost = handler;
}

export function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.append(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Don't treat a 401 as the end of the session (the login form's own failures). */
  expectUnauthorized?: boolean;
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(path + queryString(options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (cause) {
    if ((cause as Error)?.name === 'AbortError') throw cause;
    throw new ApiError(0, { code: 'NETWORK', message: 'The keysmith server could not be reached.' });
  }

  const text = await res.text();
  let parsed: unknown = undefined;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) {
    try { parsed = JSON.parse(text); } catch { parsed = undefined; }
  }
  const envelope = parsed as { status?: string; data?: T } | undefined;
  if (res.ok && envelope?.status === 'SUCCESS') return envelope.data as T;

  const body: ErrorBody = envelope && typeof envelope === 'object'
    ? (envelope as ErrorBody)
    : { code: res.status === 429 ? 'TOO_MANY_REQUESTS' : 'UNKNOWN_ERROR', message: text.slice(0, 300) || res.statusText };
  const retryAfter = Number(res.headers.get('retry-after'));
  const error = new ApiError(res.status, body, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
  if (res.status === 401 && body.code === 'UNAUTHORIZED' && !options.expectUnauthorized) onSessionLost?.();
  throw error;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown, query?: Query) => request<T>('POST', path, { body: body ?? {}, query }),
  put: <T>(path: string, body?: unknown, query?: Query) => request<T>('PUT', path, { body: body ?? {}, query }),
  delete: <T>(path: string, query?: Query) => request<T>('DELETE', path, { query }),
};
