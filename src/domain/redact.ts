// Removes secrets from anything that is about to be stored in the audit trail or written to a log:
// fields that hold passwords, hashes or token values, and any string shaped like a token value.

// Whole words only: `ops@compat.corp.example.com` holds no token value.
export const TOKEN_VALUE_RE = /(?<![A-Za-z0-9])(?:pat|sat)\.[A-Za-z0-9]{1,64}\.[A-Za-z0-9]{1,64}\.[A-Za-z0-9]{1,64}(?![A-Za-z0-9])/g;
const SECRET_KEYS = new Set([
  'password', 'passwordhash', 'password_hash', 'currentpassword', 'newpassword', 'secret', 'secrethash',
  'secret_hash', 'tokenvalue', 'csrftoken', 'csrf_token', 'x-api-key', 'authorization', 'cookie',
]);

export const REDACTED = '[REDACTED]';

export function redactString(s: string): string {
  return s.replace(TOKEN_VALUE_RE, REDACTED);
}

export function redact<T>(value: T): T {
  if (typeof value === 'string') return redactString(value) as T;
  if (Array.isArray(value)) return value.map((v) => redact(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (SECRET_KEYS.has(k.toLowerCase())) continue;
      out[redactString(k)] = redact(v); // a key is the client's text too (a tag's, say)
    }
    return out as T;
  }
  return value;
}
