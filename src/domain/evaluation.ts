// Permission evaluation (SPEC §6), pure: from the facts about one principal (its role assignments,
// its groups' assignments, the roles and resource groups they name) to a compiled snapshot, and from
// a snapshot to allow / deny-with-the-failed-check for (permission, resource scope/type/identifier).
// The store loads the facts; the authorizer caches snapshots; nothing here does I/O.
import type { FailedPermissionCheck } from './errors.js';
import { ACCOUNT_ADMIN_ROLE, managedResourceGroup, managedRole } from './managed.js';
import { PERMISSION_RESOURCE_TYPE, type Permission, type ResourceType } from './permissions.js';
import { makeScope, scopeChain, scopeLevel, type Scope, type ScopeLevel } from './scope.js';

export type PrincipalType = 'USER' | 'USER_GROUP' | 'SERVICE_ACCOUNT';

/** Who a snapshot is for: a user (of the whole account) or a service account (living at one scope). */
export interface Subject {
  type: 'USER' | 'SERVICE_ACCOUNT';
  identifier: string;
  accountIdentifier: string;
  /** A service account's scope; null for users. */
  scope: Scope | null;
}

export interface AssignmentFact {
  identifier: string;
  scope: Scope;
  roleIdentifier: string;
  resourceGroupIdentifier: string;
  principalType: PrincipalType;
  principalIdentifier: string;
  /**
   * For a group or service account: the level of the scope it lives at, an ancestor of (or equal to)
   * the assignment's scope. Null means the assignment's own level. Ignored for users.
   */
  principalScopeLevel: ScopeLevel | null;
  disabled: boolean;
}

export interface GroupRef { scope: Scope; identifier: string }

export interface RoleFact {
  scope: Scope;
  identifier: string;
  name: string;
  permissions: readonly string[];
  allowedScopeLevels: readonly ScopeLevel[];
}

export type ScopeFilter = 'EXCLUDING_CHILD_SCOPES' | 'INCLUDING_CHILD_SCOPES';
export interface IncludedScope { filter: ScopeFilter; scope: Scope }
/** A resource type, and optionally the only identifiers of it that are selected. */
export interface ResourceSelector { resourceType: ResourceType; identifiers: readonly string[] | null }
export interface ResourceGroupRule {
  includedScopes: readonly IncludedScope[];
  includeAllResources: boolean;
  resources: readonly ResourceSelector[];
}
export interface ResourceGroupFact extends ResourceGroupRule { scope: Scope; identifier: string; name: string }

/** Everything needed to compile one principal's snapshot. Extra, unrelated assignments are ignored. */
export interface AccessFacts {
  subject: Subject;
  /** Groups the subject is a member of (a service account counts only in groups of its own scope). */
  groups: readonly GroupRef[];
  assignments: readonly AssignmentFact[];
  /** Custom roles and resource groups of the account (at least those the assignments name). */
  roles: readonly RoleFact[];
  resourceGroups: readonly ResourceGroupFact[];
}

export interface EvaluatedResource {
  scope: Scope;
  /** Defaults to the permission's resource type. */
  type?: ResourceType;
  identifier?: string | null;
  /**
   * Only assignments made at a level above this one count: for what belonged to a deleted
   * organization or project whose identifier has since been taken by a new one, so that the new
   * one's grants do not reach it (only the grants from above could, as before the new one existed).
   */
  grantedAbove?: ScopeLevel;
}

export type Decision =
  | { readonly allowed: true; readonly assignmentIdentifier: string }
  | { readonly allowed: false; readonly failed: FailedPermissionCheck };

// ---------------------------------------------------------------------------------------------
// Scope helpers

const LEVEL_RANK: Record<ScopeLevel, number> = { account: 0, organization: 1, project: 2 };
export const levelRank = (level: ScopeLevel) => LEVEL_RANK[level];

/** The scope itself or its ancestor at `level`; null when `level` is below the scope's own. */
export function ancestorAt(scope: Scope, level: ScopeLevel): Scope | null {
  if (LEVEL_RANK[level] > LEVEL_RANK[scopeLevel(scope)]) return null;
  if (level === 'account') return makeScope(scope.accountIdentifier);
  if (level === 'organization') return makeScope(scope.accountIdentifier, scope.orgIdentifier);
  return scope;
}

const sameScope = (a: Scope, b: Scope) =>
  a.accountIdentifier === b.accountIdentifier && a.orgIdentifier === b.orgIdentifier && a.projectIdentifier === b.projectIdentifier;

/**
 * Where the principal of an assignment lives: users belong to the account; groups and service
 * accounts to the ancestor of the assignment's scope at `principalScopeLevel` (default: its own).
 */
export function principalScopeOf(a: Pick<AssignmentFact, 'scope' | 'principalType' | 'principalScopeLevel'>): Scope | null {
  if (a.principalType === 'USER') return makeScope(a.scope.accountIdentifier);
  return ancestorAt(a.scope, a.principalScopeLevel ?? scopeLevel(a.scope));
}

// ---------------------------------------------------------------------------------------------
// Roles and resource groups as an assignment sees them

export interface ResolvedRole {
  identifier: string;
  name: string;
  managed: boolean;
  /** Where a custom role is defined; null for managed roles. */
  scope: Scope | null;
  permissions: readonly string[];
  allowedScopeLevels: readonly ScopeLevel[];
}

/**
 * The role an assignment at `scope` names: a managed role, else the custom role of that identifier
 * defined nearest to the scope (the scope itself, then its ancestors). Null when none exists or the
 * role may not be assigned at the scope's level.
 */
export function resolveRole(identifier: string, scope: Scope, roles: readonly RoleFact[]): ResolvedRole | null {
  const level = scopeLevel(scope);
  const managed = managedRole(identifier);
  if (managed) {
    return managed.allowedScopeLevels.includes(level)
      ? { identifier, name: managed.name, managed: true, scope: null, permissions: managed.permissions, allowedScopeLevels: managed.allowedScopeLevels }
      : null;
  }
  for (const s of scopeChain(scope)) {
    const role = roles.find((r) => r.identifier === identifier && sameScope(r.scope, s));
    if (role) {
      return role.allowedScopeLevels.includes(level)
        ? { identifier, name: role.name, managed: false, scope: role.scope, permissions: role.permissions, allowedScopeLevels: role.allowedScopeLevels }
        : null;
    }
  }
  return null;
}

export interface ResolvedResourceGroup extends ResourceGroupRule {
  identifier: string;
  name: string;
  managed: boolean;
}

/** The rule a managed resource group stands for when used at `scope`. */
export function managedResourceGroupRule(identifier: string, scope: Scope): ResourceGroupRule | null {
  const group = managedResourceGroup(identifier);
  if (!group || !group.allowedScopeLevels.includes(scopeLevel(scope))) return null;
  return {
    includedScopes: [{ filter: group.includeChildScopes ? 'INCLUDING_CHILD_SCOPES' : 'EXCLUDING_CHILD_SCOPES', scope }],
    includeAllResources: group.resourceTypes === 'ALL',
    resources: group.resourceTypes === 'ALL' ? [] : group.resourceTypes.map((t) => ({ resourceType: t, identifiers: null })),
  };
}

/**
 * The resource group an assignment at `scope` names: a managed one usable at the scope's level, or
 * a custom one defined at exactly that scope. Null otherwise.
 */
export function resolveResourceGroup(identifier: string, scope: Scope, groups: readonly ResourceGroupFact[]): ResolvedResourceGroup | null {
  const managed = managedResourceGroup(identifier);
  if (managed) {
    const rule = managedResourceGroupRule(identifier, scope);
    return rule ? { identifier, name: managed.name, managed: true, ...rule } : null;
  }
  const custom = groups.find((g) => g.identifier === identifier && sameScope(g.scope, scope));
  return custom ? { ...custom, managed: false } : null;
}

// ---------------------------------------------------------------------------------------------
// Compiling a snapshot

interface CoveredScope {
  account: string;
  org: string | null;
  project: string | null;
  children: boolean;
}

interface Grant {
  readonly allow: Decision;
  /** The rank of the assignment's scope level (account 0, organization 1, project 2). */
  readonly level: number;
  readonly scopes: readonly CoveredScope[];
  readonly allTypes: boolean;
  /** Per selected type: null for every identifier, else the selected ones. */
  readonly types: ReadonlyMap<string, ReadonlySet<string> | null>;
}

export interface PermissionSnapshot {
  readonly accountIdentifier: string;
  /** The enabled assignments that apply to the subject, directly or through a group. */
  readonly assignmentIdentifiers: readonly string[];
  /** The groups the subject's rights come through (for invalidation). */
  readonly groups: readonly GroupRef[];
  readonly byPermission: ReadonlyMap<string, readonly Grant[]>;
  /**
   * An enabled `_account_admin` assignment at account scope names the subject or one of its groups,
   * whatever its resource group (UserInfo's `admin`, SPEC §3; as the store's accountAdminIds 'any').
   */
  readonly accountAdmin: boolean;
}

/** Does the assignment name this subject, or one of the subject's groups? */
export function assignmentApplies(a: AssignmentFact, subject: Subject, groups: readonly GroupRef[]): boolean {
  if (a.scope.accountIdentifier !== subject.accountIdentifier) return false;
  if (a.principalType === 'USER_GROUP') {
    const where = principalScopeOf(a);
    return !!where && groups.some((g) => g.identifier === a.principalIdentifier && sameScope(g.scope, where));
  }
  if (a.principalType !== subject.type || a.principalIdentifier !== subject.identifier) return false;
  if (subject.type === 'USER') return true;
  const where = principalScopeOf(a);
  return !!where && !!subject.scope && sameScope(where, subject.scope);
}

/** The groups that count for the subject: a service account is a member only of groups of its own scope. */
export function effectiveGroups(subject: Subject, groups: readonly GroupRef[]): GroupRef[] {
  return groups.filter((g) => g.scope.accountIdentifier === subject.accountIdentifier
    && (subject.type === 'USER' || (!!subject.scope && sameScope(g.scope, subject.scope))));
}

function compileRule(rule: ResourceGroupRule): Pick<Grant, 'scopes' | 'allTypes' | 'types'> {
  const types = new Map<string, Set<string> | null>();
  for (const r of rule.resources) {
    const previous = types.get(r.resourceType);
    if (previous === null) continue;
    if (r.identifiers === null || r.identifiers.length === 0) { types.set(r.resourceType, null); continue; }
    const set = previous ?? new Set<string>();
    for (const id of r.identifiers) set.add(id);
    types.set(r.resourceType, set);
  }
  return {
    scopes: rule.includedScopes.map((s) => ({
      account: s.scope.accountIdentifier, org: s.scope.orgIdentifier, project: s.scope.projectIdentifier,
      children: s.filter === 'INCLUDING_CHILD_SCOPES',
    })),
    allTypes: rule.includeAllResources,
    types,
  };
}

export function compileSnapshot(facts: AccessFacts): PermissionSnapshot {
  const { subject } = facts;
  const groups = effectiveGroups(subject, facts.groups);
  const byPermission = new Map<string, Grant[]>();
  const applied: string[] = [];
  let accountAdmin = false;
  for (const a of facts.assignments) {
    if (a.disabled || !assignmentApplies(a, subject, groups)) continue;
    if (a.roleIdentifier === ACCOUNT_ADMIN_ROLE && a.scope.orgIdentifier === null && a.scope.projectIdentifier === null) accountAdmin = true;
    const role = resolveRole(a.roleIdentifier, a.scope, facts.roles);
    const group = resolveResourceGroup(a.resourceGroupIdentifier, a.scope, facts.resourceGroups);
    if (!role || !group) continue;
    applied.push(a.identifier);
    const grant: Grant = {
      allow: Object.freeze({ allowed: true, assignmentIdentifier: a.identifier }), level: LEVEL_RANK[scopeLevel(a.scope)], ...compileRule(group),
    };
    for (const p of new Set(role.permissions)) {
      const list = byPermission.get(p);
      if (list) list.push(grant); else byPermission.set(p, [grant]);
    }
  }
  return { accountIdentifier: subject.accountIdentifier, assignmentIdentifiers: applied, groups, byPermission, accountAdmin };
}

// ---------------------------------------------------------------------------------------------
// Evaluating

function coversScope(grant: Grant, account: string, org: string | null, project: string | null): boolean {
  for (const s of grant.scopes) {
    if (s.account !== account) continue;
    if (s.org === null) { if (s.children || org === null) return true; continue; }
    if (s.org !== org) continue;
    if (s.project === null) { if (s.children || project === null) return true; continue; }
    if (s.project === project) return true;
  }
  return false;
}

function coversType(grant: Grant, type: string, identifier: string | null, anyIdentifier: boolean): boolean {
  if (grant.allTypes) return true;
  const selected = grant.types.get(type);
  if (selected === undefined) return false;
  if (selected === null || anyIdentifier) return true;
  return identifier !== null && selected.has(identifier);
}

/**
 * Organizations and projects are also scopes: organization O (a resource of the account) is covered
 * by a resource group covering scope O, and project P of O by one covering scope O/P. So an
 * organization's admins may see and edit it whichever of the two scopes a route names.
 */
function covers(grant: Grant, scope: Scope, type: string, identifier: string | null, anyIdentifier: boolean): boolean {
  if (!coversType(grant, type, identifier, anyIdentifier)) return false;
  const { accountIdentifier: a, orgIdentifier: o, projectIdentifier: p } = scope;
  if (coversScope(grant, a, o, p)) return true;
  if (identifier === null || p !== null) return false;
  if (type === 'ORGANIZATION' && o === null) return coversScope(grant, a, identifier, null);
  if (type === 'PROJECT' && o !== null) return coversScope(grant, a, o, identifier);
  return false;
}

function deny(permission: string, scope: Scope, type: string, identifier: string | null): Decision {
  return {
    allowed: false,
    failed: {
      resourceScope: { accountIdentifier: scope.accountIdentifier, orgIdentifier: scope.orgIdentifier, projectIdentifier: scope.projectIdentifier },
      resourceType: type,
      resourceIdentifier: identifier,
      permission,
    },
  };
}

/** Allowed when an enabled assignment of the subject (or its groups) grants `permission` on the resource. */
export function evaluate(snapshot: PermissionSnapshot, permission: Permission, resource: EvaluatedResource): Decision {
  const type = resource.type ?? PERMISSION_RESOURCE_TYPE[permission];
  const identifier = resource.identifier ?? null;
  const below = resource.grantedAbove === undefined ? Infinity : LEVEL_RANK[resource.grantedAbove];
  if (resource.scope.accountIdentifier === snapshot.accountIdentifier) {
    const grants = snapshot.byPermission.get(permission);
    if (grants) {
      for (let i = 0; i < grants.length; i++) {
        if (grants[i].level < below && covers(grants[i], resource.scope, type, identifier, false)) return grants[i].allow;
      }
    }
  }
  return deny(permission, resource.scope, type, identifier);
}

/**
 * True when the subject holds `permission` on at least one possible resource of the type at the
 * scope (ignoring identifier selections): the gate for operations whose exact target is not yet
 * known to the caller, such as deleting a role assignment by identifier.
 */
export function holdsOnSome(snapshot: PermissionSnapshot, permission: Permission, scope: Scope, type?: ResourceType): boolean {
  if (scope.accountIdentifier !== snapshot.accountIdentifier) return false;
  const grants = snapshot.byPermission.get(permission);
  if (!grants) return false;
  const t = type ?? PERMISSION_RESOURCE_TYPE[permission];
  return grants.some((g) => covers(g, scope, t, null, true));
}
