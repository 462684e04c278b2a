// Roles (SPEC §3, §6): the six managed roles (in code, listed at every scope) and custom roles
// stored at a scope, each a set of catalog permissions with the scope levels it may be assigned at.
import type { Kysely } from 'kysely';
import { inChunks } from './chunks.js';
import type { RoleFact } from '../domain/evaluation.js';
import { MANAGED_ROLES, type ManagedRole } from '../domain/managed.js';
import { makeScope, type Scope, type ScopeLevel } from '../domain/scope.js';
import type { Database, RolesTable } from './schema.js';
import { scopeCols, whereScope } from './scope-columns.js';
import { inCodePointOrder } from './text-order.js';

export interface Role {
  identifier: string;
  name: string;
  permissions: string[];
  allowedScopeLevels: ScopeLevel[];
  description: string;
  tags: Record<string, string>;
}

export interface RoleRecord {
  role: Role;
  /** Where a custom role is defined; null for managed roles (as Harness answers). */
  scope: Scope | null;
  harnessManaged: boolean;
  createdAt: number | null;
  lastModifiedAt: number | null;
}

export function managedRoleRecord(r: ManagedRole): RoleRecord {
  return {
    role: { identifier: r.identifier, name: r.name, permissions: [...r.permissions], allowedScopeLevels: [...r.allowedScopeLevels], description: r.description, tags: {} },
    scope: null, harnessManaged: true, createdAt: null, lastModifiedAt: null,
  };
}
export const MANAGED_ROLE_RECORDS: readonly RoleRecord[] = MANAGED_ROLES.map(managedRoleRecord);

function toRecord(row: RolesTable): RoleRecord {
  return {
    role: {
      identifier: row.identifier, name: row.name, permissions: JSON.parse(row.permissions),
      allowedScopeLevels: JSON.parse(row.allowed_scope_levels), description: row.description, tags: JSON.parse(row.tags),
    },
    scope: makeScope(row.account_id, row.org_identifier, row.project_identifier),
    harnessManaged: false, createdAt: row.created_at, lastModifiedAt: row.last_modified_at,
  };
}

export function toRoleFact(row: RolesTable): RoleFact {
  return {
    identifier: row.identifier, name: row.name, scope: makeScope(row.account_id, row.org_identifier, row.project_identifier),
    permissions: JSON.parse(row.permissions), allowedScopeLevels: JSON.parse(row.allowed_scope_levels),
  };
}

export async function getCustomRole(db: Kysely<Database>, scope: Scope, identifier: string): Promise<RoleRecord | null> {
  const row = await whereScope(db.selectFrom('roles').selectAll(), scope).where('identifier', '=', identifier).executeTakeFirst();
  return row ? toRecord(row) : null;
}

export async function listCustomRoles(db: Kysely<Database>, scope: Scope): Promise<RoleRecord[]> {
  const rows = await whereScope(db.selectFrom('roles').selectAll(), scope).orderBy('identifier', inCodePointOrder(db)).execute();
  return rows.map(toRecord);
}

/** Custom roles of the account with these identifiers (every scope), as evaluation facts. */
export async function roleFacts(db: Kysely<Database>, accountId: string, identifiers: string[]): Promise<RoleFact[]> {
  const rows = await inChunks(identifiers, (chunk) => db.selectFrom('roles').selectAll()
    .where('account_id', '=', accountId).where('identifier', 'in', chunk).execute());
  return rows.map(toRoleFact);
}

export async function insertRole(db: Kysely<Database>, scope: Scope, role: Role, now: number): Promise<RoleRecord> {
  const row: RolesTable = {
    ...scopeCols(scope), identifier: role.identifier, name: role.name, description: role.description,
    tags: JSON.stringify(role.tags), permissions: JSON.stringify(role.permissions),
    allowed_scope_levels: JSON.stringify(role.allowedScopeLevels), created_at: now, last_modified_at: now,
  };
  await db.insertInto('roles').values(row).execute();
  return toRecord(row);
}

export async function updateRole(db: Kysely<Database>, scope: Scope, role: Role, now: number): Promise<void> {
  await whereScope(db.updateTable('roles').set({
    name: role.name, description: role.description, tags: JSON.stringify(role.tags),
    permissions: JSON.stringify(role.permissions), allowed_scope_levels: JSON.stringify(role.allowedScopeLevels), last_modified_at: now,
  }), scope).where('identifier', '=', role.identifier).execute();
}

export async function deleteRole(db: Kysely<Database>, scope: Scope, identifier: string): Promise<void> {
  await whereScope(db.deleteFrom('roles'), scope).where('identifier', '=', identifier).execute();
}
