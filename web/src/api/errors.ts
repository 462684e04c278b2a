// Turns keysmith's error envelopes into sentences a person can act on. A 403 names the permission
// that was missing; a validation failure names the fields.
import { describeLifetimeRefusal } from '../lib/tokenLifetime';

export interface FailedPermissionCheck {
  resourceScope?: { accountIdentifier?: string | null; orgIdentifier?: string | null; projectIdentifier?: string | null };
  resourceType?: string;
  resourceIdentifier?: string | null;
  permission?: string;
}

export interface ErrorBody {
  status?: string;
  code?: string;
  message?: string;
  errors?: { fieldId?: string; error?: string }[];
  failedPermissionChecks?: FailedPermissionCheck[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly body: ErrorBody;
  readonly retryAfter: number | null;

  constructor(status: number, body: ErrorBody, retryAfter: number | null = null) {
    super(body.message || `Request failed with status ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code ?? 'UNKNOWN_ERROR';
    this.body = body;
    this.retryAfter = retryAfter;
  }
}

export const PERMISSION_LABELS: Record<string, string> = {
  core_account_view: 'view the account',
  core_account_edit: 'edit the account settings',
  core_organization_view: 'view organizations',
  core_organization_create: 'create organizations',
  core_organization_edit: 'edit organizations',
  core_organization_delete: 'delete organizations',
  core_project_view: 'view projects',
  core_project_create: 'create projects',
  core_project_edit: 'edit projects',
  core_project_delete: 'delete projects',
  core_user_view: 'view users',
  core_user_manage: 'manage users',
  core_usergroup_view: 'view user groups',
  core_usergroup_manage: 'manage user groups',
  core_serviceaccount_view: 'view service accounts',
  core_serviceaccount_edit: 'create and edit service accounts',
  core_serviceaccount_delete: 'delete service accounts',
  core_serviceaccount_manageapikey: 'manage the API keys and tokens of service accounts',
  core_role_view: 'view roles',
  core_role_edit: 'create and edit roles',
  core_role_delete: 'delete roles',
  core_resourcegroup_view: 'view resource groups',
  core_resourcegroup_edit: 'create and edit resource groups',
  core_resourcegroup_delete: 'delete resource groups',
  core_audit_view: 'view the audit trail',
};

const RESOURCE_TYPE_LABELS: Record<string, string> = {
  ACCOUNT: 'account', ORGANIZATION: 'organization', PROJECT: 'project', USER: 'user', USERGROUP: 'user group',
  SERVICEACCOUNT: 'service account', ROLE: 'role', RESOURCEGROUP: 'resource group', AUDIT: 'audit trail',
};

export function scopeLabel(scope?: FailedPermissionCheck['resourceScope'] | null): string {
  if (!scope) return 'this scope';
  if (scope.projectIdentifier) return `project ${scope.projectIdentifier} (organization ${scope.orgIdentifier})`;
  if (scope.orgIdentifier) return `organization ${scope.orgIdentifier}`;
  return 'the account';
}

function describePermissionCheck(check: FailedPermissionCheck): string {
  const permission = check.permission ?? 'unknown permission';
  const what = PERMISSION_LABELS[permission] ?? permission;
  const type = check.resourceType ? RESOURCE_TYPE_LABELS[check.resourceType] ?? check.resourceType.toLowerCase() : null;
  const target = check.resourceIdentifier && type ? ` on ${type} ${check.resourceIdentifier}` : '';
  return `permission to ${what} (${permission})${target} in ${scopeLabel(check.resourceScope)}`;
}

/** Which limit a creation can reach: Harness answers both with the same "Maximum limit has reached". */
export type LimitKind = 'apiKeys' | 'tokens';

const LIMIT_REACHED: Record<LimitKind | 'either', string> = {
  apiKeys: 'The limit has been reached: this owner already has as many API keys in this scope as allowed.',
  tokens: 'The limit has been reached: this API key already has as many tokens as allowed.',
  either: 'The limit has been reached (too many API keys for this owner, or too many tokens for this API key).',
};

/**
 * One sentence (or two) saying what went wrong and, where there is one, what to do. `limit` names
 * the limit the action could reach, when it is known.
 */
export function describeError(error: unknown, limit?: LimitKind): string {
  if (!(error instanceof ApiError)) {
    return error instanceof Error ? error.message : 'Something went wrong.';
  }
  const { body, code } = error;
  switch (code) {
    case 'NETWORK':
      return 'The keysmith server could not be reached. Check your connection and try again.';
    case 'NG_ACCESS_DENIED': {
      const checks = body.failedPermissionChecks ?? [];
      if (checks.length === 0) return `You are not allowed to do this. ${body.message ?? ''}`.trim();
      return `You are not allowed to do this: you need ${checks.map(describePermissionCheck).join(' and ')}. Ask an account admin for a role that grants it.`;
    }
    case 'ACCESS_DENIED':
      return 'Your session\'s security check failed. Reload the page and try again.';
    case 'UNAUTHORIZED':
      return body.message === 'Invalid email or password'
        ? 'The email or the password is not correct.'
        : 'Your session has ended. Sign in again.';
    case 'TOO_MANY_REQUESTS':
      return error.retryAfter
        ? `Too many attempts. Try again in ${formatWait(error.retryAfter)}.`
        : `Too many requests. Wait a moment and try again.`;
    case 'INVALID_REQUEST': {
      const fields = (body.errors ?? []).filter((e) => e.error);
      if (fields.length > 0) {
        return `Some values are not accepted: ${fields.map((e) => (e.fieldId ? `${fieldLabel(e.fieldId)} ${e.error}` : e.error)).join('; ')}.`;
      }
      if (body.message === 'Maximum limit has reached') {
        return `${LIMIT_REACHED[limit ?? 'either']} Delete one first, or ask an admin to raise the limit in Account Settings.`;
      }
      if (body.message === 'Rotated tokens cannot be updated') {
        return 'This token was rotated and only works until its grace period ends; it cannot be changed. Edit the new token instead.';
      }
      return sentence(body.message ?? 'The request was not accepted.');
    }
    case 'INVALID_ARGUMENT':
      return describeLifetimeRefusal(body.message ?? '') ?? sentence(body.message ?? 'The request was not accepted.');
    case 'DUPLICATE_FIELD':
      // What to change depends on the form (an Id field, or none): the form says that, in its own
      // words where it knows what was refused (see isDuplicate).
      return sentence(body.message ?? 'It already exists.');
    case 'ENTITY_NOT_FOUND':
      return `${sentence(body.message ?? 'It no longer exists.')} It may have been deleted; the list has been refreshed.`;
    case 'INVALID_TOKEN':
    case 'EXPIRED_TOKEN':
      return sentence(body.message ?? 'The token is not valid.');
    default:
      if (error.status >= 500) return `The server failed to handle this (${body.message ?? 'internal error'}). Try again; if it keeps failing, check the server's log.`;
      return sentence(body.message ?? `The request failed (${error.status}).`);
  }
}

function fieldLabel(field: string): string {
  const last = field.split('.').pop() ?? field;
  return last.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
}

function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

function formatWait(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

export const isNotFound = (error: unknown) => error instanceof ApiError && error.status === 404;

/** A refusal because what was sent already exists: an Id that is taken, a role assignment made before. */
export const isDuplicate = (error: unknown): error is ApiError => error instanceof ApiError && error.code === 'DUPLICATE_FIELD';
