// GET /roles/{identifier}: a managed role at a scope where it can be assigned (as Harness, whose
// lookup asks the role's allowed levels for the scope's), or a custom role of the scope.
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { assertScopeExists, principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { entityNotFound, Messages } from '../../domain/errors.js';
import { scopeLevel } from '../../domain/scope.js';
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
    const managed = MANAGED_ROLE_RECORDS.find((r) => r.role.identifier === identifier);
    if (managed && !managed.role.allowedScopeLevels.includes(scopeLevel(scope))) throw entityNotFound(Messages.roleNotFound(identifier));
    const role = managed ?? await getCustomRole(services.db, scope, identifier);
    if (!role) throw entityNotFound(Messages.roleNotFound(identifier));
    return success(role, req.correlationId);
  });
}
