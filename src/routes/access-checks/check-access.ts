// POST /authz/api/acl: Harness's access check. Which of these (scope, resource type, identifier,
// permission) may the caller act on? Answers each with `permitted`, as the route guarding that
// action would decide (the same authorizer, the same rights at this instant), without acting.
// The console asks it which actions to offer. Only the caller's own rights can be asked about.
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { principalOf } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { invalidRequest } from '../../domain/errors.js';
import { isPermission, PERMISSION_RESOURCE_TYPE } from '../../domain/permissions.js';
import { makeScope } from '../../domain/scope.js';
import type { Services } from '../../services.js';
import { AccessCheckRequest, AccessCheckResponse } from './schemas.js';

/** Harness's words when the body names another principal. */
export const OTHER_PRINCIPAL =
  "Missing principal in context or User doesn't have permission to check access for a different principal";

export function checkAccess(app: App, services: Services) {
  app.post('/acl', {
    schema: { tags: ['access checks'], body: AccessCheckRequest, response: ok(AccessCheckResponse) },
  }, async (req) => {
    const caller = principalOf(req);
    const { permissions, principal } = req.body;
    const named = principal?.principalIdentifier;
    if (named && (named !== caller.identifier || (principal?.principalType && principal.principalType !== caller.type))) {
      throw invalidRequest(OTHER_PRINCIPAL);
    }
    const checks = (permissions ?? []).map((check, i) => {
      const { accountIdentifier, orgIdentifier, projectIdentifier } = check.resourceScope;
      if (projectIdentifier && !orgIdentifier) {
        throw invalidRequest(`permissions[${i}].resourceScope: orgIdentifier is required with projectIdentifier`);
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
        permitted,
      };
    }));
    return success({ principal: { principalIdentifier: caller.identifier, principalType: caller.type }, accessControlList }, req.correlationId);
  });
}
