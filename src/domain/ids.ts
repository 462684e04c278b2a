// Random identifiers from the CSPRNG. Characters are drawn by rejection sampling, so every
// character of the alphabet is equally likely (no modulo bias).
import { randomBytes, randomUUID } from 'node:crypto';

export const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function randomString(length: number, alphabet: string = ALPHANUMERIC): string {
  const n = alphabet.length;
  if (n < 2 || n > 256) throw new Error('alphabet must have 2..256 characters');
  // Largest multiple of n that fits in a byte: bytes at or above it are rejected.
  const limit = 256 - (256 % n);
  let out = '';
  while (out.length < length) {
    const bytes = randomBytes(Math.ceil((length - out.length) * 1.3) + 4);
    for (let i = 0; i < bytes.length && out.length < length; i++) {
      const b = bytes[i];
      if (b < limit) out += alphabet[b % n];
    }
  }
  return out;
}

/** 22 characters of [A-Za-z0-9], the shape of Harness account and user ids. */
export const newAccountId = () => randomString(22);
export const newUserId = () => randomString(22);
export const newUuid = () => randomUUID();
/** 24 lower-case hex characters: the server-side token id embedded in token values. */
export const newTokenId = () => randomBytes(12).toString('hex');
