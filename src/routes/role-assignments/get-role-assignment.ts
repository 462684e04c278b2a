// GET /roleassignments/{identifier}: one assignment made at the scope (as Harness's Terraform
// provider reads it back), for a caller who may view or manage its principal.
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { entityNotFound, Messages } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import { getRoleAssignment as storeGet } from '../../store/role-assignments.js';
import { roleAssignmentDto } from './dto.js';
import { authorizeSome, maySee } from './principal-access.js';
import { IdentifierParams, RoleAssignmentResponse, ScopeQuery } from './schemas.js';

export function getRoleAssignment(app: App, services: Services) {
  app.get('/roleassignments/:identifier', {
    schema: { tags: ['role assignments'], params: IdentifierParams, querystring: ScopeQuery, response: ok(RoleAssignmentResponse) },
  }, async (req) => {
    const { identifier } = req.params;
    const caller = principalOf(req);
    const scope = requestScope(req);
    await authorizeSome(services, caller, scope, ['view', 'manage']);
    const found = await storeGet(services.db, scope, identifier);
    // One whose principal the caller may not see is answered as missing, as by PUT and DELETE.
    if (!found || !(await maySee(services, caller, scope, found.roleAssignment.principal))) {
      throw entityNotFound(Messages.roleAssignmentNotFound(identifier));
    }
    return success(roleAssignmentDto(found), req.correlationId);
  });
}
