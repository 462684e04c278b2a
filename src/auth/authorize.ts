// The one authorization call every route makes: authorize(principal, permission, resource).
// Routes depend on the `Authorizer` interface only; the evaluation behind it can change freely.
import type { Kysely } from 'kysely';
import { accessDenied } from '../domain/errors.js';
import { type Permission, PERMISSION_RESOURCE_TYPE, type ResourceType, resourceTypeLabel } from '../domain/permissions.js';
import type { Scope } from '../domain/scope.js';
import type { Database } from '../store/schema.js';
import { describePrincipal, type Principal } from './principal.js';

export interface Resource {
  scope: Scope;
  type?: ResourceType; // defaults to the permission's resource type
  identifier?: string | null;
}

export interface Authorizer {
  /** Resolves when allowed; throws 403 NG_ACCESS_DENIED naming the failed check otherwise. */
  authorize(principal: Principal, permission: Permission, resource: Resource): Promise<void>;
  isAllowed(principal: Principal, permission: Permission, resource: Resource): Promise<boolean>;
  /** Forget cached rights (of one principal's account, or everything). */
  invalidate(accountIdentifier?: string): void;
}

export function denial(principal: Principal, permission: Permission, resource: Resource) {
  const type = resource.type ?? PERMISSION_RESOURCE_TYPE[permission];
  const identifier = resource.identifier ?? null;
  const target = identifier
    ? `${resourceTypeLabel(type)} with identifier ${identifier}`
    : `${resourceTypeLabel(type)}`;
  return accessDenied(`${describePrincipal(principal)} : Missing permission ${permission} on ${target}`, [{
    resourceScope: {
      accountIdentifier: resource.scope.accountIdentifier,
      orgIdentifier: resource.scope.orgIdentifier,
      projectIdentifier: resource.scope.projectIdentifier,
    },
    resourceType: type,
    resourceIdentifier: identifier,
    permission,
  }]);
}

/**
 * First implementation: the account admin (holder of an enabled `_account_admin` assignment at
 * account scope) may do everything in the account; any other user only what concerns themselves.
 */
export function createAdminOnlyAuthorizer(db: Kysely<Database>): Authorizer {
  async function allowed(principal: Principal, permission: Permission, resource: Resource): Promise<boolean> {
    if (resource.scope.accountIdentifier !== principal.accountIdentifier) return false;
    const type = resource.type ?? PERMISSION_RESOURCE_TYPE[permission];
    if (principal.type === 'USER' && type === 'USER' && resource.identifier === principal.identifier) return true;
    const row = await db.selectFrom('role_assignments').select('identifier')
      .where('account_id', '=', principal.accountIdentifier)
      .where('org_identifier', '=', '').where('project_identifier', '=', '')
      .where('principal_type', '=', principal.type).where('principal_identifier', '=', principal.identifier)
      .where('role_identifier', '=', '_account_admin').where('disabled', '=', 0)
      .executeTakeFirst();
    return !!row;
  }
  return {
    isAllowed: allowed,
    async authorize(principal, permission, resource) {
      if (!(await allowed(principal, permission, resource))) throw denial(principal, permission, resource);
    },
    invalidate() {},
  };
}
