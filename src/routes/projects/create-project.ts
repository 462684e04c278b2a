// POST /ng/api/projects: creates a project in an organization; its creator becomes its admin.
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { assertScopeExists, auditActor, holdScope, principalOf } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { duplicateField, Messages } from '../../domain/errors.js';
import { makeScope } from '../../domain/scope.js';
import type { Services } from '../../services.js';
import { recordAudit } from '../../store/audit-events.js';
import { grantCreatorAdmin } from '../../store/creator-role.js';
import { isUniqueViolation } from '../../store/database.js';
import { getProject, insertProject } from '../../store/projects.js';
import { inTransaction } from '../../store/transaction.js';
import { projectParentScope } from './org-scope.js';
import { DEFAULT_PROJECT_COLOR, ProjectQuery, ProjectRequest, ProjectResponse } from './schemas.js';

export function createProject(app: App, services: Services) {
  app.post('/projects', {
    schema: { tags: ['projects'], querystring: ProjectQuery, body: ProjectRequest, response: ok(ProjectResponse) },
  }, async (req) => {
    // 1. scope and caller
    const input = req.body.project;
    const principal = principalOf(req);
    const orgScope = projectParentScope(req, input);
    const org = orgScope.orgIdentifier!;
    // 2. authorize, then the organization must exist
    await services.authz.authorize(principal, 'core_project_create', { scope: orgScope, type: 'PROJECT', identifier: null });
    await assertScopeExists(services.db, orgScope);
    // 3. write, with the creator's grant and the audit entries, in one transaction
    const projectScope = makeScope(orgScope.accountIdentifier, org, input.identifier);
    const project = {
      identifier: input.identifier, orgIdentifier: org, name: input.name, color: input.color ?? DEFAULT_PROJECT_COLOR,
      modules: input.modules ?? [], description: input.description ?? '', tags: input.tags ?? {},
    };
    const now = services.now();
    const actor = auditActor(req);
    const record = await inTransaction(services.db, async (trx) => {
      // The organization cannot be deleted under the new project (its foreign key would fail).
      await holdScope(trx, services.store.engine, orgScope);
      if (await getProject(trx, orgScope.accountIdentifier, org, input.identifier)) {
        throw duplicateField(Messages.duplicateProject(input.identifier, org));
      }
      const created = await insertProject(trx, orgScope.accountIdentifier, project, now);
      const grant = await grantCreatorAdmin(trx, projectScope, principal, now);
      await recordAudit(trx, actor, {
        action: 'CREATE', resource: { type: 'PROJECT', identifier: input.identifier }, scope: projectScope, after: created.project,
      }, now);
      await recordAudit(trx, actor, {
        action: 'CREATE', resource: { type: 'ROLEASSIGNMENT', identifier: grant.identifier }, scope: projectScope, after: grant,
      }, now);
      return created;
    }).catch((err: unknown) => {
      if (isUniqueViolation(err)) throw duplicateField(Messages.duplicateProject(input.identifier, org));
      throw err;
    });
    // 4. the creator's rights changed
    services.invalidation.publish({
      kind: 'principal', accountIdentifier: orgScope.accountIdentifier, principalType: principal.type, principalIdentifier: principal.identifier,
      permissionsOnly: true,
    });
    return success(record, req.correlationId);
  });
}
