// GET /user-groups/{identifier}: one group with its members.
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { entityNotFound, Messages } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import { getUserGroup as find } from '../../store/user-groups.js';
import { userGroupDto } from './dto.js';
import { IdentifierParams, ScopeQuery, UserGroup } from './schemas.js';

export function getUserGroup(app: App, services: Services) {
  app.get('/user-groups/:identifier', {
    schema: { tags: ['user groups'], params: IdentifierParams, querystring: ScopeQuery, response: ok(UserGroup) },
  }, async (req) => {
    const { identifier } = req.params;
    const scope = requestScope(req);
    await services.authz.authorize(principalOf(req), 'core_usergroup_view', { scope, type: 'USERGROUP', identifier });
    const group = await find(services.db, scope, identifier);
    if (!group) throw entityNotFound(Messages.userGroupNotFound(identifier));
    return success(userGroupDto(group), req.correlationId);
  });
}
