// What a token's state is, in the console's words: active, expired, or rotated and in its grace period.
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { listTokens, tokenKeys, type Owner } from '../api/apiKeys';
import type { Scope, TokenAggregate } from '../api/types';

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
function useTokenStateChanges(tokens: readonly TokenAggregate[] | undefined): void {
  const [, redraw] = useState(0);
  const next = nextStateChange(tokens ?? []);
  useEffect(() => {
    if (next === null) return undefined;
    const timer = setTimeout(() => redraw((n) => n + 1), Math.min(next - Date.now() + 50, LONGEST_TIMEOUT_MS));
    return () => clearTimeout(timer);
  }, [next]);
}

/**
 * How often a token list shown asks again: its "Last used" changes as the tokens are used (the server
 * writes it every few seconds), with nothing in the console to say so.
 */
const TOKEN_LIST_REFETCH_MS = 30_000;

/**
 * A token list as the console shows it: `owner`'s tokens, or with null the scope's whole inventory;
 * asked again every TOKEN_LIST_REFETCH_MS (not after it failed, until asked), and drawn again when
 * one of its tokens expires or becomes valid.
 */
export function useTokenList(scope: Scope, owner: Owner | null) {
  const tokens = useQuery({
    queryKey: owner ? tokenKeys.owner(scope, owner) : tokenKeys.inventory(scope),
    queryFn: ({ signal }) => listTokens(scope, owner, signal),
    refetchInterval: (query) => (query.state.status === 'error' ? false : TOKEN_LIST_REFETCH_MS),
  });
  useTokenStateChanges(tokens.data);
  return tokens;
}
