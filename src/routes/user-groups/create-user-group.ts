// POST /user-groups: creates a group at the request's scope with its members.
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { assertScopeExists, auditActor, holdScope, principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { duplicateField, Messages } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import { recordAudit } from '../../store/audit-events.js';
import { lockPrincipals } from '../../store/locks.js';
import { isUniqueViolation } from '../../store/database.js';
import { inTransaction } from '../../store/transaction.js';
import { getUserGroup, insertUserGroup, type UserGroup as UserGroupData } from '../../store/user-groups.js';
import { userGroupDto } from './dto.js';
import { checkedMembers, groupLocks } from './members.js';
import { ScopeQuery, UserGroup, UserGroupBody } from './schemas.js';

export function createUserGroup(app: App, services: Services) {
  app.post('/user-groups', {
    schema: { tags: ['user groups'], querystring: ScopeQuery, body: UserGroupBody, response: ok(UserGroup) },
  }, async (req) => {
    const body = req.body;
    const scope = requestScope(req, body);
    await services.authz.authorize(principalOf(req), 'core_usergroup_manage', { scope, type: 'USERGROUP', identifier: null });
    await assertScopeExists(services.db, scope);

    const now = services.now();
    const created = await inTransaction(services.db, async (trx) => {
      // The scope and the members cannot be deleted under the new group; the group's own lock,
      // exclusive, keeps its rows from being written by an update of a group of the same identifier
      // (one deleted meanwhile) at the same time.
      await holdScope(trx, services.store.engine, scope);
      await lockPrincipals(trx, services.store.engine, scope.accountIdentifier, groupLocks(body.identifier, body), 'shared');
      if (await getUserGroup(trx, scope, body.identifier)) throw duplicateField(Messages.duplicateUserGroup(body.identifier));
      const group: UserGroupData = {
        identifier: body.identifier, name: body.name, description: body.description ?? '', tags: body.tags ?? {},
        ...(await checkedMembers(trx, scope, body)), ...scope,
      };
      await insertUserGroup(trx, group, now).catch((err: unknown) => {
        throw isUniqueViolation(err) ? duplicateField(Messages.duplicateUserGroup(body.identifier)) : err;
      });
      await recordAudit(trx, auditActor(req), { action: 'CREATE', resource: { type: 'USERGROUP', identifier: group.identifier }, scope, after: group }, now);
      return (await getUserGroup(trx, scope, body.identifier))!;
    });
    services.invalidation.publish({ kind: 'principal', accountIdentifier: scope.accountIdentifier, principalType: 'USER_GROUP', principalIdentifier: body.identifier, permissionsOnly: true });
    return success(userGroupDto(created), req.correlationId);
  });
}
