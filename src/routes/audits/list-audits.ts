// GET /ng/api/audits: the audit trail, newest first. A caller with core_audit_view at the scope
// sees every entry there; any other caller only the entries of its own actions (a list: never a 403).
import type { App } from '../../http/app.js';
import { makePage, pageRequest, success } from '../../http/envelope.js';
import { principalOf, requestScope } from '../../http/request-scope.js';
import { ok, PageOf } from '../../http/schemas.js';
import type { Services } from '../../services.js';
import { listAudit, type AuditFilter } from '../../store/audit-events.js';
import { AuditEventOut, AuditListQuery } from './schemas.js';

export function listAudits(app: App, services: Services) {
  app.get('/audits', {
    schema: { tags: ['audit'], querystring: AuditListQuery, response: ok(PageOf(AuditEventOut)) },
  }, async (req) => {
    const q = req.query;
    const page = pageRequest({ pageIndex: q.pageIndex, pageSize: q.pageSize });
    const principal = principalOf(req);
    const scope = requestScope(req);
    const filter: AuditFilter = {
      ...scope, actors: q.actors, actions: q.actions, resourceTypes: q.resourceTypes, startTime: q.startTime, endTime: q.endTime,
    };
    if (!(await services.authz.isAllowed(principal, 'core_audit_view', { scope, type: 'AUDIT', identifier: null }))) {
      // Only its own entries: a filter naming other actors alone finds nothing.
      if (q.actors?.length && !q.actors.includes(principal.identifier)) {
        return success(makePage([], 0, page), req.correlationId);
      }
      filter.actors = [principal.identifier];
      filter.actorType = principal.type;
    }
    const { items, total } = await listAudit(services.db, filter, page.pageIndex, page.pageSize);
    return success(makePage(items, total, page), req.correlationId);
  });
}
