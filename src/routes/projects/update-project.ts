// PUT /ng/api/projects/{identifier}: name, colour, modules, description and tags; the identifier
// and organization never change.
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { assertScopeExists, auditActor, principalOf } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { entityNotFound, invalidRequest, Messages } from '../../domain/errors.js';
import { makeScope } from '../../domain/scope.js';
import type { Services } from '../../services.js';
import { recordAudit } from '../../store/audit-events.js';
import { getProject, updateProject as saveProject } from '../../store/projects.js';
import { inTransaction } from '../../store/transaction.js';
import { projectParentScope } from './org-scope.js';
import { DEFAULT_PROJECT_COLOR, ProjectParams, ProjectQuery, ProjectRequest, ProjectResponse } from './schemas.js';

export function updateProject(app: App, services: Services) {
  app.put('/projects/:identifier', {
    schema: {
      tags: ['projects'], params: ProjectParams, querystring: ProjectQuery, body: ProjectRequest, response: ok(ProjectResponse),
    },
  }, async (req) => {
    const { identifier } = req.params;
    const input = req.body.project;
    const orgScope = projectParentScope(req, input);
    const org = orgScope.orgIdentifier!;
    await services.authz.authorize(principalOf(req), 'core_project_edit', { scope: orgScope, type: 'PROJECT', identifier });
    // A business rule, so after authorizing: a caller without the right learns nothing from it.
    if (input.identifier !== identifier) throw invalidRequest(Messages.valueMismatch(identifier, input.identifier));
    await assertScopeExists(services.db, orgScope);
    const now = services.now();
    const actor = auditActor(req);
    const record = await inTransaction(services.db, async (trx) => {
      const before = await getProject(trx, orgScope.accountIdentifier, org, identifier);
      if (!before) throw entityNotFound(Messages.projectNotFound(identifier, org));
      const stored = before.project;
      // Absent fields keep their values; null resets them.
      const project = {
        identifier, orgIdentifier: org, name: input.name,
        color: input.color === undefined ? stored.color : input.color ?? DEFAULT_PROJECT_COLOR,
        modules: input.modules === undefined ? stored.modules : input.modules ?? [],
        description: input.description === undefined ? stored.description : input.description ?? '',
        tags: input.tags === undefined ? stored.tags : input.tags ?? {},
      };
      await saveProject(trx, orgScope.accountIdentifier, project, now);
      await recordAudit(trx, actor, {
        action: 'UPDATE', resource: { type: 'PROJECT', identifier },
        scope: makeScope(orgScope.accountIdentifier, org, identifier), before: stored, after: project,
      }, now);
      return { project, createdAt: before.createdAt, lastModifiedAt: now };
    });
    return success(record, req.correlationId);
  });
}
