// The scope of a service account that acted, on its audit entries: two service accounts of one
// identifier in different scopes are different actors, and each sees only its own entries among
// "your own actions". Null for users and system actors (identified by id alone), and for entries
// written before this column existed.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_events').addColumn('principal_scope', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_events').dropColumn('principal_scope').execute();
}
