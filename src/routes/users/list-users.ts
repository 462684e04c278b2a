// GET /ng/api/user/aggregate: the users the caller may view, with their role assignments at the
// requested scope, paged and searchable by name and email.
import type { App } from '../../http/app.js';
import { matchesSearch, pageOf, pageRequest, sortItems, success } from '../../http/envelope.js';
import { assertListedScopeExists, principalOf, requestScope } from '../../http/request-scope.js';
import { ok, PageOf } from '../../http/schemas.js';
import { makeScope } from '../../domain/scope.js';
import type { Services } from '../../services.js';
import { roleAssignmentMetadata } from '../../store/role-assignment-metadata.js';
import { accountAdminIds, listUsers as allUsers, type UserRow } from '../../store/users.js';
import { USER_SORT_FIELDS, UserAggregate, UserListQuery } from './schemas.js';

function sortKey(user: UserRow, field: string): string | number {
  switch (field) {
    case 'createdAt': return user.created_at;
    case 'lastModifiedAt': return user.last_modified_at;
    case 'name': return user.name.toLowerCase();
    default: return user.email;
  }
}

export function listUsers(app: App, services: Services) {
  app.get('/user/aggregate', {
    schema: { tags: ['users'], querystring: UserListQuery, response: ok(PageOf(UserAggregate)) },
  }, async (req) => {
    const page = pageRequest(req.query, USER_SORT_FIELDS);
    const principal = principalOf(req);
    // Users are the account's; org/project only choose which role assignments are shown, and, as on
    // every list, name a scope that must exist.
    const scope = requestScope(req);
    await assertListedScopeExists(services, principal, scope);
    const account = makeScope(scope.accountIdentifier);
    const visible: UserRow[] = [];
    for (const user of await allUsers(services.db, scope.accountIdentifier)) {
      if (!matchesSearch(page.searchTerm, { name: user.name, email: user.email })) continue;
      if (!(await services.authz.isAllowed(principal, 'core_user_view', { scope: account, type: 'USER', identifier: user.id }))) continue;
      visible.push(user);
    }
    const shown = pageOf(sortItems(visible, page, sortKey), page);
    const admins = await accountAdminIds(services.db, scope.accountIdentifier, 'any');
    const metadata = await roleAssignmentMetadata(services.db, scope, 'USER', shown.content.map((u) => u.id));
    const content = shown.content.map((u) => ({
      user: {
        uuid: u.id, name: u.name, email: u.email, disabled: !!u.disabled, admin: admins.has(u.id),
        createdAt: u.created_at, lastModifiedAt: u.last_modified_at,
      },
      roleAssignmentMetadata: metadata.get(u.id) ?? [],
    }));
    return success({ ...shown, content }, req.correlationId);
  });
}
