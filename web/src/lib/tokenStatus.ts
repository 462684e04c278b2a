// What a token's state is, in the console's words: active, expired, or rotated and in its grace period.
import { useEffect, useState } from 'react';
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

/** The next moment one of `tokens` changes state on its own (becomes valid, or expires); null if none will. */
export function nextStateChange(tokens: readonly TokenAggregate[], now = Date.now()): number | null {
  let next: number | null = null;
  for (const t of tokens) {
    const expiry = t.expiryAt ?? t.token.scheduledExpireTime ?? t.token.validTo;
    for (const at of [t.token.validFrom, expiry]) if (at != null && at > now && (next === null || at < next)) next = at;
  }
  return next;
}

/** The longest wait setTimeout takes (about 24.8 days); a later moment is waited for in steps. */
const LONGEST_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Draws the component again when one of `tokens` changes state on its own, so that a list left open
 * says Expired when a token expires (the data, refetched or not, is the same: nothing else would).
 */
export function useTokenStateChanges(tokens: readonly TokenAggregate[] | undefined): void {
  const [, redraw] = useState(0);
  const next = nextStateChange(tokens ?? []);
  useEffect(() => {
    if (next === null) return undefined;
    const timer = setTimeout(() => redraw((n) => n + 1), Math.min(next - Date.now() + 50, LONGEST_TIMEOUT_MS));
    return () => clearTimeout(timer);
  }, [next]);
}
