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
import { holdsSome, maySee, someDenial } from './principal-access.js';
import { IdentifierParams, RoleAssignmentResponse, ScopeQuery } from './schemas.js';

export function getRoleAssignment(app: App, services: Services) {
  app.get('/roleassignments/:identifier', {
    schema: { tags: ['role assignments'], params: IdentifierParams, querystring: ScopeQuery, response: ok(RoleAssignmentResponse) },
  }, async (req) => {
    const { identifier } = req.params;
    const caller = principalOf(req);
    const scope = requestScope(req);
    // A caller who may view or manage some principal's assignments here goes on to the lookup. Any
    // other gets the same 403 for an existing and a missing assignment (SPEC §2) — except that a
    // user may always view their own record, and so read their own assignments: for a user the
    // 403 comes after the lookup, for every assignment but those.
    const permitted = await holdsSome(services, caller, scope, ['view', 'manage']);
    if (!permitted && caller.type !== 'USER') throw someDenial(caller, scope, 'view');
    const found = await storeGet(services.db, scope, identifier);
    if (found && await maySee(services, caller, scope, found.roleAssignment.principal)) {
      return success(roleAssignmentDto(found), req.correlationId);
    }
    if (!permitted) throw someDenial(caller, scope, 'view');
    // One whose principal the caller may not see is answered as missing, as by PUT and DELETE.
    throw entityNotFound(Messages.roleAssignmentNotFound(identifier));
  });
}
