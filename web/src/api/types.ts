// The wire shapes the console reads and writes (SPEC §3), as keysmith sends them.

export type Tags = Record<string, string>;

export interface Scope {
  accountIdentifier: string;
  orgIdentifier: string | null;
  projectIdentifier: string | null;
}

export interface Page<T> {
  totalPages: number;
  totalItems: number;
  pageItemCount: number;
  pageSize: number;
  content: T[];
  pageIndex: number;
  empty: boolean;
}

export interface UserInfo {
  uuid: string;
  name: string;
  email: string;
  defaultAccountId: string;
  admin: boolean;
  disabled: boolean;
  accounts: { uuid: string; accountName: string }[];
}

export interface SessionInfo extends UserInfo {
  csrfToken: string | null;
}

export type ApiKeyType = 'USER' | 'SERVICE_ACCOUNT';

export interface ApiKey extends Scope {
  identifier: string;
  name: string;
  description: string | null;
  tags: Tags | null;
  apiKeyType: ApiKeyType;
  parentIdentifier: string;
  defaultTimeToExpireToken: number | null;
  rateLimitQps?: number | null;
}

export interface ApiKeyAggregate {
  apiKey: ApiKey;
  createdAt: number;
  lastModifiedAt: number;
  tokensCount: number;
}

export interface Token extends Scope {
  identifier: string;
  name: string;
  description: string | null;
  tags: Tags | null;
  validFrom: number | null;
  validTo: number | null;
  scheduledExpireTime: number | null;
  valid?: boolean | null;
  apiKeyIdentifier: string;
  parentIdentifier: string;
  apiKeyType: ApiKeyType;
  email?: string | null;
  username?: string | null;
}

export interface TokenAggregate {
  token: Token;
  expiryAt: number | null;
  createdAt: number;
  lastModifiedAt: number;
  lastUsedAt: number | null;
}

export interface ServiceAccount extends Scope {
  identifier: string;
  name: string;
  email: string;
  description: string | null;
  tags: Tags | null;
}

export interface RoleAssignmentMetadata {
  identifier: string;
  roleIdentifier: string;
  roleName: string;
  resourceGroupIdentifier: string;
  resourceGroupName: string;
  managedRole: boolean;
  managedRoleAssignment: boolean;
}

export interface ServiceAccountAggregate {
  serviceAccount: ServiceAccount;
  createdAt: number;
  lastModifiedAt: number;
  tokensCount: number;
  roleAssignmentsMetadataDTO: RoleAssignmentMetadata[] | null;
}

export interface Organization {
  identifier: string;
  name: string;
  description: string | null;
  tags: Tags | null;
}

export interface OrganizationResponse {
  organization: Organization;
  createdAt: number;
  lastModifiedAt: number;
  harnessManaged?: boolean;
}

export interface Project {
  identifier: string;
  orgIdentifier: string;
  name: string;
  color?: string | null;
  modules?: string[] | null;
  description: string | null;
  tags: Tags | null;
}

export interface ProjectResponse {
  project: Project;
  createdAt: number;
  lastModifiedAt: number;
}

/** A row of GET /ng/api/user/aggregate; keysmith may send the user flat or under `user`. */
export interface UserAggregate {
  user?: UserInfo & { createdAt?: number };
  uuid?: string;
  name?: string;
  email?: string;
  disabled?: boolean;
  admin?: boolean;
  createdAt?: number;
  lastModifiedAt?: number;
  roleAssignmentMetadata?: RoleAssignmentMetadata[] | null;
}

export interface UserGroup extends Scope {
  identifier: string;
  name: string;
  description: string | null;
  tags: Tags | null;
  users: string[];
  serviceAccounts: string[];
}

export interface Role {
  identifier: string;
  name: string;
  permissions: string[];
  allowedScopeLevels: string[];
  description: string | null;
  tags: Tags | null;
}

export interface RoleResponse {
  role: Role;
  scope: Scope | null;
  harnessManaged: boolean;
  createdAt: number | null;
  lastModifiedAt: number | null;
}

export interface ScopeSelector {
  filter: 'EXCLUDING_CHILD_SCOPES' | 'INCLUDING_CHILD_SCOPES';
  accountIdentifier: string;
  orgIdentifier: string | null;
  projectIdentifier: string | null;
}

export interface ResourceGroup {
  identifier: string;
  name: string;
  description?: string | null;
  tags?: Tags | null;
  accountIdentifier?: string;
  orgIdentifier?: string | null;
  projectIdentifier?: string | null;
  includedScopes: ScopeSelector[];
  resourceFilter: { includeAllResources: boolean; resources: { resourceType: string; identifiers?: string[] | null }[] };
}

export interface ResourceGroupResponse {
  resourceGroup: ResourceGroup;
  createdAt: number | null;
  lastModifiedAt: number | null;
  harnessManaged: boolean;
}

export type PrincipalType = 'USER' | 'USER_GROUP' | 'SERVICE_ACCOUNT';

export interface RoleAssignment {
  identifier: string;
  resourceGroupIdentifier: string;
  roleIdentifier: string;
  principal: { identifier: string; type: PrincipalType; scopeLevel?: string | null };
  disabled: boolean;
  managed?: boolean;
}

export interface RoleAssignmentResponse {
  roleAssignment: RoleAssignment;
  scope: Scope | null;
  harnessManaged: boolean;
  createdAt: number | null;
  lastModifiedAt: number | null;
}

export interface AuditEvent {
  auditId: string;
  timestamp: number;
  action: string;
  resource: { type: string; identifier: string };
  scope: Scope;
  authenticationInfo: { principal: { type: string; identifier: string }; ip: string | null; userAgent: string | null };
  before: unknown;
  after: unknown;
}

export interface AccountSettings {
  apiKeyQps: number | null;
  maxApiKeysPerOwner: number | null;
  maxTokensPerApiKey: number | null;
  maxTokenLifetimeMs: number | null;
}

/** Limits in force; only the token lifetime may have none (null). */
export interface Limits {
  apiKeyQps: number;
  maxApiKeysPerOwner: number;
  maxTokensPerApiKey: number;
  maxTokenLifetimeMs: number | null;
}

/** GET /ng/api/account-settings/effective: readable by anyone in the account. */
export interface EffectiveSettings {
  effective: Limits;
  defaults: Limits;
}
