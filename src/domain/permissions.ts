// The permission catalog of SPEC §6 and the resource types permission checks name.

export const RESOURCE_TYPES = [
  'ACCOUNT', 'ORGANIZATION', 'PROJECT', 'USER', 'USERGROUP', 'SERVICEACCOUNT', 'ROLE', 'RESOURCEGROUP', 'AUDIT',
] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export const PERMISSIONS = [
  'core_account_view', 'core_account_edit',
  'core_organization_view', 'core_organization_create', 'core_organization_edit', 'core_organization_delete',
  'core_project_view', 'core_project_create', 'core_project_edit', 'core_project_delete',
  'core_user_view', 'core_user_manage',
  'core_usergroup_view', 'core_usergroup_manage',
  'core_serviceaccount_view', 'core_serviceaccount_edit', 'core_serviceaccount_delete', 'core_serviceaccount_manageapikey',
  'core_role_view', 'core_role_edit', 'core_role_delete',
  'core_resourcegroup_view', 'core_resourcegroup_edit', 'core_resourcegroup_delete',
  'core_audit_view',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** The resource type each permission applies to. */
export const PERMISSION_RESOURCE_TYPE: Record<Permission, ResourceType> = {
  core_account_view: 'ACCOUNT', core_account_edit: 'ACCOUNT',
  core_organization_view: 'ORGANIZATION', core_organization_create: 'ORGANIZATION',
  core_organization_edit: 'ORGANIZATION', core_organization_delete: 'ORGANIZATION',
  core_project_view: 'PROJECT', core_project_create: 'PROJECT', core_project_edit: 'PROJECT', core_project_delete: 'PROJECT',
  core_user_view: 'USER', core_user_manage: 'USER',
  core_usergroup_view: 'USERGROUP', core_usergroup_manage: 'USERGROUP',
  core_serviceaccount_view: 'SERVICEACCOUNT', core_serviceaccount_edit: 'SERVICEACCOUNT',
  core_serviceaccount_delete: 'SERVICEACCOUNT', core_serviceaccount_manageapikey: 'SERVICEACCOUNT',
  core_role_view: 'ROLE', core_role_edit: 'ROLE', core_role_delete: 'ROLE',
  core_resourcegroup_view: 'RESOURCEGROUP', core_resourcegroup_edit: 'RESOURCEGROUP', core_resourcegroup_delete: 'RESOURCEGROUP',
  core_audit_view: 'AUDIT',
};

const permissionSet = new Set<string>(PERMISSIONS);
export const isPermission = (p: string): p is Permission => permissionSet.has(p);

/** How a resource type is named in denial messages (Harness's lower-case form). */
export function resourceTypeLabel(type: ResourceType): string {
  return type.toLowerCase();
}
