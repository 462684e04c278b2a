// The initial schema for every aggregate. Runs unchanged on SQLite and PostgreSQL.
import type { Kysely } from 'kysely';

const scoped = ['account_id', 'org_identifier', 'project_identifier'] as const;

export async function up(db: Kysely<any>): Promise<void> {

  await db.schema.createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.createTable('organizations')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_modified_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('organizations_pk', ['account_id', 'identifier'])
    .execute();

  await db.schema.createTable('projects')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('org_identifier', 'text', (c) => c.notNull())
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('color', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('modules', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_modified_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('projects_pk', ['account_id', 'org_identifier', 'identifier'])
    .addForeignKeyConstraint('projects_org_fk', ['account_id', 'org_identifier'], 'organizations',
      ['account_id', 'identifier'], (c) => c.onDelete('cascade'))
    .execute();

  await db.schema.createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_modified_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('users_account_idx').on('users').column('account_id').execute();

  await db.schema.createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

  await db.schema.createTable('account_settings')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
    .addColumn('api_key_qps', 'double precision')
    .addColumn('max_api_keys_per_owner', 'integer')
    .addColumn('max_tokens_per_api_key', 'integer')
    .addColumn('max_token_lifetime_ms', 'bigint')
    .addColumn('last_modified_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.createTable('audit_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('org_identifier', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('project_identifier', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('resource_identifier', 'text', (c) => c.notNull())
    .addColumn('principal_type', 'text', (c) => c.notNull())
    .addColumn('principal_identifier', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .execute();
  await db.schema.createIndex('audit_account_time_idx').on('audit_events').columns(['account_id', 'timestamp']).execute();

  const scopedTable = (name: string) =>
    db.schema.createTable(name)
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('org_identifier', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('project_identifier', 'text', (c) => c.notNull().defaultTo(''));

  await scopedTable('service_accounts')
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_modified_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('service_accounts_pk', [...scoped, 'identifier'])
    .execute();

  await scopedTable('user_groups')
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_modified_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_groups_pk', [...scoped, 'identifier'])
    .execute();

  await scopedTable('user_group_members')
    .addColumn('group_identifier', 'text', (c) => c.notNull())
    .addColumn('member_type', 'text', (c) => c.notNull())
    .addColumn('member_identifier', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_group_members_pk', [...scoped, 'group_identifier', 'member_type', 'member_identifier'])
    .execute();
  await db.schema.createIndex('user_group_members_member_idx').on('user_group_members')
    .columns(['account_id', 'member_type', 'member_identifier']).execute();

  await scopedTable('roles')
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('permissions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('allowed_scope_levels', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_modified_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('roles_pk', [...scoped, 'identifier'])
    .execute();

  await scopedTable('resource_groups')
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('color', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('included_scopes', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('resource_filter', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_modified_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('resource_groups_pk', [...scoped, 'identifier'])
    .execute();

  await scopedTable('role_assignments')
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('role_identifier', 'text', (c) => c.notNull())
    .addColumn('resource_group_identifier', 'text', (c) => c.notNull())
    .addColumn('principal_type', 'text', (c) => c.notNull())
    .addColumn('principal_identifier', 'text', (c) => c.notNull())
    .addColumn('principal_scope_level', 'text')
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('managed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_modified_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('role_assignments_pk', [...scoped, 'identifier'])
    .execute();
  await db.schema.createIndex('role_assignments_principal_idx').on('role_assignments')
    .columns(['account_id', 'principal_type', 'principal_identifier']).execute();

  await scopedTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('api_key_type', 'text', (c) => c.notNull())
    .addColumn('parent_identifier', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('default_time_to_expire_token', 'bigint', (c) => c.notNull())
    .addColumn('rate_limit_qps', 'double precision')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_modified_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('api_keys_identity_uq', [...scoped, 'api_key_type', 'parent_identifier', 'identifier'])
    .execute();

  await scopedTable('tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('api_key_id', 'text', (c) => c.notNull().references('api_keys.id').onDelete('cascade'))
    .addColumn('api_key_identifier', 'text', (c) => c.notNull())
    .addColumn('api_key_type', 'text', (c) => c.notNull())
    .addColumn('parent_identifier', 'text', (c) => c.notNull())
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'bigint', (c) => c.notNull())
    .addColumn('valid_to', 'bigint', (c) => c.notNull())
    .addColumn('scheduled_expire_time', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_modified_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addUniqueConstraint('tokens_identity_uq', ['api_key_id', 'identifier'])
    .execute();
  await db.schema.createIndex('tokens_owner_idx').on('tokens')
    .columns(['account_id', 'api_key_type', 'parent_identifier']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['tokens', 'api_keys', 'role_assignments', 'resource_groups', 'roles', 'user_group_members',
    'user_groups', 'service_accounts', 'audit_events', 'account_settings', 'sessions', 'users', 'projects',
    'organizations', 'accounts']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
