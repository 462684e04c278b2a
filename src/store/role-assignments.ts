// Role assignments (SPEC §3, §6): (scope, principal, role, resource group, disabled). A group's or
// service account's assignment names where that principal lives by `principal_scope_level`.
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { AssignmentFact, PrincipalType } from '../domain/evaluation.js';
import { makeScope, scopeLevel, type Scope, type ScopeLevel } from '../domain/scope.js';
import { invalidRequest, Messages } from '../domain/errors.js';
import type { Database, RoleAssignmentsTable } from './schema.js';
import { scopeCols, whereScope } from './scope-columns.js';
import { enabledAccountAdminCount, lockAccountAdmins } from './users.js';
import { inCodePointOrder } from './text-order.js';

export interface RoleAssignmentPrincipal { identifier: string; type: PrincipalType; scopeLevel: ScopeLevel | null }

export interface RoleAssignment {
  identifier: string;
  resourceGroupIdentifier: string;
  roleIdentifier: string;
  principal: RoleAssignmentPrincipal;
  disabled: boolean;
  managed: boolean;
}

export interface RoleAssignmentRecord {
  roleAssignment: RoleAssignment;
  scope: Scope;
  harnessManaged: boolean;
  createdAt: number;
  lastModifiedAt: number;
}

const asLevel = (v: string | null): ScopeLevel | null =>
  v === 'account' || v === 'organization' || v === 'project' ? v : null;

export function toRoleAssignmentRecord(row: RoleAssignmentsTable): RoleAssignmentRecord {
  return {
    roleAssignment: {
      identifier: row.identifier,
      resourceGroupIdentifier: row.resource_group_identifier,
      roleIdentifier: row.role_identifier,
      principal: { identifier: row.principal_identifier, type: row.principal_type as PrincipalType, scopeLevel: asLevel(row.principal_scope_level) },
      disabled: !!row.disabled,
      managed: !!row.managed,
    },
    scope: makeScope(row.account_id, row.org_identifier, row.project_identifier),
    harnessManaged: !!row.managed,
    createdAt: row.created_at,
    lastModifiedAt: row.last_modified_at,
  };
}

export function toAssignmentFact(row: RoleAssignmentsTable): AssignmentFact {
  return {
    identifier: row.identifier,
    scope: makeScope(row.account_id, row.org_identifier, row.project_identifier),
    roleIdentifier: row.role_identifier,
    resourceGroupIdentifier: row.resource_group_identifier,
    principalType: row.principal_type as PrincipalType,
    principalIdentifier: row.principal_identifier,
    principalScopeLevel: asLevel(row.principal_scope_level),
    disabled: !!row.disabled,
  };
}

/**
 * Narrows a role_assignments query to the assignments of one principal living at `principalScope`
 * (users: the account): at that scope or below, naming it by its level.
 */
export function principalAssignmentsWhere<T extends { where: (...args: any[]) => T }>(
  q: T, type: PrincipalType, identifier: string, principalScope: Scope,
): T {
  let out = q.where('account_id', '=', principalScope.accountIdentifier)
    .where('principal_type', '=', type).where('principal_identifier', '=', identifier);
  if (type === 'USER') return out;
  const org = principalScope.orgIdentifier;
  const project = principalScope.projectIdentifier;
  if (org) out = out.where('org_identifier', '=', org);
  if (project) out = out.where('project_identifier', '=', project);
  return out.where((eb: ExpressionBuilder<Database, 'role_assignments'>) => eb.or([
    eb('principal_scope_level', '=', scopeLevel(principalScope)),
    eb.and([eb('principal_scope_level', 'is', null), eb('org_identifier', '=', org ?? ''), eb('project_identifier', '=', project ?? '')]),
  ]));
}

export async function getRoleAssignment(db: Kysely<Database>, scope: Scope, identifier: string): Promise<RoleAssignmentRecord | null> {
  const row = await whereScope(db.selectFrom('role_assignments').selectAll(), scope)
    .where('identifier', '=', identifier).executeTakeFirst();
  return row ? toRoleAssignmentRecord(row) : null;
}

export interface RoleAssignmentFilter {
  principalType?: string;
  principalIdentifier?: string;
  roleIdentifier?: string;
  resourceGroupIdentifier?: string;
}

/** The assignments made at exactly `scope`. */
export async function listRoleAssignments(db: Kysely<Database>, scope: Scope, filter: RoleAssignmentFilter = {}): Promise<RoleAssignmentRecord[]> {
  let q = whereScope(db.selectFrom('role_assignments').selectAll(), scope);
  if (filter.principalType) q = q.where('principal_type', '=', filter.principalType);
  if (filter.principalIdentifier) q = q.where('principal_identifier', '=', filter.principalIdentifier);
  if (filter.roleIdentifier) q = q.where('role_identifier', '=', filter.roleIdentifier);
  if (filter.resourceGroupIdentifier) q = q.where('resource_group_identifier', '=', filter.resourceGroupIdentifier);
  return (await q.orderBy('created_at').orderBy('identifier', inCodePointOrder(db)).execute()).map(toRoleAssignmentRecord);
}

export async function insertRoleAssignment(db: Kysely<Database>, scope: Scope, a: RoleAssignment, now: number): Promise<RoleAssignmentRecord> {
  const row: RoleAssignmentsTable = {
    ...scopeCols(scope), identifier: a.identifier, role_identifier: a.roleIdentifier,
    resource_group_identifier: a.resourceGroupIdentifier, principal_type: a.principal.type,
    principal_identifier: a.principal.identifier, principal_scope_level: a.principal.scopeLevel,
    disabled: a.disabled ? 1 : 0, managed: a.managed ? 1 : 0, created_at: now, last_modified_at: now,
  };
  await db.insertInto('role_assignments').values(row).execute();
  return toRoleAssignmentRecord(row);
}

/** False when there was no such assignment (deleted meanwhile by a concurrent transaction). */
export async function setRoleAssignmentDisabled(db: Kysely<Database>, scope: Scope, identifier: string, disabled: boolean, now: number): Promise<boolean> {
  const result = await whereScope(db.updateTable('role_assignments').set({ disabled: disabled ? 1 : 0, last_modified_at: now }), scope)
    .where('identifier', '=', identifier).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** False when there was no such assignment (deleted meanwhile by a concurrent transaction). */
export async function deleteRoleAssignment(db: Kysely<Database>, scope: Scope, identifier: string): Promise<boolean> {
  const result = await whereScope(db.deleteFrom('role_assignments'), scope).where('identifier', '=', identifier).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** An assignment at `scope` of the same principal, role and resource group, if any. */
export async function findSameAssignment(db: Kysely<Database>, scope: Scope, a: RoleAssignment): Promise<string | null> {
  const row = await whereScope(db.selectFrom('role_assignments').select('identifier'), scope)
    .where('principal_type', '=', a.principal.type).where('principal_identifier', '=', a.principal.identifier)
    .where('role_identifier', '=', a.roleIdentifier).where('resource_group_identifier', '=', a.resourceGroupIdentifier)
    .executeTakeFirst();
  return row?.identifier ?? null;
}

/**
 * The assignments that may use the custom role defined at `scope` (identifier, and the level they
 * are made at): those naming it at that scope or below (a nearer definition could shadow it there;
 * refusing is the safe side).
 */
export async function assignmentsUsingRole(db: Kysely<Database>, scope: Scope, identifier: string):
  Promise<Array<{ identifier: string; level: ScopeLevel }>> {
  let q = db.selectFrom('role_assignments').select(['identifier', 'org_identifier', 'project_identifier'])
    .where('account_id', '=', scope.accountIdentifier).where('role_identifier', '=', identifier);
  if (scope.orgIdentifier) q = q.where('org_identifier', '=', scope.orgIdentifier);
  if (scope.projectIdentifier) q = q.where('project_identifier', '=', scope.projectIdentifier);
  const rows = await q.orderBy('identifier', inCodePointOrder(db)) // identifiers repeat across the scopes below
    .orderBy('org_identifier', inCodePointOrder(db)).orderBy('project_identifier', inCodePointOrder(db)).execute();
  return rows.map((r) => ({
    identifier: r.identifier,
    level: scopeLevel(makeScope(scope.accountIdentifier, r.org_identifier || null, r.project_identifier || null)),
  }));
}

/** Identifiers of the assignments using the custom resource group of `scope` (only its own scope can). */
export async function assignmentsUsingResourceGroup(db: Kysely<Database>, scope: Scope, identifier: string): Promise<string[]> {
  const rows = await whereScope(db.selectFrom('role_assignments').select('identifier'), scope)
    .where('resource_group_identifier', '=', identifier).orderBy('identifier', inCodePointOrder(db)).execute();
  return rows.map((r) => r.identifier);
}

/**
 * Runs `change` (inside the caller's transaction) and refuses it with a 400 when it leaves the
 * account without an enabled user holding `_account_admin` at account scope (directly or through an
 * account-level group). Concurrent changes are serialized by the account-admin lock.
 */
export async function keepingAnAccountAdmin<T>(
  trx: Kysely<Database>, engine: 'sqlite' | 'postgres', accountId: string, change: () => Promise<T>,
): Promise<T> {
  await lockAccountAdmins(trx, engine, accountId);
  const before = await enabledAccountAdminCount(trx, accountId);
  const result = await change();
  if (before > 0 && (await enabledAccountAdminCount(trx, accountId)) === 0) throw invalidRequest(Messages.lastAccountAdminAssignment);
  return result;
}
