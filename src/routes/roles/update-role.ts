// PUT /roles/{identifier}: replaces a custom role's name, permissions, levels, description, tags.
// Levels left out keep their stored value; a level cannot be dropped while assignments use the role
// there (they would stay listed and enabled, granting nothing).
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { auditActor, principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { entityNotFound, invalidRequest, Messages } from '../../domain/errors.js';
import { isManagedRole } from '../../domain/managed.js';
import type { Services } from '../../services.js';
import { recordAudit } from '../../store/audit-events.js';
import { getCustomRole, updateRole as storeUpdate } from '../../store/roles.js';
import { inTransaction } from '../../store/transaction.js';
import { lockGrantParts } from '../../store/locks.js';
import { assignmentsUsingRole } from '../../store/role-assignments.js';
import { roleFromBody } from './role-input.js';
import { IdentifierParams, RoleBody, RoleResponse, ScopeQuery } from './schemas.js';

export function updateRole(app: App, services: Services) {
  app.put('/roles/:identifier', {
    schema: { tags: ['roles'], params: IdentifierParams, querystring: ScopeQuery, body: RoleBody, response: ok(RoleResponse) },
  }, async (req) => {
    const { identifier } = req.params;
    const scope = requestScope(req);
    await services.authz.authorize(principalOf(req), 'core_role_edit', { scope, type: 'ROLE', identifier });
    if (req.body.identifier !== identifier) throw invalidRequest(Messages.valueMismatch(identifier, req.body.identifier));
    if (isManagedRole(identifier)) throw invalidRequest(Messages.managedRoleImmutable(identifier));
    const checked = roleFromBody(req.body, scope); // the body's own errors first, before any lookup

    const now = services.now();
    const updated = await inTransaction(services.db, async (trx) => {
      // Assignments being written with it finish first (and are counted below), as for a deletion.
      await lockGrantParts(trx, services.store.engine, scope.accountIdentifier, [{ type: 'ROLE', identifier }], 'exclusive');
      const before = await getCustomRole(trx, scope, identifier);
      if (!before) throw entityNotFound(Messages.roleNotFound(identifier));
      const role = req.body.allowedScopeLevels?.length ? checked : { ...checked, allowedScopeLevels: before.role.allowedScopeLevels };
      const stranded = (await assignmentsUsingRole(trx, scope, identifier)).filter((a) => !role.allowedScopeLevels.includes(a.level));
      if (stranded.length > 0) {
        const level = stranded[0]!.level;
        throw invalidRequest(Messages.roleLevelInUse(identifier, level, stranded.filter((a) => a.level === level).map((a) => a.identifier)));
      }
      await storeUpdate(trx, scope, role, now);
      await recordAudit(trx, auditActor(req), { action: 'UPDATE', resource: { type: 'ROLE', identifier }, scope, before: before.role, after: role }, now);
      return (await getCustomRole(trx, scope, identifier))!;
    });
    services.invalidation.publish({ kind: 'account', accountIdentifier: scope.accountIdentifier, permissionsOnly: true });
    return success(updated, req.correlationId);
  });
}
