// Users, user groups, roles, resource groups and role assignments (SPEC §3, §6).
import { api } from './client';
import { fetchAll } from './paging';
import { scopeBody, scopeKey, scopeQuery } from './scope';
import type {
  PrincipalType, ResourceGroup, ResourceGroupResponse, Role, RoleAssignment, RoleAssignmentResponse, Scope, Tags,
  UserAggregate, UserGroup, UserInfo,
} from './types';

export const userKeys = {
  all: ['users'] as const,
  list: (account: string) => ['users', account] as const,
  withRoles: (scope: Scope) => ['users', scope.accountIdentifier, 'roles', scopeKey(scope)] as const,
};
export const userGroupKeys = { all: ['usergroups'] as const, list: (scope: Scope) => ['usergroups', scopeKey(scope)] as const };
export const roleKeys = { all: ['roles'] as const, list: (scope: Scope) => ['roles', scopeKey(scope)] as const };
export const resourceGroupKeys = { all: ['resourcegroups'] as const, list: (scope: Scope) => ['resourcegroups', scopeKey(scope)] as const };
export const roleAssignmentKeys = { all: ['roleassignments'] as const, list: (scope: Scope) => ['roleassignments', scopeKey(scope)] as const };

// ---- users (account level) ----

export interface UserRow {
  uuid: string;
  name: string;
  email: string;
  disabled: boolean;
  admin: boolean;
  createdAt: number | null;
  /** Role names assigned directly at the scope the list was read for. */
  roles: string[];
}

function userRow(item: UserAggregate): UserRow {
  const u = item.user ?? item;
  return {
    uuid: u.uuid ?? '',
    name: u.name ?? '',
    email: u.email ?? '',
    disabled: !!u.disabled,
    admin: !!u.admin,
    createdAt: item.createdAt ?? item.user?.createdAt ?? null,
    roles: (item.roleAssignmentMetadata ?? []).map((r) => r.roleName),
  };
}

/** Users of the account; with a scope, each row also names the roles assigned to it there. */
export async function listUsers(accountIdentifier: string, signal?: AbortSignal, scope?: Scope): Promise<UserRow[]> {
  const items = await fetchAll<UserAggregate>('/ng/api/user/aggregate', scope ? scopeQuery(scope) : { accountIdentifier }, signal);
  return items.map(userRow);
}

export function createUser(accountIdentifier: string, input: { name: string; email: string; password: string }) {
  return api.post<UserInfo>('/ng/api/user', input, { accountIdentifier });
}

/** Sends only what changes: a name stored under older rules need not pass today's to disable its user. */
export function updateUser(accountIdentifier: string, user: UserRow, change: { name?: string; disabled?: boolean }) {
  return api.put<UserInfo>(`/ng/api/user/${encodeURIComponent(user.uuid)}`, change, { accountIdentifier });
}

export function deleteUser(accountIdentifier: string, uuid: string) {
  return api.delete<boolean>(`/ng/api/user/${encodeURIComponent(uuid)}`, { accountIdentifier });
}

export function changePassword(currentPassword: string, newPassword: string) {
  return api.put<boolean>('/api/auth/password', { currentPassword, newPassword });
}

// ---- user groups ----

/** keysmith sends the group itself; tolerate Harness's wrapped form too. */
function unwrapGroup(item: UserGroup | { userGroup?: UserGroup; userGroupDTO?: UserGroup }): UserGroup {
  const g = (item as { userGroup?: UserGroup }).userGroup ?? (item as { userGroupDTO?: UserGroup }).userGroupDTO ?? (item as UserGroup);
  return { ...g, users: g.users ?? [], serviceAccounts: g.serviceAccounts ?? [] };
}

export async function listUserGroups(scope: Scope, signal?: AbortSignal): Promise<UserGroup[]> {
  const items = await fetchAll<UserGroup>('/ng/api/user-groups', scopeQuery(scope), signal);
  return items.map(unwrapGroup);
}

export async function getUserGroup(scope: Scope, identifier: string): Promise<UserGroup> {
  return unwrapGroup(await api.get<UserGroup>(`/ng/api/user-groups/${encodeURIComponent(identifier)}`, scopeQuery(scope)));
}

export interface UserGroupInput {
  identifier: string;
  name: string;
  description: string;
  tags: Tags;
  users: string[];
  serviceAccounts: string[];
}

export function createUserGroup(scope: Scope, input: UserGroupInput) {
  return api.post<UserGroup>('/ng/api/user-groups', { ...input, ...scopeBody(scope) }, scopeQuery(scope));
}

export function updateUserGroup(scope: Scope, input: UserGroupInput) {
  return api.put<UserGroup>(`/ng/api/user-groups/${encodeURIComponent(input.identifier)}`, { ...input, ...scopeBody(scope) }, scopeQuery(scope));
}

export function deleteUserGroup(scope: Scope, identifier: string) {
  return api.delete<boolean>(`/ng/api/user-groups/${encodeURIComponent(identifier)}`, scopeQuery(scope));
}

// ---- roles ----

export async function listRoles(scope: Scope, signal?: AbortSignal) {
  return fetchAll<import('./types').RoleResponse>('/authz/api/roles', scopeQuery(scope), signal);
}

export interface RoleInput {
  identifier: string;
  name: string;
  description: string;
  tags: Tags;
  permissions: string[];
  allowedScopeLevels: string[];
}

export function createRole(scope: Scope, input: RoleInput) {
  return api.post<{ role: Role }>('/authz/api/roles', input, scopeQuery(scope));
}

export function updateRole(scope: Scope, input: RoleInput) {
  return api.put<{ role: Role }>(`/authz/api/roles/${encodeURIComponent(input.identifier)}`, input, scopeQuery(scope));
}

export function deleteRole(scope: Scope, identifier: string) {
  return api.delete<unknown>(`/authz/api/roles/${encodeURIComponent(identifier)}`, scopeQuery(scope));
}

// ---- resource groups ----

export function listResourceGroups(scope: Scope, signal?: AbortSignal) {
  return fetchAll<ResourceGroupResponse>('/resourcegroup/api/v2/resourcegroup', scopeQuery(scope), signal);
}

export function createResourceGroup(scope: Scope, group: ResourceGroup) {
  return api.post<ResourceGroupResponse>('/resourcegroup/api/v2/resourcegroup', { resourceGroup: { ...group, ...scopeBody(scope) } }, scopeQuery(scope));
}

export function updateResourceGroup(scope: Scope, group: ResourceGroup) {
  return api.put<ResourceGroupResponse>(`/resourcegroup/api/v2/resourcegroup/${encodeURIComponent(group.identifier)}`,
    { resourceGroup: { ...group, ...scopeBody(scope) } }, scopeQuery(scope));
}

export function deleteResourceGroup(scope: Scope, identifier: string) {
  return api.delete<unknown>(`/resourcegroup/api/v2/resourcegroup/${encodeURIComponent(identifier)}`, scopeQuery(scope));
}

// ---- role assignments ----

export function listRoleAssignments(scope: Scope, signal?: AbortSignal) {
  return fetchAll<RoleAssignmentResponse>('/authz/api/roleassignments', scopeQuery(scope), signal);
}

export function createRoleAssignment(scope: Scope, input: { roleIdentifier: string; resourceGroupIdentifier: string; principal: { identifier: string; type: PrincipalType } }) {
  return api.post<{ roleAssignment: RoleAssignment }>('/authz/api/roleassignments', { ...input, disabled: false }, scopeQuery(scope));
}

export function deleteRoleAssignment(scope: Scope, identifier: string) {
  return api.delete<unknown>(`/authz/api/roleassignments/${encodeURIComponent(identifier)}`, scopeQuery(scope));
}
