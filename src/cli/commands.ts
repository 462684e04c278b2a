// The CLI's actions as plain functions over an open store, so tests call them directly; index.ts
// only parses arguments, opens the configured store, prints and exits.
import { rmSync } from 'node:fs';
import pino from 'pino';
import { fileHoldsPassword, hashPassword, PASSWORD_MAX, PASSWORD_MIN } from '../auth/passwords.js';
import { publishInvalidation } from '../cluster/invalidation-bus.js';
import { connectRedis } from '../cluster/redis.js';
import { redisTarget, type Config } from '../config.js';
import { randomString } from '../domain/ids.js';
import { makeScope } from '../domain/scope.js';
import { isValidEmail, nameProblem, normalizeEmail } from '../domain/validation.js';
import { createAccount } from '../store/accounts.js';
import { recordAudit } from '../store/audit-events.js';
import { hasAccount, type Store } from '../store/database.js';
import { deleteUserSessions } from '../store/sessions.js';
import { inTransaction } from '../store/transaction.js';
import { findUserByEmail } from '../store/users.js';
import type { InvalidationEvent } from '../services.js';

/** A mistake in the command's input: printed as is, without a stack trace. */
export class CommandError extends Error {}

/** Who the audit trail names for changes made from the command line. */
export const CLI_ACTOR = { principal: { type: 'SYSTEM', identifier: 'keysmith-cli' }, ip: null, userAgent: null };

const GENERATED_PASSWORD_LENGTH = 24;

function checkPassword(password: string): void {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw new CommandError(`the password must have ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`);
  }
}

export interface CreatedAccount {
  accountId: string;
  adminUserId: string;
  adminEmail: string;
  /** The generated password, when none was given (shown once, by the caller). */
  generatedPassword: string | null;
}

/**
 * `keysmith account create`: another tenant with its organization, project and admin. Only beside
 * a first account: on an empty store the new one would become the first, and the server's first
 * start would then skip the Default account and the KEYSMITH_ADMIN_* admin it promises.
 */
export async function createAccountCommand(
  store: Store, options: { name: string; adminEmail: string; adminPassword?: string },
): Promise<CreatedAccount> {
  if (!(await hasAccount(store))) {
    throw new CommandError('the store has no account yet: start the server once (`npx keysmith serve`) to create the first account '
      + 'and its admin, then add other accounts with `account create`');
  }
  const name = options.name.trim();
  const problem = nameProblem(name);
  if (problem) throw new CommandError(`--name ${problem}`);
  const adminEmail = normalizeEmail(options.adminEmail.trim());
  if (!isValidEmail(adminEmail)) throw new CommandError(`--admin-email must be a valid email address, got "${options.adminEmail}"`);
  const password = options.adminPassword ?? randomString(GENERATED_PASSWORD_LENGTH);
  checkPassword(password);
  if (await findUserByEmail(store.db, adminEmail)) throw new CommandError(`a user with email ${adminEmail} already exists`);
  const created = await createAccount(store.db, store.engine, { name, adminEmail, password });
  return { ...created, generatedPassword: options.adminPassword ? null : password };
}

/** Tells the running instances of a change the CLI made in the store; rejects when it could not. */
export type Announce = (event: InvalidationEvent) => Promise<void>;

/**
 * With REDIS_URL, the CLI tells the running instances of its change as they tell each other: one
 * message on their invalidation channel, so that they drop what they cached about it at once.
 * Without it there is no channel: a server notices when its cached entries expire
 * (KEYSMITH_CACHE_TTL_MS).
 */
export function redisAnnouncer(config: Config): Announce | null {
  const url = config.redisUrl;
  if (!url) return null;
  return async (event) => {
    const redis = await connectRedis({ url, prefix: config.redisPrefix, logger: pino({ level: 'silent' }), connectWaitMs: 3_000 });
    try {
      if (redis.status() !== 'up') throw new Error(`Redis at ${redisTarget(url)} (REDIS_URL) cannot be reached`);
      const heard = await publishInvalidation(redis, event);
      if (heard === 0) {
        throw new Error(`no server listens on ${redis.channel} at ${redisTarget(url)}: none is running there, or they use another KEYSMITH_REDIS_PREFIX`);
      }
    } finally {
      await redis.close();
    }
  };
}

export interface PasswordReset {
  userId: string;
  email: string;
  generatedPassword: string | null;
  /** The first start's password file, removed because it held this user's old password. */
  removedPasswordFile: string | null;
  /** Why that file, holding the old password, could not be removed (the reset itself succeeded). */
  passwordFileWarning: string | null;
  /** Why the running instances could not be told of it (the reset itself succeeded); absent when they were, or none was asked. */
  announceWarning?: string;
}

/**
 * `keysmith admin reset-password`: lock-out recovery. Sets the password, enables the user again,
 * and ends every session they had, in one audited transaction. When `passwordFile` (the first
 * start's `initial-admin-password`) holds this user's old password, it is removed: the banner would
 * otherwise keep pointing at a password that no longer works.
 */
export async function resetPasswordCommand(store: Store, options: { email: string; password?: string; passwordFile?: string },
  now = Date.now(), announce: Announce | null = null): Promise<PasswordReset> {
  const password = options.password ?? randomString(GENERATED_PASSWORD_LENGTH);
  checkPassword(password);
  const user = await findUserByEmail(store.db, options.email.trim());
  if (!user) throw new CommandError(`no user with email ${options.email}`);
  const hash = await hashPassword(password);
  // Read before the change: afterwards the old hash is gone, and nothing may stop the new password
  // from being printed.
  const stale = await fileHoldsPassword(options.passwordFile, user.password_hash);
  await inTransaction(store.db, async (trx) => {
    await trx.updateTable('users').set({ password_hash: hash, disabled: 0, last_modified_at: now }).where('id', '=', user.id).execute();
    await deleteUserSessions(trx, user.id);
    await recordAudit(trx, CLI_ACTOR, {
      action: 'PASSWORD_CHANGE', resource: { type: 'USER', identifier: user.id }, scope: makeScope(user.account_id),
      before: { disabled: !!user.disabled }, after: { disabled: false },
    }, now);
  });
  // Enabled again: running instances that cached the user as disabled (their tokens refused) drop that.
  let announceWarning: string | undefined;
  if (announce) {
    try {
      await announce({ kind: 'principal', accountIdentifier: user.account_id, principalType: 'USER', principalIdentifier: user.id });
    } catch (err) {
      announceWarning = `the running servers could not be told (${(err as Error).message}): the user's tokens may be refused `
        + 'until their cached entries expire (KEYSMITH_CACHE_TTL_MS)';
    }
  }
  let removedPasswordFile: string | null = null;
  let passwordFileWarning: string | null = null;
  if (stale) {
    try {
      rmSync(options.passwordFile!);
      removedPasswordFile = options.passwordFile!;
    } catch (err) {
      passwordFileWarning = `${options.passwordFile} holds the old password but could not be removed (${(err as Error).message}): delete it by hand`;
    }
  }
  return {
    userId: user.id, email: user.email, generatedPassword: options.password ? null : password, removedPasswordFile, passwordFileWarning,
    ...(announceWarning ? { announceWarning } : {}),
  };
}
