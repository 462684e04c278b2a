// Pure rules of a token's life (SPEC §4): its validity window, the defaults and checks of expiry,
// and rotation — which value keeps working until when, and what the new token looks like.
import { invalidArgument, invalidRequest, Messages } from './errors.js';
import { LETTERS, randomString } from './ids.js';
import { MAX_EPOCH_MS } from './validation.js';

/** 30 days, Harness's default `defaultTimeToExpireToken`. */
export const DEFAULT_TOKEN_LIFETIME_MS = 2_592_000_000;
export const ROTATED_PREFIX = 'rotated_';

export interface TokenTimes {
  validFrom: number;
  validTo: number;
  /** Set by rotation only: the end of the old value's grace period. */
  scheduledExpireTime: number | null;
}

/** The identifier an old token takes while it lives out its grace period. */
export const rotatedIdentifier = () => `${ROTATED_PREFIX}${randomString(15, LETTERS)}`;

/** The instant the token stops working. */
export const expiryAt = (t: TokenTimes) => t.scheduledExpireTime ?? t.validTo;
export const isRotated = (t: TokenTimes) => t.scheduledExpireTime !== null;
/** Authenticates now: `validFrom <= now < expiry`. */
export const isActive = (t: TokenTimes, now: number) => t.validFrom <= now && now < expiryAt(t);

export interface Lifetime {
  /** The API key's `defaultTimeToExpireToken`. */
  defaultTtlMs: number;
  /** The account's `maxTokenLifetimeMs`, null when there is none. */
  maxLifetimeMs: number | null;
}

function checkWindow(validFrom: number, validTo: number, now: number, lifetime: Lifetime, checkPast: boolean): void {
  if (checkPast && validTo < now) throw invalidArgument(Messages.validToInPast);
  if (validFrom > validTo) throw invalidArgument(Messages.validFromAfterValidTo);
  if (lifetime.maxLifetimeMs !== null && validTo - validFrom > lifetime.maxLifetimeMs) {
    throw invalidArgument(Messages.tokenLifetimeTooLong(lifetime.maxLifetimeMs));
  }
}

/**
 * The validity window of a new token: `validFrom` defaults to now, `validTo` to validFrom plus the
 * key's default lifetime (cut to the account's maximum, which only explicit values are refused for,
 * and to the last instant a client's Date can hold, which the API takes back).
 */
export function newTokenWindow(
  input: { validFrom?: number | null; validTo?: number | null }, now: number, lifetime: Lifetime,
): { validFrom: number; validTo: number } {
  const validFrom = input.validFrom ?? now;
  let validTo = input.validTo ?? null;
  if (validTo === null) {
    const ttl = lifetime.maxLifetimeMs === null ? lifetime.defaultTtlMs : Math.min(lifetime.defaultTtlMs, lifetime.maxLifetimeMs);
    validTo = Math.min(validFrom + ttl, MAX_EPOCH_MS);
  }
  checkWindow(validFrom, validTo, now, lifetime, true);
  return { validFrom, validTo };
}

/**
 * The window after an update: missing values keep the stored ones. An unchanged validTo is not
 * refused for being in the past, so an expired token can still be renamed. Under a maximum lifetime
 * validFrom never moves later: otherwise a window moved forward a lifetime at a time would keep one
 * value working for ever — by the token itself, since a personal token edits its owner's tokens —
 * and the maximum is there to make values be replaced.
 */
export function updatedTokenWindow(
  stored: TokenTimes, input: { validFrom?: number | null; validTo?: number | null }, now: number, lifetime: Lifetime,
): { validFrom: number; validTo: number } {
  if (isRotated(stored)) throw invalidRequest(Messages.rotatedTokensCannotBeUpdated);
  const validFrom = input.validFrom ?? stored.validFrom;
  const validTo = input.validTo ?? stored.validTo;
  const changed = validFrom !== stored.validFrom || validTo !== stored.validTo;
  if (lifetime.maxLifetimeMs !== null && validFrom > stored.validFrom) throw invalidArgument(Messages.validFromMovedLater);
  if (changed) checkWindow(validFrom, validTo, now, lifetime, validTo !== stored.validTo);
  return { validFrom, validTo };
}

export interface RotationPlan {
  /** Until when the old value keeps working; null: the old token is deleted at once. */
  graceUntil: number | null;
  newValidFrom: number;
  newValidTo: number;
}

/**
 * Rotation: a rotated or expired token cannot be rotated; the grace period may not outlast the old
 * token; the new token starts now and keeps the old `validTo` unless the call names one. Kept, that
 * `validTo` is cut to the account's maximum lifetime (set after the old token was made, say), as a
 * new token's default is: only an explicit value is refused for exceeding it, so a rotation that
 * names no expiry does not fail on one it never sent.
 */
export function planRotation(
  token: TokenTimes, now: number, rotateTimestamp: number | null | undefined, validTo: number | null | undefined,
  lifetime: Lifetime,
): RotationPlan {
  if (isRotated(token)) throw invalidRequest(Messages.rotatedTokensCannotBeUpdated);
  const expiry = expiryAt(token);
  if (now >= expiry) throw invalidRequest(Messages.expiredTokenCannotBeRotated);
  if (rotateTimestamp !== null && rotateTimestamp !== undefined && rotateTimestamp > expiry) {
    throw invalidArgument(Messages.rotateTimestampAfterExpiry(rotateTimestamp, expiry));
  }
  const graceUntil = rotateTimestamp !== null && rotateTimestamp !== undefined && rotateTimestamp > now ? rotateTimestamp : null;
  const kept = lifetime.maxLifetimeMs === null ? token.validTo : Math.min(token.validTo, now + lifetime.maxLifetimeMs);
  const newValidTo = validTo ?? kept;
  checkWindow(now, newValidTo, now, lifetime, true);
  return { graceUntil, newValidFrom: now, newValidTo };
}
