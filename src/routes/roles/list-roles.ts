// GET /roles: a page of the managed roles that can be assigned at the scope's level (as Harness
// lists them: `_project_admin` and `_project_viewer` at a project, not `_account_admin`) and the
// scope's custom roles, those the caller may view.
import type { App } from '../../http/app.js';
import { matchesSearch, pageOf, pageRequest, sortItems, success } from '../../http/envelope.js';
import { assertListedScopeExists, principalOf, requestScope } from '../../http/request-scope.js';
import { ok, PageOf } from '../../http/schemas.js';
import { scopeLevel } from '../../domain/scope.js';
import type { Services } from '../../services.js';
import { listCustomRoles, MANAGED_ROLE_RECORDS, type RoleRecord } from '../../store/roles.js';
import { ListQuery, RoleResponse } from './schemas.js';

export function listRoles(app: App, services: Services) {
  app.get('/roles', {
    schema: { tags: ['roles'], querystring: ListQuery, response: ok(PageOf(RoleResponse)) },
  }, async (req) => {
    const principal = principalOf(req);
    const scope = requestScope(req);
    const paging = pageRequest(req.query);
    await assertListedScopeExists(services, principal, scope);
    const filter = req.query.managedFilter ?? 'NO_FILTER';
    const level = scopeLevel(scope);
    const all = [
      ...(filter === 'ONLY_CUSTOM' ? [] : MANAGED_ROLE_RECORDS.filter((r) => r.role.allowedScopeLevels.includes(level))),
      ...(filter === 'ONLY_MANAGED' ? [] : await listCustomRoles(services.db, scope)),
    ];
    const visible: RoleRecord[] = [];
    for (const record of all) {
      if (!matchesSearch(paging.searchTerm, record.role)) continue;
      if (await services.authz.isAllowed(principal, 'core_role_view', { scope, type: 'ROLE', identifier: record.role.identifier })) visible.push(record);
    }
    const sorted = sortItems(visible, paging, (r, field) =>
      field === 'name' ? r.role.name : field === 'identifier' ? r.role.identifier : field === 'createdAt' ? r.createdAt : r.lastModifiedAt);
    return success(pageOf(sorted, paging), req.correlationId);
  });
}
