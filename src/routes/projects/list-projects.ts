// GET /ng/api/projects: the projects the caller may view (of one organization, or of all when the
// query names none), paged and searchable.
import type { App } from '../../http/app.js';
import { matchesSearch, pageOf, pageRequest, sortItems, success } from '../../http/envelope.js';
import { assertListedScopeExists, principalOf, requestScope } from '../../http/request-scope.js';
import { ok, PageOf } from '../../http/schemas.js';
import { makeScope } from '../../domain/scope.js';
import type { Services } from '../../services.js';
import { listProjects as allProjects, type ProjectRecord } from '../../store/projects.js';
import { PROJECT_SORT_FIELDS, ProjectListQuery, ProjectResponse } from './schemas.js';

function sortKey(record: ProjectRecord, field: string): string | number {
  switch (field) {
    case 'createdAt': return record.createdAt;
    case 'lastModifiedAt': return record.lastModifiedAt;
    case 'name': return record.project.name.toLowerCase();
    default: return record.project.identifier;
  }
}

export function listProjects(app: App, services: Services) {
  app.get('/projects', {
    schema: { tags: ['projects'], querystring: ProjectListQuery, response: ok(PageOf(ProjectResponse)) },
  }, async (req) => {
    const page = pageRequest(req.query, PROJECT_SORT_FIELDS);
    const principal = principalOf(req);
    const { accountIdentifier, orgIdentifier } = requestScope(req);
    await assertListedScopeExists(services, principal, makeScope(accountIdentifier, orgIdentifier));
    const wanted = req.query.identifiers?.length ? new Set(req.query.identifiers) : null;
    const visible: ProjectRecord[] = [];
    for (const record of await allProjects(services.db, accountIdentifier, orgIdentifier)) {
      const { project } = record;
      if (wanted && !wanted.has(project.identifier)) continue;
      if (!matchesSearch(page.searchTerm, project)) continue;
      if (!(await services.authz.isAllowed(principal, 'core_project_view',
        { scope: makeScope(accountIdentifier, project.orgIdentifier), type: 'PROJECT', identifier: project.identifier }))) continue;
      visible.push(record);
    }
    // Identifiers repeat across organizations.
    const sorted = sortItems(visible, page, sortKey, (r) => r.project.orgIdentifier);
    return success(pageOf(sorted, page), req.correlationId);
  });
}
