// Resource groups (SPEC §3, §6): the four managed ones (in code) and custom ones stored at a scope,
// selecting scopes (with or without their children) and resource types, optionally by identifier.
import type { Kysely } from 'kysely';
import { inChunks } from './chunks.js';
import type { ResourceGroupFact, ScopeFilter } from '../domain/evaluation.js';
import { MANAGED_RESOURCE_GROUPS } from '../domain/managed.js';
import type { ResourceType } from '../domain/permissions.js';
import { makeScope, scopeLevel, type Scope, type ScopeLevel } from '../domain/scope.js';
import type { Database, ResourceGroupsTable } from './schema.js';
import { scopeCols, whereScope } from './scope-columns.js';
import { inCodePointOrder } from './text-order.js';

export interface ScopeSelector {
  filter: ScopeFilter;
  accountIdentifier: string;
  orgIdentifier: string | null;
  projectIdentifier: string | null;
}

export interface ResourceFilter {
  includeAllResources: boolean;
  resources: { resourceType: ResourceType; identifiers: string[] | null }[];
}

export interface ResourceGroup {
  accountIdentifier: string;
  orgIdentifier: string | null;
  projectIdentifier: string | null;
  identifier: string;
  name: string;
  color: string;
  tags: Record<string, string>;
  description: string;
  allowedScopeLevels: ScopeLevel[];
  includedScopes: ScopeSelector[];
  resourceFilter: ResourceFilter;
}

export interface ResourceGroupRecord {
  resourceGroup: ResourceGroup;
  createdAt: number | null;
  lastModifiedAt: number | null;
  harnessManaged: boolean;
}

/** The managed resource groups usable at `scope`, shown as they apply there. */
export function managedResourceGroupRecords(scope: Scope): ResourceGroupRecord[] {
  const level = scopeLevel(scope);
  return MANAGED_RESOURCE_GROUPS.filter((g) => g.allowedScopeLevels.includes(level)).map((g) => ({
    resourceGroup: {
      ...scope, identifier: g.identifier, name: g.name, color: '#0063F7', tags: {}, description: g.description,
      allowedScopeLevels: [...g.allowedScopeLevels],
      includedScopes: [{ filter: g.includeChildScopes ? 'INCLUDING_CHILD_SCOPES' : 'EXCLUDING_CHILD_SCOPES', ...scope }],
      resourceFilter: { includeAllResources: true, resources: [] },
    },
    createdAt: null, lastModifiedAt: null, harnessManaged: true,
  }));
}

function toRecord(row: ResourceGroupsTable): ResourceGroupRecord {
  const scope = makeScope(row.account_id, row.org_identifier, row.project_identifier);
  return {
    resourceGroup: {
      ...scope, identifier: row.identifier, name: row.name, color: row.color, tags: JSON.parse(row.tags),
      description: row.description, allowedScopeLevels: [scopeLevel(scope)],
      includedScopes: JSON.parse(row.included_scopes), resourceFilter: JSON.parse(row.resource_filter),
    },
    createdAt: row.created_at, lastModifiedAt: row.last_modified_at, harnessManaged: false,
  };
}

export function toResourceGroupFact(row: ResourceGroupsTable): ResourceGroupFact {
  const { resourceGroup: g } = toRecord(row);
  return {
    identifier: g.identifier, name: g.name, scope: makeScope(g.accountIdentifier, g.orgIdentifier, g.projectIdentifier),
    includedScopes: g.includedScopes.map((s) => ({ filter: s.filter, scope: makeScope(s.accountIdentifier, s.orgIdentifier, s.projectIdentifier) })),
    includeAllResources: g.resourceFilter.includeAllResources,
    resources: g.resourceFilter.resources.map((r) => ({ resourceType: r.resourceType, identifiers: r.identifiers ?? null })),
  };
}

export async function getCustomResourceGroup(db: Kysely<Database>, scope: Scope, identifier: string): Promise<ResourceGroupRecord | null> {
  const row = await whereScope(db.selectFrom('resource_groups').selectAll(), scope)
    .where('identifier', '=', identifier).executeTakeFirst();
  return row ? toRecord(row) : null;
}

export async function listCustomResourceGroups(db: Kysely<Database>, scope: Scope): Promise<ResourceGroupRecord[]> {
  const rows = await whereScope(db.selectFrom('resource_groups').selectAll(), scope).orderBy('identifier', inCodePointOrder(db)).execute();
  return rows.map(toRecord);
}

/** Custom resource groups of the account with these identifiers (every scope), as evaluation facts. */
export async function resourceGroupFacts(db: Kysely<Database>, accountId: string, identifiers: string[]): Promise<ResourceGroupFact[]> {
  const rows = await inChunks(identifiers, (chunk) => db.selectFrom('resource_groups').selectAll()
    .where('account_id', '=', accountId).where('identifier', 'in', chunk).execute());
  return rows.map(toResourceGroupFact);
}

function columns(g: ResourceGroup) {
  return {
    name: g.name, description: g.description, tags: JSON.stringify(g.tags), color: g.color,
    included_scopes: JSON.stringify(g.includedScopes), resource_filter: JSON.stringify(g.resourceFilter),
  };
}

export async function insertResourceGroup(db: Kysely<Database>, scope: Scope, g: ResourceGroup, now: number): Promise<ResourceGroupRecord> {
  const row: ResourceGroupsTable = { ...scopeCols(scope), identifier: g.identifier, ...columns(g), created_at: now, last_modified_at: now };
  await db.insertInto('resource_groups').values(row).execute();
  return toRecord(row);
}

/** False when there was no such group (deleted meanwhile by a concurrent transaction). */
export async function updateResourceGroup(db: Kysely<Database>, scope: Scope, g: ResourceGroup, now: number): Promise<boolean> {
  const result = await whereScope(db.updateTable('resource_groups').set({ ...columns(g), last_modified_at: now }), scope)
    .where('identifier', '=', g.identifier).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteResourceGroup(db: Kysely<Database>, scope: Scope, identifier: string): Promise<void> {
  await whereScope(db.deleteFrom('resource_groups'), scope).where('identifier', '=', identifier).execute();
}
