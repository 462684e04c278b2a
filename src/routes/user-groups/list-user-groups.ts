// GET /user-groups: a page of the scope's groups the caller may view (searchTerm, sortOrders).
import type { App } from '../../http/app.js';
import { matchesSearch, pageOf, pageRequest, sortItems, success } from '../../http/envelope.js';
import { assertListedScopeExists, principalOf, requestScope } from '../../http/request-scope.js';
import { ok, PageOf } from '../../http/schemas.js';
import type { Services } from '../../services.js';
import { listUserGroups as list, type UserGroupRecord } from '../../store/user-groups.js';
import { userGroupDto } from './dto.js';
import { ListQuery, UserGroup } from './schemas.js';

export function listUserGroups(app: App, services: Services) {
  app.get('/user-groups', {
    schema: { tags: ['user groups'], querystring: ListQuery, response: ok(PageOf(UserGroup)) },
  }, async (req) => {
    const principal = principalOf(req);
    const scope = requestScope(req);
    const paging = pageRequest(req.query);
    await assertListedScopeExists(services, principal, scope);
    const visible: UserGroupRecord[] = [];
    for (const group of await list(services.db, scope)) {
      if (!matchesSearch(paging.searchTerm, group)) continue;
      if (await services.authz.isAllowed(principal, 'core_usergroup_view', { scope, type: 'USERGROUP', identifier: group.identifier })) visible.push(group);
    }
    const sorted = sortItems(visible, paging, (g, field) =>
      field === 'name' ? g.name : field === 'identifier' ? g.identifier : field === 'createdAt' ? g.createdAt : g.lastModifiedAt);
    const page = pageOf(sorted, paging);
    return success({ ...page, content: page.content.map(userGroupDto) }, req.correlationId);
  });
}
