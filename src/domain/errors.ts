// Every error keysmith answers with: the Harness error codes, their HTTP statuses, and the exact
// messages clients match on. Routes throw these; the HTTP layer turns them into the envelope.

export const ErrorCode = {
  INVALID_REQUEST: 400,
  INVALID_ARGUMENT: 400,
  DUPLICATE_FIELD: 400,
  ENTITY_NOT_FOUND: 404,
  RESOURCE_NOT_FOUND_EXCEPTION: 404,
  UNAUTHORIZED: 401,
  ACCESS_DENIED: 403,
  TOO_MANY_REQUESTS: 429,
  INVALID_TOKEN: 401,
  EXPIRED_TOKEN: 401,
  NG_ACCESS_DENIED: 403,
  UNKNOWN_ERROR: 500,
} as const;
export type ErrorCode = keyof typeof ErrorCode;

export interface FailedPermissionCheck {
  resourceScope: { accountIdentifier: string; orgIdentifier: string | null; projectIdentifier: string | null };
  resourceType: string;
  resourceIdentifier: string | null;
  permission: string;
}

export class KeysmithError extends Error {
  readonly code: ErrorCode;
  readonly httpStatus: number;
  failedPermissionChecks?: FailedPermissionCheck[];
  headers?: Record<string, string>;

  constructor(code: ErrorCode, message: string, httpStatus: number = ErrorCode[code]) {
    // These are answers to the client (401, 403, 404...), never logged with a stack: capturing
    // one costs several microseconds each, which a flood of bad tokens would pay per request.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = 'KeysmithError';
    this.code = code;
    this.httpStatus = httpStatus;
  }
}

export const Messages = {
  authenticationRequired: 'Authentication required',
  invalidLogin: 'Invalid email or password',
  invalidToken: 'Token is not valid.',
  expiredToken: 'Token expired.',
  csrf: 'Missing or invalid X-CSRF-Token header',
  maximumLimit: 'Maximum limit has reached',
  rotatedTokensCannotBeUpdated: 'Rotated tokens cannot be updated',
  needParentIdentifier: 'Need to pass parentIdentifier along with apikeyIdentifier to list the tokens.',
  bodyTooLarge: 'Request body too large',
  pageSizeTooLarge: 'pageSize must be at most 100',
  tooManyLoginAttempts: 'Too many login attempts, try again later',
  sessionOfServiceAccount: 'A service account has no console session: its tokens are its only credentials',
  passwordOfServiceAccount: 'A service account has no password: its tokens are its only credentials',
  duplicateApiKey: (id: string) => `Try using different Key name, [${id}] already exists`,
  duplicateToken: (id: string) => `Try using different token name, [${id}] already exists`,
  duplicateServiceAccount: (id: string) =>
    `A service account with identifier ${id} is already present or was deleted in scope`,
  valueMismatch: (previous: string | null, current: string | null) =>
    `Invalid request: Value mismatch, previous: ${previous} current: ${current}`,
  // API keys and tokens
  validToInPast: 'validTo: must not be in the past',
  validFromAfterValidTo: 'validFrom: must not be after validTo',
  tokenLifetimeTooLong: (maxMs: number) =>
    `validTo: a token may be valid for at most ${maxMs} ms (account setting maxTokenLifetimeMs)`,
  validFromMovedLater: 'validFrom: cannot be moved later while the account limits how long a token is valid '
    + '(account setting maxTokenLifetimeMs): rotate the token for a new one',
  expiredTokenCannotBeRotated: 'Expired tokens cannot be rotated',
  rotateTimestampAfterExpiry: (rotateTimestamp: number, expiry: number) =>
    `rotateTimestamp: ${rotateTimestamp} is after the token's expiry ${expiry}`,
  apiKeyNotFound: (id: string) => `API key with identifier ${id} not found`,
  tokenNotFound: (id: string) => `Token with identifier ${id} not found`,
  parentServiceAccountNotFound: (id: string) => `Service account with identifier ${id} not found`,
  autoApiKeyDescription: 'Auto Generated API key',
  tooManyTokenRequests: 'Too many requests from this address, try again later',
  organizationNotFound: (id: string) => `Organization with identifier ${id} not found`,
  projectNotFound: (id: string, org: string) => `Project with identifier ${id} in organization ${org} not found`,
  duplicateOrganization: (id: string) =>
    `An organization with identifier ${id} is already present in this account; use a different identifier`,
  duplicateProject: (id: string, org: string) =>
    `A project with identifier ${id} is already present in organization ${org}; use a different identifier`,
  defaultOrganizationUndeletable: 'The default organization cannot be deleted',
  userNotFound: (id: string) => `User with identifier ${id} not found`,
  duplicateUser: (email: string) => `A user with email ${email} already exists; use a different email`,
  lastAccountAdmin: (action: 'disable' | 'delete') =>
    `Cannot ${action} the last enabled account admin: make another user an account admin first`,
  // Service accounts, user groups, roles, resource groups, role assignments (access control)
  serviceAccountNotFound: (id: string) => `Service account with identifier ${id} not found`,
  userGroupNotFound: (id: string) => `User group with identifier ${id} not found`,
  duplicateUserGroup: (id: string) => `A user group with identifier ${id} is already present in this scope`,
  unknownGroupUser: (id: string) => `users: no user with id ${id} in this account`,
  unknownGroupServiceAccount: (id: string) => `serviceAccounts: no service account with identifier ${id} in this scope`,
  roleNotFound: (id: string) => `Role with identifier ${id} not found`,
  duplicateRole: (id: string) => `A role with identifier ${id} is already present in this scope`,
  unknownPermission: (p: string) => `permissions: ${p} is not a known permission`,
  allowedScopeLevelAbove: (level: string, scopeLevel: string) =>
    `allowedScopeLevels: a role defined at ${scopeLevel} level cannot be assigned at ${level} level`,
  managedRoleImmutable: (id: string) => `Role ${id} is managed by keysmith and cannot be changed or deleted`,
  roleInUse: (id: string, assignments: string[]) =>
    `Role ${id} is used by role assignments ${assignments.join(', ')}; delete them first`,
  roleLevelInUse: (id: string, level: string, assignments: string[]) =>
    `allowedScopeLevels: role ${id} is assigned at ${level} level by role assignments ${assignments.join(', ')}; delete them first`,
  resourceGroupNotFound: (id: string) => `Resource group with identifier ${id} not found`,
  duplicateResourceGroup: (id: string) => `A resource group with identifier ${id} is already present in this scope`,
  managedResourceGroupImmutable: (id: string) => `Resource group ${id} is managed by keysmith and cannot be changed or deleted`,
  resourceGroupInUse: (id: string, assignments: string[]) =>
    `Resource group ${id} is used by role assignments ${assignments.join(', ')}; delete them first`,
  includedScopeOutside: (scope: string) => `includedScopes: ${scope} is not this resource group's scope or below it`,
  unknownResourceType: (type: string) => `resourceFilter: ${type} is not a known resource type`,
  roleAssignmentNotFound: (id: string) => `Role assignment with identifier ${id} not found`,
  duplicateRoleAssignment: (id: string) => `A role assignment with identifier ${id} is already present in this scope`,
  sameRoleAssignment: (id: string) =>
    `A role assignment with the same principal, role and resource group is already present: ${id}`,
  roleNotUsable: (id: string, level: string) => `Role ${id} does not exist or cannot be assigned at ${level} level`,
  resourceGroupNotUsable: (id: string, level: string) => `Resource group ${id} does not exist or cannot be used at ${level} level`,
  principalNotFound: (type: string, id: string) => `principal: no ${type} with identifier ${id} for this scope`,
  principalScopeLevel: (level: string, scopeLevel: string) =>
    `Principal scope level cannot be ${level} for ${scopeLevel} scoped role assignment.`,
  roleAssignmentIdentifierMismatch: 'Role assignment identifier in the request body and the url do not match.',
  roleAssignmentImmutable: (field: string) => `${field}: only disabled can be changed on a role assignment; create a new one instead`,
  otherPrincipalAccessCheck:
    "Missing principal in context or User doesn't have permission to check access for a different principal",
  projectWithoutOrg: (field: string) => `${field}: orgIdentifier is required with projectIdentifier`,
  othersPats: (access: 'read' | 'manage' | 'delete', userId: string) => access === 'delete'
    ? `a token cannot delete the API keys and tokens of user with identifier ${userId}; delete them from the console`
    : `the API keys and tokens of user with identifier ${userId} are created, edited and rotated by that user only`,
  lastAccountAdminAssignment:
    'This would leave the account without an enabled account admin: give another user _account_admin on _all_resources_including_child_scopes or _all_account_level_resources first',
} as const;

export const invalidRequest = (message: string) => new KeysmithError('INVALID_REQUEST', message);
export const invalidArgument = (message: string) => new KeysmithError('INVALID_ARGUMENT', message);
export const duplicateField = (message: string) => new KeysmithError('DUPLICATE_FIELD', message);
export const entityNotFound = (message: string) => new KeysmithError('ENTITY_NOT_FOUND', message);
export const unauthorized = (message: string = Messages.authenticationRequired) =>
  new KeysmithError('UNAUTHORIZED', message);
export const invalidToken = () => new KeysmithError('INVALID_TOKEN', Messages.invalidToken);
export const expiredToken = () => new KeysmithError('EXPIRED_TOKEN', Messages.expiredToken);

export function tooManyRequests(message: string, retryAfterSeconds: number): KeysmithError {
  const error = new KeysmithError('TOO_MANY_REQUESTS', message);
  error.headers = { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) };
  return error;
}

export function accessDenied(message: string, checks: FailedPermissionCheck[]): KeysmithError {
  const error = new KeysmithError('NG_ACCESS_DENIED', message);
  error.failedPermissionChecks = checks;
  return error;
}
