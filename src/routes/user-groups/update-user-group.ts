// PUT /user-groups (Harness: the body names the group) and PUT /user-groups/{identifier}: replaces
// name, description, tags and members. Refused when it would leave the account without an admin.
import type { FastifyRequest } from 'fastify';
import type { Static } from '@sinclair/typebox';
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { auditActor, holdScope, principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { entityNotFound, invalidRequest, Messages } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import { recordAudit } from '../../store/audit-events.js';
import { lockPrincipals } from '../../store/locks.js';
import { keepingAnAccountAdmin } from '../../store/role-assignments.js';
import { inTransaction } from '../../store/transaction.js';
import { getUserGroup, updateUserGroup as storeUpdate } from '../../store/user-groups.js';
import { userGroupDto } from './dto.js';
import { checkedMembers, groupLocks } from './members.js';
import { IdentifierParams, ScopeQuery, UserGroup, UserGroupBody } from './schemas.js';

async function update(services: Services, req: FastifyRequest, body: Static<typeof UserGroupBody>, identifier: string) {
  const scope = requestScope(req, body);
  await services.authz.authorize(principalOf(req), 'core_usergroup_manage', { scope, type: 'USERGROUP', identifier });
  if (body.identifier !== identifier) throw invalidRequest(Messages.valueMismatch(identifier, body.identifier));

  const now = services.now();
  const updated = await inTransaction(services.db, async (trx) => {
    // The scope and the members cannot be deleted under the group's new member rows; the group's
    // own lock, exclusive, keeps a create of a group of the same identifier (this one deleted
    // meanwhile) from writing member rows at the same time (PostgreSQL: a duplicate key, a 500).
    await holdScope(trx, services.store.engine, scope);
    await lockPrincipals(trx, services.store.engine, scope.accountIdentifier, groupLocks(identifier, body), 'shared');
    const before = await getUserGroup(trx, scope, identifier);
    if (!before) throw entityNotFound(Messages.userGroupNotFound(identifier));
    const after = {
      identifier, name: body.name, description: body.description ?? '', tags: body.tags ?? {},
      ...(await checkedMembers(trx, scope, body)), ...scope,
    };
    await keepingAnAccountAdmin(trx, services.store.engine, scope.accountIdentifier, () => storeUpdate(trx, after, now));
    await recordAudit(trx, auditActor(req), { action: 'UPDATE', resource: { type: 'USERGROUP', identifier }, scope, before, after }, now);
    // Deleted since it was read (PostgreSQL: a concurrent deletion committed first): missing.
    const updated = await getUserGroup(trx, scope, identifier);
    if (!updated) throw entityNotFound(Messages.userGroupNotFound(identifier));
    return updated;
  });
  services.invalidation.publish({ kind: 'principal', accountIdentifier: scope.accountIdentifier, principalType: 'USER_GROUP', principalIdentifier: identifier, permissionsOnly: true });
  return userGroupDto(updated);
}

export function updateUserGroup(app: App, services: Services) {
  app.put('/user-groups', {
    schema: { tags: ['user groups'], querystring: ScopeQuery, body: UserGroupBody, response: ok(UserGroup) },
  }, async (req) => success(await update(services, req, req.body, req.body.identifier), req.correlationId));

  app.put('/user-groups/:identifier', {
    schema: { tags: ['user groups'], params: IdentifierParams, querystring: ScopeQuery, body: UserGroupBody, response: ok(UserGroup) },
  }, async (req) => success(await update(services, req, req.body, req.params.identifier), req.correlationId));
}
