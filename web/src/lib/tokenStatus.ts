// What a token's state is, in the console's words: active, expired, or rotated and in its grace period.
import type { TokenAggregate } from '../api/types';

export type TokenState = 'active' | 'expired' | 'rotated' | 'pending';

export function tokenState(t: TokenAggregate, now = Date.now()): TokenState {
  const expiry = t.expiryAt ?? t.token.scheduledExpireTime ?? t.token.validTo;
  const rotated = t.token.identifier.startsWith('rotated_') || t.token.scheduledExpireTime != null;
  if (expiry != null && expiry <= now) return 'expired';
  if (rotated) return 'rotated';
  if (t.token.validFrom != null && t.token.validFrom > now) return 'pending';
  return 'active';
}

export function isRotated(t: TokenAggregate): boolean {
  return t.token.identifier.startsWith('rotated_') || t.token.scheduledExpireTime != null;
}
