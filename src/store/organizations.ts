// Organizations: the middle level of scopes. An organization's identifier is unique in its account.
import type { Kysely } from 'kysely';
import type { Database, OrganizationsTable } from './schema.js';
import { inCodePointOrder } from './text-order.js';

export interface Organization {
  identifier: string;
  name: string;
  description: string;
  tags: Record<string, string>;
}

export interface OrganizationRecord {
  organization: Organization;
  createdAt: number;
  lastModifiedAt: number;
}

export function toOrganizationRecord(row: OrganizationsTable): OrganizationRecord {
  return {
    organization: {
      identifier: row.identifier,
      name: row.name,
      description: row.description,
      tags: JSON.parse(row.tags) as Record<string, string>,
    },
    createdAt: row.created_at,
    lastModifiedAt: row.last_modified_at,
  };
}

export async function getOrganization(db: Kysely<Database>, accountId: string, identifier: string):
  Promise<OrganizationRecord | null> {
  const row = await db.selectFrom('organizations').selectAll()
    .where('account_id', '=', accountId).where('identifier', '=', identifier).executeTakeFirst();
  return row ? toOrganizationRecord(row) : null;
}

export async function listOrganizations(db: Kysely<Database>, accountId: string): Promise<OrganizationRecord[]> {
  const rows = await db.selectFrom('organizations').selectAll().where('account_id', '=', accountId)
    .orderBy('identifier', inCodePointOrder(db)).execute();
  return rows.map(toOrganizationRecord);
}

export async function insertOrganization(db: Kysely<Database>, accountId: string, org: Organization, now: number):
  Promise<OrganizationRecord> {
  const row: OrganizationsTable = {
    account_id: accountId, identifier: org.identifier, name: org.name, description: org.description,
    tags: JSON.stringify(org.tags), created_at: now, last_modified_at: now,
  };
  await db.insertInto('organizations').values(row).execute();
  return toOrganizationRecord(row);
}

/** Saves name, description and tags (the identifier never changes). */
export async function updateOrganization(db: Kysely<Database>, accountId: string, org: Organization, now: number): Promise<void> {
  await db.updateTable('organizations')
    .set({ name: org.name, description: org.description, tags: JSON.stringify(org.tags), last_modified_at: now })
    .where('account_id', '=', accountId).where('identifier', '=', org.identifier).execute();
}

/** Deletes the organization row only; its contents go with deleteScopeContents first. */
export async function deleteOrganizationRow(db: Kysely<Database>, accountId: string, identifier: string): Promise<void> {
  await db.deleteFrom('organizations').where('account_id', '=', accountId).where('identifier', '=', identifier).execute();
}
