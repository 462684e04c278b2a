// Who may see and change role assignments, as Harness decides it: by the principal's type, at the
// assignment's scope — users need core_user_view / core_user_manage, groups core_usergroup_view /
// core_usergroup_manage, service accounts core_serviceaccount_view / core_serviceaccount_edit — on
// that principal (on any of its type when the principal lives in a parent scope).
import { denial, type Resource } from '../../auth/authorize.js';
import type { Principal } from '../../auth/principal.js';
import { entityNotFound, Messages } from '../../domain/errors.js';
import type { PrincipalType } from '../../domain/evaluation.js';
import { levelRank } from '../../domain/evaluation.js';
import type { Permission, ResourceType } from '../../domain/permissions.js';
import { scopeLevel, type Scope, type ScopeLevel } from '../../domain/scope.js';
import type { Services } from '../../services.js';
import { getRoleAssignment, type RoleAssignment } from '../../store/role-assignments.js';

const BY_TYPE: Record<PrincipalType, { type: ResourceType; view: Permission; manage: Permission }> = {
  USER: { type: 'USER', view: 'core_user_view', manage: 'core_user_manage' },
  USER_GROUP: { type: 'USERGROUP', view: 'core_usergroup_view', manage: 'core_usergroup_manage' },
  SERVICE_ACCOUNT: { type: 'SERVICEACCOUNT', view: 'core_serviceaccount_view', manage: 'core_serviceaccount_edit' },
};

export interface AssignedPrincipal { type: PrincipalType; identifier: string; scopeLevel: ScopeLevel | null }

function resourceOf(scope: Scope, p: AssignedPrincipal): Resource {
  const fromParent = p.type !== 'USER' && p.scopeLevel !== null && levelRank(p.scopeLevel) < levelRank(scopeLevel(scope));
  return { scope, type: BY_TYPE[p.type].type, identifier: fromParent ? null : p.identifier };
}

export function mayView(services: Services, caller: Principal, scope: Scope, p: AssignedPrincipal): Promise<boolean> {
  return services.authz.isAllowed(caller, BY_TYPE[p.type].view, resourceOf(scope, p));
}

/** Whether the caller may know the assignment exists: it may view or manage its principal. */
export async function maySee(services: Services, caller: Principal, scope: Scope, p: AssignedPrincipal): Promise<boolean> {
  return await mayView(services, caller, scope, p) || services.authz.isAllowed(caller, BY_TYPE[p.type].manage, resourceOf(scope, p));
}

/**
 * The assignment `identifier` of the scope, once the caller may manage its principal. One the caller
 * may not even see is answered as missing: a 403 would tell it exists. Read outside any transaction:
 * the caller re-reads it inside its own and compares the principal (samePrincipal).
 */
export async function authorizedAssignment(services: Services, caller: Principal, scope: Scope, identifier: string): Promise<RoleAssignment> {
  const found = await getRoleAssignment(services.db, scope, identifier);
  if (!found || !(await maySee(services, caller, scope, found.roleAssignment.principal))) {
    throw entityNotFound(Messages.roleAssignmentNotFound(identifier));
  }
  await authorizeManage(services, caller, scope, found.roleAssignment.principal);
  return found.roleAssignment;
}

/** Whether an assignment read again still names the principal the caller was authorized for. */
export const samePrincipal = (a: AssignedPrincipal, b: AssignedPrincipal) =>
  a.type === b.type && a.identifier === b.identifier && a.scopeLevel === b.scopeLevel;

export function authorizeManage(services: Services, caller: Principal, scope: Scope, p: AssignedPrincipal): Promise<void> {
  return services.authz.authorize(caller, BY_TYPE[p.type].manage, resourceOf(scope, p));
}

/**
 * Whether the caller holds one of `needs` ('view', 'manage') for some principal type at the scope:
 * the gate before an assignment is looked up by identifier, whose principal is not yet known.
 */
export async function holdsSome(services: Services, caller: Principal, scope: Scope, needs: ('view' | 'manage')[]): Promise<boolean> {
  for (const need of needs) {
    for (const access of Object.values(BY_TYPE)) {
      if (await services.authz.holdsOnSome(caller, access[need], { scope, type: access.type })) return true;
    }
  }
  return false;
}

/** The 403 of a caller without `need` on any principal type at the scope, listing each type's permission. */
export function someDenial(caller: Principal, scope: Scope, need: 'view' | 'manage') {
  const error = denial(caller, BY_TYPE.USER[need], { scope, type: 'USER' });
  error.failedPermissionChecks = Object.values(BY_TYPE).map((access) => ({
    resourceScope: { accountIdentifier: scope.accountIdentifier, orgIdentifier: scope.orgIdentifier, projectIdentifier: scope.projectIdentifier },
    resourceType: access.type, resourceIdentifier: null, permission: access[need],
  }));
  return error;
}

/**
 * Before looking up an assignment by identifier: the caller must hold one of `needs` for some
 * principal type at the scope, else the same 403 whether or not the assignment exists (naming the
 * first need's permissions).
 */
export async function authorizeSome(services: Services, caller: Principal, scope: Scope, needs: ('view' | 'manage')[]): Promise<void> {
  if (!(await holdsSome(services, caller, scope, needs))) throw someDenial(caller, scope, needs[0]!);
}
