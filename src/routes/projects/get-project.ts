// GET /ng/api/projects/{identifier}
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { assertScopeExists, principalOf } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { entityNotFound, Messages } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import { getProject as findProject } from '../../store/projects.js';
import { projectParentScope } from './org-scope.js';
import { ProjectParams, ProjectQuery, ProjectResponse } from './schemas.js';

export function getProject(app: App, services: Services) {
  app.get('/projects/:identifier', {
    schema: { tags: ['projects'], params: ProjectParams, querystring: ProjectQuery, response: ok(ProjectResponse) },
  }, async (req) => {
    const { identifier } = req.params;
    const orgScope = projectParentScope(req);
    await services.authz.authorize(principalOf(req), 'core_project_view', { scope: orgScope, type: 'PROJECT', identifier });
    await assertScopeExists(services.db, orgScope);
    const record = await findProject(services.db, orgScope.accountIdentifier, orgScope.orgIdentifier!, identifier);
    if (!record) throw entityNotFound(Messages.projectNotFound(identifier, orgScope.orgIdentifier!));
    return success(record, req.correlationId);
  });
}
