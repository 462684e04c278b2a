// What each action of the console needs, as the route behind it authorizes (src/routes/**):
// creating asks about any resource of its type at the scope it is made in; a change asks about
// the resource changed. Pages ask these with useAccess before offering the action.
import type { PrincipalType, Scope } from '../api/types';
import type { Need } from './access';

const accountOf = (scope: Scope): Scope => ({ accountIdentifier: scope.accountIdentifier, orgIdentifier: null, projectIdentifier: null });

/** Organizations and users belong to the account, whatever scope the console is in. */
export const createOrganization = (scope: Scope): Need =>
  ({ permission: 'core_organization_create', scope: accountOf(scope), action: 'create organizations' });

export const createUser = (scope: Scope): Need =>
  ({ permission: 'core_user_manage', scope: accountOf(scope), action: 'create users' });

/** A project is made in an organization. */
export const createProject = (account: string, org: string): Need => ({
  permission: 'core_project_create', scope: { accountIdentifier: account, orgIdentifier: org, projectIdentifier: null },
  action: `create projects in organization ${org}`,
});

export const createUserGroup = (scope: Scope): Need =>
  ({ permission: 'core_usergroup_manage', scope, action: 'create user groups here' });

export const createServiceAccount = (scope: Scope): Need =>
  ({ permission: 'core_serviceaccount_edit', scope, action: 'create service accounts here' });

export const createRole = (scope: Scope): Need =>
  ({ permission: 'core_role_edit', scope, action: 'create roles here' });

export const createResourceGroup = (scope: Scope): Need =>
  ({ permission: 'core_resourcegroup_edit', scope, action: 'create resource groups here' });

export const editServiceAccount = (scope: Scope, identifier: string): Need =>
  ({ permission: 'core_serviceaccount_edit', scope, identifier, action: 'edit this service account' });

export const deleteServiceAccount = (scope: Scope, identifier: string): Need =>
  ({ permission: 'core_serviceaccount_delete', scope, identifier, action: 'delete this service account' });

/** Creating, editing, rotating and deleting a service account's keys and tokens (src/auth/key-access.ts). */
export const manageServiceAccountKeys = (scope: Scope, identifier: string): Need => ({
  permission: 'core_serviceaccount_manageapikey', scope, identifier,
  action: 'manage the API keys and tokens of this service account',
});

/**
 * Deleting the personal API keys and tokens of another user (src/auth/key-access.ts). Nobody but
 * their owner may create or change them; the owner needs nothing to manage their own.
 */
export const deleteUserKeys = (scope: Scope, user: string): Need => ({
  permission: 'core_user_manage', scope: accountOf(scope), identifier: user,
  action: "delete this user's API keys and tokens",
});

/** Adding members to a user group or taking them out: an update of that group. */
export const changeUserGroupMembers = (scope: Scope, identifier: string): Need =>
  ({ permission: 'core_usergroup_manage', scope, identifier, action: 'change the members of this user group' });

/**
 * Add API Key: a new service account with a key and a token. The service account does not exist
 * yet, so its keys are asked about for any at the scope. Putting it into the chosen user groups
 * needs changeUserGroupMembers on each, which the group choice asks about group by group.
 */
export const addApiKey = (scope: Scope): Need[] => [
  createServiceAccount(scope),
  { permission: 'core_serviceaccount_manageapikey', scope, action: 'create API keys and tokens for service accounts here' },
];

/** Role assignments are guarded by the principal's type (src/routes/role-assignments/principal-access.ts). */
const MANAGE_PRINCIPAL: Record<PrincipalType, { permission: string; what: string }> = {
  USER: { permission: 'core_user_manage', what: 'this user' },
  USER_GROUP: { permission: 'core_usergroup_manage', what: 'this user group' },
  SERVICE_ACCOUNT: { permission: 'core_serviceaccount_edit', what: 'this service account' },
};

export function changeRoleAssignments(scope: Scope, principal: { identifier: string; type: PrincipalType }): Need {
  const { permission, what } = MANAGE_PRINCIPAL[principal.type];
  return { permission, scope, identifier: principal.identifier, action: `change the role assignments of ${what}` };
}

export const viewAccountSettings = (scope: Scope): Need => ({
  permission: 'core_account_view', scope: accountOf(scope), identifier: scope.accountIdentifier,
  action: 'view the account settings',
});

export const editAccountSettings = (scope: Scope): Need => ({
  permission: 'core_account_edit', scope: accountOf(scope), identifier: scope.accountIdentifier,
  action: 'change the account settings',
});
