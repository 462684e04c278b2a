// Console sessions, kept server-side. The cookie holds a random id; the table keeps its SHA-256.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface NewSession { cookieValue: string; idHash: string; csrfToken: string; expiresAt: number }

export async function createSession(db: Kysely<Database>, userId: string, ttlMs: number, now = Date.now()): Promise<NewSession> {
  const cookieValue = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const idHash = sha256(cookieValue);
  const expiresAt = now + ttlMs;
  await db.insertInto('sessions').values({ id_hash: idHash, user_id: userId, csrf_token: csrfToken, created_at: now, expires_at: expiresAt }).execute();
  return { cookieValue, idHash, csrfToken, expiresAt };
}

export async function findSession(db: Kysely<Database>, cookieValue: string, now = Date.now()) {
  const row = await db.selectFrom('sessions').selectAll().where('id_hash', '=', sha256(cookieValue)).executeTakeFirst();
  if (!row || row.expires_at <= now) return null;
  return row;
}

export async function deleteSession(db: Kysely<Database>, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

/** Ends every session of a user except, optionally, one. */
export async function deleteUserSessions(db: Kysely<Database>, userId: string, exceptIdHash?: string | null): Promise<void> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptIdHash) q = q.where('id_hash', '!=', exceptIdHash);
  await q.execute();
}

export async function purgeExpiredSessions(db: Kysely<Database>, now = Date.now()): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}
