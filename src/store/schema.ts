// The table layout, as one Kysely `Database` type. Scope columns hold '' (never NULL) for "no
// organization" / "no project", so uniqueness and equality work the same on SQLite and PostgreSQL;
// repositories convert to and from the domain's null. Booleans are 0/1 integers, JSON is text,
// instants are epoch milliseconds.

export interface AccountsTable { id: string; name: string; created_at: number }

export interface OrganizationsTable {
  account_id: string; identifier: string; name: string; description: string; tags: string;
  created_at: number; last_modified_at: number;
}

export interface ProjectsTable {
  account_id: string; org_identifier: string; identifier: string; name: string; description: string;
  color: string; modules: string; tags: string; created_at: number; last_modified_at: number;
}

export interface UsersTable {
  id: string; account_id: string; email: string; name: string; password_hash: string; disabled: number;
  created_at: number; last_modified_at: number;
}

export interface SessionsTable {
  id_hash: string; user_id: string; csrf_token: string; created_at: number; expires_at: number;
}

export interface AccountSettingsTable {
  account_id: string; api_key_qps: number | null; max_api_keys_per_owner: number | null;
  max_tokens_per_api_key: number | null; max_token_lifetime_ms: number | null; last_modified_at: number;
}

export interface AuditEventsTable {
  id: string; account_id: string; org_identifier: string; project_identifier: string; timestamp: number;
  action: string; resource_type: string; resource_identifier: string; principal_type: string;
  principal_identifier: string; ip: string | null; user_agent: string | null; before: string | null;
  after: string | null;
  /** A service account actor's scope, as `org/project` ('' for none): see migration 002. */
  principal_scope: string | null;
}

interface ScopedColumns { account_id: string; org_identifier: string; project_identifier: string }

export interface ServiceAccountsTable extends ScopedColumns {
  identifier: string; name: string; email: string; description: string; tags: string;
  created_at: number; last_modified_at: number;
}

export interface UserGroupsTable extends ScopedColumns {
  identifier: string; name: string; description: string; tags: string; created_at: number; last_modified_at: number;
}

export interface UserGroupMembersTable extends ScopedColumns {
  group_identifier: string; member_type: 'USER' | 'SERVICE_ACCOUNT'; member_identifier: string;
}

export interface RolesTable extends ScopedColumns {
  identifier: string; name: string; description: string; tags: string; permissions: string;
  allowed_scope_levels: string; created_at: number; last_modified_at: number;
}

export interface ResourceGroupsTable extends ScopedColumns {
  identifier: string; name: string; description: string; tags: string; color: string;
  included_scopes: string; resource_filter: string; created_at: number; last_modified_at: number;
}

export interface RoleAssignmentsTable extends ScopedColumns {
  identifier: string; role_identifier: string; resource_group_identifier: string; principal_type: string;
  principal_identifier: string; principal_scope_level: string | null; disabled: number; managed: number;
  created_at: number; last_modified_at: number;
}

export interface ApiKeysTable extends ScopedColumns {
  id: string; identifier: string; api_key_type: 'USER' | 'SERVICE_ACCOUNT'; parent_identifier: string;
  name: string; description: string; tags: string; default_time_to_expire_token: number;
  rate_limit_qps: number | null; created_at: number; last_modified_at: number;
}

export interface TokensTable extends ScopedColumns {
  id: string; api_key_id: string; api_key_identifier: string; api_key_type: 'USER' | 'SERVICE_ACCOUNT';
  parent_identifier: string; identifier: string; name: string; description: string; tags: string;
  secret_hash: string; valid_from: number; valid_to: number; scheduled_expire_time: number | null;
  created_at: number; last_modified_at: number; last_used_at: number | null;
}

export interface Database {
  accounts: AccountsTable;
  organizations: OrganizationsTable;
  projects: ProjectsTable;
  users: UsersTable;
  sessions: SessionsTable;
  account_settings: AccountSettingsTable;
  audit_events: AuditEventsTable;
  service_accounts: ServiceAccountsTable;
  user_groups: UserGroupsTable;
  user_group_members: UserGroupMembersTable;
  roles: RolesTable;
  resource_groups: ResourceGroupsTable;
  role_assignments: RoleAssignmentsTable;
  api_keys: ApiKeysTable;
  tokens: TokensTable;
}
