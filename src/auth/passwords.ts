// Password hashing with scrypt (N=2^15, r=8, p=1), stored as a self-describing string.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));

/** scrypt's cost: N = 2^15 with r = 8 takes 32 MiB and, on a small server, 50–150 ms. */
export const PASSWORD_HASH_COST = { N: 32768, r: 8, p: 1 } as const;
const KEYLEN = 32;
const MAXMEM = 64 * 1024 * 1024;
let cost: { N: number; r: number; p: number } = PASSWORD_HASH_COST;

/**
 * For the test suite only, run in-process (as Django's test runner swaps in a fast hasher): new
 * hashes at N = 2^10, about 1 ms, since the suite makes thousands of users and logins and the real
 * cost was a third of its CPU time. Hashes name their own cost, so verifying is unchanged; the
 * server and the CLI never call this, and a test checks that a real server's hashes have the full cost.
 */
export function lowerPasswordHashCostForTests(): void {
  if (!process.env.VITEST) throw new Error('the password hash cost is lowered only under the test runner');
  cost = { N: 1024, r: 8, p: 1 };
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p } = cost;
  const key = await scrypt(password, salt, KEYLEN, { N, r, p, maxmem: MAXMEM });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length,
    { N: Number(n), r: Number(r), p: Number(p), maxmem: MAXMEM });
  return timingSafeEqual(key, expected);
}

/** Whether `file` holds the password `hash` was made from; false when there is no such file or it can't be read. */
export async function fileHoldsPassword(file: string | undefined, hash: string): Promise<boolean> {
  if (!file) return false;
  try {
    return existsSync(file) && await verifyPassword(readFileSync(file, 'utf8').trim(), hash);
  } catch {
    return false;
  }
}

/** A hash to verify against when the email is unknown, so both paths take the same time. */
let dummy: Promise<string> | null = null;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  return dummy;
}

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;
