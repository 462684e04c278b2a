// Projects: the innermost scopes. A project's identifier is unique in its organization.
import type { Kysely } from 'kysely';
import type { Database, ProjectsTable } from './schema.js';
import { inCodePointOrder } from './text-order.js';

export interface Project {
  identifier: string;
  orgIdentifier: string;
  name: string;
  color: string;
  modules: string[];
  description: string;
  tags: Record<string, string>;
}

export interface ProjectRecord {
  project: Project;
  createdAt: number;
  lastModifiedAt: number;
}

export function toProjectRecord(row: ProjectsTable): ProjectRecord {
  return {
    project: {
      identifier: row.identifier,
      orgIdentifier: row.org_identifier,
      name: row.name,
      color: row.color,
      modules: JSON.parse(row.modules) as string[],
      description: row.description,
      tags: JSON.parse(row.tags) as Record<string, string>,
    },
    createdAt: row.created_at,
    lastModifiedAt: row.last_modified_at,
  };
}

export async function getProject(db: Kysely<Database>, accountId: string, orgIdentifier: string, identifier: string):
  Promise<ProjectRecord | null> {
  const row = await db.selectFrom('projects').selectAll()
    .where('account_id', '=', accountId).where('org_identifier', '=', orgIdentifier)
    .where('identifier', '=', identifier).executeTakeFirst();
  return row ? toProjectRecord(row) : null;
}

/** The projects of one organization, or of every organization when `orgIdentifier` is null. */
export async function listProjects(db: Kysely<Database>, accountId: string, orgIdentifier: string | null):
  Promise<ProjectRecord[]> {
  let q = db.selectFrom('projects').selectAll().where('account_id', '=', accountId);
  if (orgIdentifier !== null) q = q.where('org_identifier', '=', orgIdentifier);
  const rows = await q.orderBy('org_identifier', inCodePointOrder(db)).orderBy('identifier', inCodePointOrder(db)).execute();
  return rows.map(toProjectRecord);
}

export async function insertProject(db: Kysely<Database>, accountId: string, project: Project, now: number):
  Promise<ProjectRecord> {
  const row: ProjectsTable = {
    account_id: accountId, org_identifier: project.orgIdentifier, identifier: project.identifier, name: project.name,
    description: project.description, color: project.color, modules: JSON.stringify(project.modules),
    tags: JSON.stringify(project.tags), created_at: now, last_modified_at: now,
  };
  await db.insertInto('projects').values(row).execute();
  return toProjectRecord(row);
}

/** Saves everything but the identifier and organization, which never change. */
export async function updateProject(db: Kysely<Database>, accountId: string, project: Project, now: number): Promise<void> {
  await db.updateTable('projects').set({
    name: project.name, description: project.description, color: project.color,
    modules: JSON.stringify(project.modules), tags: JSON.stringify(project.tags), last_modified_at: now,
  }).where('account_id', '=', accountId).where('org_identifier', '=', project.orgIdentifier)
    .where('identifier', '=', project.identifier).execute();
}

/** Deletes the project row only; its contents go with deleteScopeContents first. */
export async function deleteProjectRow(db: Kysely<Database>, accountId: string, orgIdentifier: string, identifier: string): Promise<void> {
  await db.deleteFrom('projects').where('account_id', '=', accountId).where('org_identifier', '=', orgIdentifier)
    .where('identifier', '=', identifier).execute();
}
