// The shape of a token value (SPEC §4): `pat.|sat.` + account id + 24-hex token id + 20-character
// secret. Parsing is strict and cheap (no regex over unbounded input); only SHA-256 of the secret is kept.
import { createHash, timingSafeEqual } from 'node:crypto';
import { newTokenId, randomString } from './ids.js';

export type TokenPrefix = 'pat' | 'sat';
export type ApiKeyType = 'USER' | 'SERVICE_ACCOUNT';

export const SECRET_LENGTH = 20;
export const TOKEN_ID_LENGTH = 24;
/** Longest account id a token may carry; generated ones are 22 characters. */
export const MAX_ACCOUNT_ID_LENGTH = 64;
/** Longest well-formed token value: prefix, account, id, secret and three dots. */
export const MAX_TOKEN_LENGTH = 3 + 1 + MAX_ACCOUNT_ID_LENGTH + 1 + TOKEN_ID_LENGTH + 1 + SECRET_LENGTH;

export interface ParsedToken {
  prefix: TokenPrefix;
  accountIdentifier: string;
  tokenId: string;
  secret: string;
}

export interface IssuedToken {
  tokenId: string;
  /** The value shown once to the caller; never stored. */
  value: string;
  /** Hex SHA-256 of the secret: the only thing stored. */
  secretHash: string;
}

export const prefixOf = (type: ApiKeyType): TokenPrefix => (type === 'USER' ? 'pat' : 'sat');

export function formatToken(prefix: TokenPrefix, accountIdentifier: string, tokenId: string, secret: string): string {
  return `${prefix}.${accountIdentifier}.${tokenId}.${secret}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Constant-time comparison of a presented secret with a stored hex hash. */
export function secretMatches(secret: string, storedHash: Buffer | string): boolean {
  const expected = typeof storedHash === 'string' ? Buffer.from(storedHash, 'hex') : storedHash;
  const actual = createHash('sha256').update(secret).digest();
  return expected.length === actual.length && timingSafeEqual(actual, expected);
}

/** A fresh token for an account: new id, new secret from the CSPRNG (rejection sampling). */
export function issueToken(type: ApiKeyType, accountIdentifier: string): IssuedToken {
  const tokenId = newTokenId();
  const secret = randomString(SECRET_LENGTH);
  return { tokenId, value: formatToken(prefixOf(type), accountIdentifier, tokenId, secret), secretHash: hashSecret(secret) };
}

// Character classes by code: a lookup is cheaper than a regex and cannot backtrack.
const ALNUM = new Uint8Array(128);
const LOWER_HEX = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  ALNUM[c] = /[A-Za-z0-9]/.test(ch) ? 1 : 0;
  LOWER_HEX[c] = /[0-9a-f]/.test(ch) ? 1 : 0;
}

function allOf(table: Uint8Array, s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || table[c] === 0) return false;
  }
  return true;
}

/**
 * A presented token value cut into its parts by its shape alone — prefix, dots and lengths — with
 * no check of the characters in between; null when the shape is wrong. Enough where every part is
 * then compared with stored values (the cache of verified tokens: its ids, accounts and secret
 * digests); anything else must `parseToken`.
 */
export function splitToken(raw: string): ParsedToken | null {
  if (typeof raw !== 'string' || raw.length > MAX_TOKEN_LENGTH || raw.length < 4 + 1 + TOKEN_ID_LENGTH + 1 + SECRET_LENGTH + 1) {
    return null;
  }
  const prefix = raw.startsWith('pat.') ? 'pat' : raw.startsWith('sat.') ? 'sat' : null;
  if (!prefix) return null;
  const accountEnd = raw.indexOf('.', 4);
  if (accountEnd <= 4 || accountEnd - 4 > MAX_ACCOUNT_ID_LENGTH) return null;
  const idEnd = accountEnd + 1 + TOKEN_ID_LENGTH;
  if (raw.charCodeAt(idEnd) !== 46 /* . */ || raw.length !== idEnd + 1 + SECRET_LENGTH) return null;
  return {
    prefix,
    accountIdentifier: raw.slice(4, accountEnd),
    tokenId: raw.slice(accountEnd + 1, idEnd),
    secret: raw.slice(idEnd + 1),
  };
}

/** Parses a presented token value; null for anything that is not exactly the documented shape. */
export function parseToken(raw: string): ParsedToken | null {
  const parts = splitToken(raw);
  if (!parts) return null;
  const accountEnd = 4 + parts.accountIdentifier.length;
  const idEnd = accountEnd + 1 + TOKEN_ID_LENGTH;
  if (!allOf(ALNUM, raw, 4, accountEnd)) return null;
  if (!allOf(LOWER_HEX, raw, accountEnd + 1, idEnd)) return null;
  if (!allOf(ALNUM, raw, idEnd + 1, raw.length)) return null;
  return parts;
}

/** The public secret-scanning rule for Harness tokens, which keysmith's values match. */
export const HARNESS_SCANNER_RE = /(?:pat|sat)\.[a-zA-Z0-9]{22}\.[a-zA-Z0-9]{24}\.[a-zA-Z0-9]{20}/;
