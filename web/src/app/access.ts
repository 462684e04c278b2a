// What the signed-in person may do, asked of the server before the console offers an action. Each
// set of checks is one request, cached under a key holding the checks, so components asking the
// same share it. Answers only decide what is offered: the server still decides what is done, so a
// check that fails offers the action rather than locking the person out.
import { useQuery, type FetchStatus } from '@tanstack/react-query';
import { accessKeys, checkAccess, resourceTypeOf, type AccessCheck } from '../api/accessChecks';
import { scopeBody } from '../api/scope';
import type { Scope } from '../api/types';
import { useUser } from './session';

/** One permission an action needs, and what it lets the person do. */
export interface Need {
  permission: string;
  /** Where the action happens: for creating, the scope the new thing is made in. */
  scope: Scope;
  /** The resource acted on; absent when creating (routes then ask about any resource of the type). */
  identifier?: string | null;
  /** In words, as the tooltip finishes "You don't have permission to …": "create service accounts here". */
  action: string;
}

type Missing = Pick<Need, 'permission' | 'action'>;

export type Access =
  | { readonly state: 'loading' }
  | { readonly state: 'permitted' }
  | { readonly state: 'denied'; readonly missing: readonly Missing[]; readonly reason: string };

export const LOADING: Access = { state: 'loading' };
export const PERMITTED: Access = { state: 'permitted' };

export function denied(missing: readonly Missing[]): Access {
  const phrases = [...new Set(missing.map((m) => `${m.action} (${m.permission})`))];
  return { state: 'denied', missing, reason: `You don't have permission to ${phrases.join(' or to ')}` };
}

/**
 * A refusal no permission lifts, in its own words (`reason` says what stops it, or who may act
 * instead: another user's personal API keys are changed by that user only): disabled like a
 * denial, with nothing for an admin to grant.
 */
export function deniedBecause(reason: string): Access {
  return { state: 'denied', missing: [], reason };
}

/**
 * An action the person may take, but not now: a limit of the account stops it (the most API keys or
 * tokens allowed).
 */
export function unlessAtLimit(access: Access, atLimit: string | null): Access {
  return access.state === 'permitted' && atLimit !== null ? deniedBecause(atLimit) : access;
}

/**
 * An action that needs every one of these: loading while any is, else denied when any is. A
 * refusal in its own words wins over missing permissions, which granting would not get past it.
 */
export function allOf(each: readonly Access[]): Access {
  if (each.some((a) => a.state === 'loading')) return LOADING;
  const refusals = each.flatMap((a) => (a.state === 'denied' ? [a] : []));
  if (refusals.length === 0) return PERMITTED;
  return refusals.find((a) => a.missing.length === 0) ?? denied(refusals.flatMap((a) => a.missing));
}

/** An action done in one of several places the person chooses; `ifNone` says what is missing when it is none. */
export function anyOf(each: readonly Access[], ifNone: Missing): Access {
  if (each.some((a) => a.state === 'permitted')) return PERMITTED;
  if (each.some((a) => a.state === 'loading')) return LOADING;
  return denied([ifNone]);
}

export function accessCheck(need: Need): AccessCheck {
  return {
    resourceScope: scopeBody(need.scope),
    resourceType: resourceTypeOf(need.permission),
    resourceIdentifier: need.identifier ?? null,
    permission: need.permission,
  };
}

/** Where the query asking the checks stands: TanStack Query's own fields. */
export interface AnswersState {
  isError: boolean;
  fetchStatus: FetchStatus;
  data: readonly boolean[] | undefined;
}

/** What the answer at `slot` means for `need`, wherever the query asking it stands. */
export function answerFor(answers: AnswersState, slot: number, need: Need): Access {
  // A failed check, or one paused until the browser is back online (which may be never), offers
  // the action even over an earlier answer: rights may have changed since, and the server still decides.
  if (answers.isError || answers.fetchStatus === 'paused') return PERMITTED;
  if (!answers.data) return LOADING;
  return answers.data[slot] ? PERMITTED : denied([need]);
}

/** The answer for each need, in order. */
export function useAccessEach(needs: readonly Need[]): Access[] {
  const user = useUser();
  const checks: AccessCheck[] = [];
  const position = new Map<string, number>();
  const slots = needs.map((need) => {
    const check = accessCheck(need);
    const key = JSON.stringify(check);
    if (!position.has(key)) { position.set(key, checks.length); checks.push(check); }
    return position.get(key)!;
  });
  const answers = useQuery({
    queryKey: accessKeys.checks(user.uuid, checks),
    queryFn: ({ signal }) => checkAccess(checks, signal),
    enabled: checks.length > 0,
    staleTime: 30_000,
    // Asking again would keep the buttons disabled meanwhile; a failed check offers them at once.
    retry: false,
  });
  return needs.map((need, i) => answerFor(answers, slots[i], need));
}

/**
 * The answers for several things at once (the rows of a list), asked in one request: for each
 * key, the answers to its needs in their order. A key not in the map is one not asked about.
 */
export function useAccessByKey<K>(entries: readonly (readonly [K, readonly Need[]])[]): ReadonlyMap<K, readonly Access[]> {
  const answers = useAccessEach(entries.flatMap(([, needs]) => needs));
  return byKey(entries, answers);
}

/** `answers` (to every entry's needs, in order) handed back to each entry's key. */
export function byKey<K>(entries: readonly (readonly [K, readonly Need[]])[], answers: readonly Access[]): Map<K, readonly Access[]> {
  const map = new Map<K, readonly Access[]>();
  let next = 0;
  for (const [key, needs] of entries) {
    map.set(key, answers.slice(next, next + needs.length));
    next += needs.length;
  }
  return map;
}

/** The answer for an action that needs all of these. */
export function useAccess(needs: readonly Need[]): Access {
  return allOf(useAccessEach(needs));
}
