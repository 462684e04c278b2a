// GET /roles/{identifier}: a managed role (at any scope) or a custom role of the scope.
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { assertScopeExists, principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { entityNotFound, Messages } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import { getCustomRole, MANAGED_ROLE_RECORDS } from '../../store/roles.js';
import { IdentifierParams, RoleResponse, ScopeQuery } from './schemas.js';

export function getRole(app: App, services: Services) {
  app.get('/roles/:identifier', {
    schema: { tags: ['roles'], params: IdentifierParams, querystring: ScopeQuery, response: ok(RoleResponse) },
  }, async (req) => {
    const { identifier } = req.params;
    const scope = requestScope(req);
    await services.authz.authorize(principalOf(req), 'core_role_view', { scope, type: 'ROLE', identifier });
    // Managed roles exist at every scope, but only at a scope that exists.
    await assertScopeExists(services.db, scope);
    const role = MANAGED_ROLE_RECORDS.find((r) => r.role.identifier === identifier) ?? await getCustomRole(services.db, scope, identifier);
    if (!role) throw entityNotFound(Messages.roleNotFound(identifier));
    return success(role, req.correlationId);
  });
}
