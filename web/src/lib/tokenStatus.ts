// What a token's state is, in the console's words: active, expired, or rotated and in its grace period.
import type { TokenAggregate } from '../api/types';

export type TokenState = 'active' | 'expired' | 'rotated' | 'pending';

/**
 * Rotated: the server set the end of its grace period (src/domain/rotation.ts), and nothing else
 * says so — an identifier that starts with `rotated_` may be one a person chose.
 */
export function isRotated(t: TokenAggregate): boolean {
  return t.token.scheduledExpireTime != null;
}

export function tokenState(t: TokenAggregate, now = Date.now()): TokenState {
  const expiry = t.expiryAt ?? t.token.scheduledExpireTime ?? t.token.validTo;
  if (expiry != null && expiry <= now) return 'expired';
  if (isRotated(t)) return 'rotated';
  if (t.token.validFrom != null && t.token.validFrom > now) return 'pending';
  return 'active';
}
