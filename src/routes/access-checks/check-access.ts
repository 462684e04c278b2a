// POST /authz/api/acl: Harness's access check. Which of these (scope, resource type, identifier,
// permission) does the caller hold? Answers each with `permitted` from the same authorizer, with
// the same rights at this instant, that the routes ask before acting — so a route guarded by that
// one permission decides the same. (Rules that are not permissions are not asked here: a user's
// own PATs are managed by that user only, whatever `core_user_manage` says.) The console asks it
// which actions to offer. Only the caller's own rights can be asked about.
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { principalOf } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { invalidRequest, Messages } from '../../domain/errors.js';
import { isPermission, PERMISSION_RESOURCE_TYPE } from '../../domain/permissions.js';
import { makeScope } from '../../domain/scope.js';
import type { Principal } from '../../auth/principal.js';
import type { Services } from '../../services.js';
import { AccessCheckRequest, AccessCheckResponse } from './schemas.js';

/** The body names a principal other than the caller (Harness compares identifiers only). */
function namesAnotherPrincipal(principal: { principalIdentifier: string } | null | undefined, caller: Principal): boolean {
  return !!principal?.principalIdentifier && principal.principalIdentifier !== caller.identifier;
}

export function checkAccess(app: App, services: Services) {
  app.post('/acl', {
    schema: { tags: ['access checks'], body: AccessCheckRequest, response: ok(AccessCheckResponse) },
  }, async (req) => {
    const caller = principalOf(req);
    const { permissions, principal } = req.body;
    if (namesAnotherPrincipal(principal, caller)) throw invalidRequest(Messages.otherPrincipalAccessCheck);
    const checks = (permissions ?? []).map((check, i) => {
      const { accountIdentifier, orgIdentifier, projectIdentifier } = check.resourceScope;
      if (projectIdentifier && !orgIdentifier) {
        throw invalidRequest(Messages.projectWithoutOrg(`permissions[${i}].resourceScope`));
      }
      return { ...check, scope: makeScope(accountIdentifier, orgIdentifier, projectIdentifier), identifier: check.resourceIdentifier ?? null };
    });
    const accessControlList = await Promise.all(checks.map(async (check) => {
      // A permission outside the catalog, or named with another resource type than its own,
      // is held by nobody.
      const permitted = isPermission(check.permission) && PERMISSION_RESOURCE_TYPE[check.permission] === check.resourceType
        && await services.authz.isAllowed(caller, check.permission, { scope: check.scope, type: check.resourceType, identifier: check.identifier });
      return {
        permission: check.permission,
        resourceScope: check.scope,
        resourceType: check.resourceType,
        resourceIdentifier: check.identifier,
        resourceAttributes: null,
        permitted,
      };
    }));
    return success({ principal: { principalIdentifier: caller.identifier, principalType: caller.type }, accessControlList }, req.correlationId);
  });
}
