// Who may do what with an owner's API keys and tokens (SPEC §4):
// - a user's keys and tokens are created, edited and rotated by that user only — nobody else, not
//   even an account admin; another user may list and delete them with core_user_manage on that
//   user, from the console; a token (a user's or a service account's) may list them with that
//   permission but never changes or deletes them — a token manages no PATs but its owner's;
// - a service account's keys and tokens need core_serviceaccount_manageapikey on that service
//   account (at its scope) to change, core_serviceaccount_view to list.
import { Messages } from '../domain/errors.js';
import { makeScope } from '../domain/scope.js';
import type { Permission } from '../domain/permissions.js';
import type { Services } from '../services.js';
import type { KeyOwner } from '../store/api-keys.js';
import { denial, type Resource } from './authorize.js';
import type { Principal } from './principal.js';

/** read: list and get; manage: create, edit, rotate; delete: delete. */
export type KeyAccess = 'read' | 'manage' | 'delete';

interface Check { permission: Permission; resource: Resource; allowed: 'self' | 'never' | 'ask' }

function checkFor(principal: Principal, owner: KeyOwner, access: KeyAccess): Check {
  if (owner.apiKeyType === 'USER') {
    const resource: Resource = { scope: makeScope(owner.scope.accountIdentifier), type: 'USER', identifier: owner.parentIdentifier };
    const self = principal.type === 'USER' && principal.identifier === owner.parentIdentifier
      && principal.accountIdentifier === owner.scope.accountIdentifier;
    if (self) return { permission: 'core_user_manage', resource, allowed: 'self' };
    const allowed = access === 'manage' || (access === 'delete' && principal.via === 'token') ? 'never' : 'ask';
    return { permission: 'core_user_manage', resource, allowed };
  }
  const resource: Resource = { scope: owner.scope, type: 'SERVICEACCOUNT', identifier: owner.parentIdentifier };
  const permission: Permission = access === 'read' ? 'core_serviceaccount_view' : 'core_serviceaccount_manageapikey';
  return { permission, resource, allowed: 'ask' };
}

export async function mayAccessKeys(services: Services, principal: Principal, owner: KeyOwner, access: KeyAccess): Promise<boolean> {
  if (owner.scope.accountIdentifier !== principal.accountIdentifier) return false;
  const check = checkFor(principal, owner, access);
  if (check.allowed !== 'ask') return check.allowed === 'self';
  return services.authz.isAllowed(principal, check.permission, check.resource);
}

/**
 * Resolves when allowed; throws 403 NG_ACCESS_DENIED naming the check otherwise. Where no permission
 * would help (another user's PATs), the message says so rather than name a permission to ask for.
 */
export async function authorizeKeys(services: Services, principal: Principal, owner: KeyOwner, access: KeyAccess): Promise<void> {
  if (await mayAccessKeys(services, principal, owner, access)) return;
  const check = checkFor(principal, owner, access);
  throw denial(principal, check.permission, check.resource,
    check.allowed === 'never' ? Messages.othersPats(access, owner.parentIdentifier) : undefined);
}

/** A memoized visibility test for lists over many owners. */
export function keyVisibility(services: Services, principal: Principal) {
  const seen = new Map<string, Promise<boolean>>();
  return (owner: KeyOwner): Promise<boolean> => {
    const key = `${owner.apiKeyType}\u0000${owner.parentIdentifier}\u0000${owner.scope.orgIdentifier ?? ''}\u0000${owner.scope.projectIdentifier ?? ''}`;
    let result = seen.get(key);
    if (!result) {
      result = mayAccessKeys(services, principal, owner, 'read');
      seen.set(key, result);
    }
    return result;
  };
}

/** Setting a key's budget above the account's is a change to the account's rules: asked of the account. */
const budgetResource = (accountIdentifier: string): Resource => ({ scope: makeScope(accountIdentifier), type: 'ACCOUNT', identifier: accountIdentifier });

/**
 * A key's own `rateLimitQps` comes before the account's budget (SPEC §5), so whoever may manage a
 * key could otherwise lift its limit at will. Leaving it as it is, or lowering the key's budget,
 * needs nothing more; raising it — and giving a key without a budget of its own one equal to the
 * account's, which would keep it there when the account's is lowered — needs core_account_edit, the
 * permission that sets the account's budget itself.
 */
export function raisesBudget(change: { requested: number | null | undefined; stored: number | null; accountQps: number }): boolean {
  const { requested, stored, accountQps } = change;
  if (requested === undefined || requested === stored) return false;
  const before = stored ?? accountQps;
  const after = requested ?? accountQps;
  return stored === null ? after >= before : after > before;
}

/** Whether the caller may raise a key's budget (see `raisesBudget`): asked before any transaction. */
export function mayRaiseBudget(services: Services, principal: Principal, accountIdentifier: string): Promise<boolean> {
  return services.authz.isAllowed(principal, 'core_account_edit', budgetResource(accountIdentifier));
}


/** 403 NG_ACCESS_DENIED for a raise the caller may not make. */
export function budgetDenial(principal: Principal, accountIdentifier: string) {
  return denial(principal, 'core_account_edit', budgetResource(accountIdentifier));
}
