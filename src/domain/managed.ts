// The managed roles and resource groups every account has (SPEC §6). They live in code, not in the
// store, and can be neither changed nor deleted.
import { PERMISSIONS, type Permission, type ResourceType } from './permissions.js';
import type { ScopeLevel } from './scope.js';

export interface ManagedRole {
  identifier: string;
  name: string;
  description: string;
  permissions: Permission[];
  allowedScopeLevels: ScopeLevel[];
}

const viewPermissions = PERMISSIONS.filter((p) => p.endsWith('_view'));
const withoutAccountLevel = (ps: readonly Permission[]) =>
  ps.filter((p) => !p.startsWith('core_account_') && !p.startsWith('core_organization_create'));
const projectLevel = (ps: readonly Permission[]) =>
  ps.filter((p) => !p.startsWith('core_account_') && !p.startsWith('core_organization_') && p !== 'core_project_create');

export const MANAGED_ROLES: ManagedRole[] = [
  { identifier: '_account_admin', name: 'Account Admin', description: 'Administer the whole account',
    permissions: [...PERMISSIONS], allowedScopeLevels: ['account'] },
  { identifier: '_account_viewer', name: 'Account Viewer', description: 'View everything in the account',
    permissions: [...viewPermissions], allowedScopeLevels: ['account'] },
  { identifier: '_organization_admin', name: 'Organization Admin', description: 'Administer an organization',
    permissions: withoutAccountLevel(PERMISSIONS), allowedScopeLevels: ['organization'] },
  { identifier: '_organization_viewer', name: 'Organization Viewer', description: 'View everything in an organization',
    permissions: withoutAccountLevel(viewPermissions), allowedScopeLevels: ['organization'] },
  { identifier: '_project_admin', name: 'Project Admin', description: 'Administer a project',
    permissions: projectLevel(PERMISSIONS), allowedScopeLevels: ['project'] },
  { identifier: '_project_viewer', name: 'Project Viewer', description: 'View everything in a project',
    permissions: projectLevel(viewPermissions), allowedScopeLevels: ['project'] },
];

export interface ManagedResourceGroup {
  identifier: string;
  name: string;
  description: string;
  /** Which scope levels it can be used at. */
  allowedScopeLevels: ScopeLevel[];
  /** Covers resources of child scopes too. */
  includeChildScopes: boolean;
  resourceTypes: 'ALL' | ResourceType[];
}

export const MANAGED_RESOURCE_GROUPS: ManagedResourceGroup[] = [
  { identifier: '_all_resources_including_child_scopes', name: 'All Resources Including Child Scopes',
    description: 'All resources in the scope and in every scope below it',
    allowedScopeLevels: ['account', 'organization'], includeChildScopes: true, resourceTypes: 'ALL' },
  { identifier: '_all_account_level_resources', name: 'All Account Level Resources',
    description: 'All resources at account level', allowedScopeLevels: ['account'], includeChildScopes: false, resourceTypes: 'ALL' },
  { identifier: '_all_organization_level_resources', name: 'All Organization Level Resources',
    description: 'All resources at organization level', allowedScopeLevels: ['organization'], includeChildScopes: false, resourceTypes: 'ALL' },
  { identifier: '_all_project_level_resources', name: 'All Project Level Resources',
    description: 'All resources at project level', allowedScopeLevels: ['project'], includeChildScopes: false, resourceTypes: 'ALL' },
];

export const ACCOUNT_ADMIN_ROLE = '_account_admin';
/**
 * The rule that an account always keeps an enabled admin counts only `_account_admin` at account
 * scope on these managed resource groups. Both cover every resource at account level — roles,
 * resource groups and assignments included — so such an admin can always grant anything again, in
 * child scopes too. A custom group can be narrowed or emptied later, and with it the admin's rights.
 * (UserInfo's `admin` follows SPEC §3: `_account_admin` at account scope, whatever the group.)
 */
export const ACCOUNT_ADMIN_RESOURCE_GROUPS: readonly string[] = ['_all_resources_including_child_scopes', '_all_account_level_resources'];

export const managedRole = (id: string) => MANAGED_ROLES.find((r) => r.identifier === id) ?? null;
export const managedResourceGroup = (id: string) => MANAGED_RESOURCE_GROUPS.find((g) => g.identifier === id) ?? null;
export const isManagedRole = (id: string) => managedRole(id) !== null;
export const isManagedResourceGroup = (id: string) => managedResourceGroup(id) !== null;
