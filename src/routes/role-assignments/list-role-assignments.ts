// GET /roleassignments: a page of the assignments made at the scope whose principals the caller
// may view (filters: principalType, principalIdentifier, roleIdentifier, resourceGroupIdentifier).
import type { App } from '../../http/app.js';
import { pageOf, pageRequest, sortItems, success } from '../../http/envelope.js';
import { assertListedScopeExists, principalOf, requestScope } from '../../http/request-scope.js';
import { ok, PageOf } from '../../http/schemas.js';
import type { Services } from '../../services.js';
import { listRoleAssignments as list, type RoleAssignmentRecord } from '../../store/role-assignments.js';
import { roleAssignmentDto } from './dto.js';
import { mayView } from './principal-access.js';
import { ListQuery, RoleAssignmentResponse } from './schemas.js';

export function listRoleAssignments(app: App, services: Services) {
  app.get('/roleassignments', {
    schema: { tags: ['role assignments'], querystring: ListQuery, response: ok(PageOf(RoleAssignmentResponse)) },
  }, async (req) => {
    const caller = principalOf(req);
    const scope = requestScope(req);
    const paging = pageRequest(req.query, ['lastModifiedAt', 'createdAt', 'identifier']);
    await assertListedScopeExists(services, caller, scope);
    const { principalType, principalIdentifier, roleIdentifier, resourceGroupIdentifier } = req.query;
    const visible: RoleAssignmentRecord[] = [];
    for (const record of await list(services.db, scope, { principalType, principalIdentifier, roleIdentifier, resourceGroupIdentifier })) {
      if (await mayView(services, caller, scope, record.roleAssignment.principal)) visible.push(record);
    }
    const sorted = sortItems(visible, paging, (r, field) =>
      field === 'identifier' ? r.roleAssignment.identifier : field === 'createdAt' ? r.createdAt : r.lastModifiedAt);
    const page = pageOf(sorted, paging);
    return success({ ...page, content: page.content.map(roleAssignmentDto) }, req.correlationId);
  });
}
