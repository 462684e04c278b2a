// DELETE /ng/api/projects/{identifier}: the project and everything scoped in it go in one
// transaction; every instance then drops the account's cached tokens and rights.
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { assertScopeExists, auditActor, principalOf } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { entityNotFound, Messages } from '../../domain/errors.js';
import { makeScope } from '../../domain/scope.js';
import type { Services } from '../../services.js';
import { recordAudit } from '../../store/audit-events.js';
import { lockScope } from '../../store/locks.js';
import { deleteProjectRow, getProject } from '../../store/projects.js';
import { deleteScopeContents } from '../../store/scope-contents.js';
import { inTransaction } from '../../store/transaction.js';
import { projectParentScope } from './org-scope.js';
import { ProjectParams, ProjectQuery } from './schemas.js';

export function deleteProject(app: App, services: Services) {
  app.delete('/projects/:identifier', {
    schema: { tags: ['projects'], params: ProjectParams, querystring: ProjectQuery, response: ok(Type.Boolean()) },
  }, async (req) => {
    const { identifier } = req.params;
    const orgScope = projectParentScope(req);
    const org = orgScope.orgIdentifier!;
    await services.authz.authorize(principalOf(req), 'core_project_delete', { scope: orgScope, type: 'PROJECT', identifier });
    await assertScopeExists(services.db, orgScope);
    const projectScope = makeScope(orgScope.accountIdentifier, org, identifier);
    const now = services.now();
    const actor = auditActor(req);
    await inTransaction(services.db, async (trx) => {
      // First: writes into the project finish before, or find it gone after (store/locks.ts).
      await lockScope(trx, services.store.engine, projectScope, 'exclusive');
      const before = await getProject(trx, orgScope.accountIdentifier, org, identifier);
      if (!before) throw entityNotFound(Messages.projectNotFound(identifier, org));
      const deletedContents = await deleteScopeContents(trx, projectScope);
      await deleteProjectRow(trx, orgScope.accountIdentifier, org, identifier);
      await recordAudit(trx, actor, {
        action: 'DELETE', resource: { type: 'PROJECT', identifier }, scope: projectScope,
        before: before.project, after: { deletedContents },
      }, now);
    });
    services.invalidation.publish({ kind: 'account', accountIdentifier: orgScope.accountIdentifier });
    return success(true, req.correlationId);
  });
}
