// GET /ng/api/audits: the audit trail of a scope and the scopes below it, newest first (or oldest
// first with `sortOrders=timestamp,ASC`: entries are sorted by their time only). Each entry
// is shown to a caller with core_audit_view at the entry's scope (for an organization's or a
// project's own lifecycle, the scope holding it), and to the actor who did it: a list, never a 403.
// (Holding the permission at the account does not show an organization's entries when the resource
// group stops at the account.) At an organization or project that does not exist it is a 404 like
// every list, for a caller who may see it; the entries of a deleted one stay in its parent's trail,
// shown by the grants from above it — also once a new one takes its identifier, whose own grants
// show only what happened since it was created. Likewise a service account's own actions are shown
// to it from its creation: not those of a deleted one whose identifier it took.
import type { App } from '../../http/app.js';
import { makePage, pageRequest, success } from '../../http/envelope.js';
import { actorOf, assertListedScopeExists, principalOf, requestScope } from '../../http/request-scope.js';
import { ok, PageOf } from '../../http/schemas.js';
import type { Services } from '../../services.js';
import { auditScopeKeys, listAudit, scopeOfKey, scopesCreatedAt, type AuditFilter } from '../../store/audit-events.js';
import type { ScopeLevel } from '../../domain/scope.js';
import type { Principal } from '../../auth/principal.js';
import { getServiceAccount } from '../../store/service-accounts.js';
import { AuditEventOut, AuditListQuery } from './schemas.js';

/** The entries of one scope key within a span of time (from inclusive, to exclusive), and whether they are shown. */
interface Period { key: string; from?: number; to?: number; allowed: boolean }

/**
 * From when a caller's own entries are its own: a service account's from its creation (its identifier
 * may have been another's before); a user's always (a user's uuid is never given again).
 */
async function ownEntriesSince(services: Services, principal: Principal): Promise<number | undefined> {
  if (principal.type !== 'SERVICE_ACCOUNT') return undefined;
  // Deleted since it authenticated this request: none of the trail is its own any more.
  return (await getServiceAccount(services.db, principal.scope, principal.identifier))?.createdAt ?? Number.MAX_SAFE_INTEGER;
}

/** An entry is never modified: its time is its creation and its last modification alike. */
const AUDIT_SORT_FIELDS = ['timestamp', 'lastModifiedAt', 'createdAt'];

export function listAudits(app: App, services: Services) {
  app.get('/audits', {
    schema: { tags: ['audit'], querystring: AuditListQuery, response: ok(PageOf(AuditEventOut)) },
  }, async (req) => {
    const q = req.query;
    const page = pageRequest({ pageIndex: q.pageIndex, pageSize: q.pageSize, sortOrders: q.sortOrders }, AUDIT_SORT_FIELDS);
    // The first order names the direction (pageRequest's default, lastModifiedAt DESC, is newest first).
    const order = page.sort[0]!.direction === 'ASC' ? 'asc' : 'desc';
    const principal = principalOf(req);
    const scope = requestScope(req);
    await assertListedScopeExists(services, principal, scope);
    const filter: AuditFilter = {
      ...scope, actors: q.actors, actions: q.actions, resourceTypes: q.resourceTypes, startTime: q.startTime, endTime: q.endTime,
    };
    const found = await auditScopeKeys(services.db, filter);
    const keys = found.map((f) => f.key);
    const created = await scopesCreatedAt(services.db, scope.accountIdentifier, keys);
    const judge = (key: string, grantedAbove?: ScopeLevel) => services.authz.isAllowed(principal, 'core_audit_view', {
      scope: scopeOfKey(scope.accountIdentifier, key), type: 'AUDIT', identifier: null, grantedAbove,
    });
    const judged = await Promise.all(found.map(async ({ key, earliest }): Promise<Period[]> => {
      const since = created.get(key);
      if (!since || earliest >= (since.project ?? since.org)) return [{ key, allowed: await judge(key) }];
      // The organization (and project) of this key exist since `since`. What the trail holds from
      // before belongs to a deleted one of the same identifier: the new one's grants do not show it.
      const periods: Period[] = [{ key, from: since.project ?? since.org, allowed: await judge(key) }];
      if (since.project !== null) periods.push({ key, from: since.org, to: since.project, allowed: await judge(key, 'project') });
      periods.push({ key, to: since.org, allowed: await judge(key, 'organization') });
      return periods;
    }));
    // Always as a filter, even when every scope read above is allowed: an entry written meanwhile in
    // a new scope is not shown unchecked. A scope shown whole goes in one list; of the others, the
    // periods shown.
    const scopes: string[] = [];
    const periods: { key: string; from?: number; to?: number }[] = [];
    for (const judgedKey of judged) {
      if (judgedKey.every((p) => p.allowed)) scopes.push(judgedKey[0]!.key);
      else for (const { key, from, to, allowed } of judgedKey) if (allowed) periods.push({ key, from, to });
    }
    filter.visible = { scopes, periods, actor: { ...actorOf(principal), since: await ownEntriesSince(services, principal) } };
    const { items, total } = await listAudit(services.db, filter, page.pageIndex, page.pageSize, order);
    return success(makePage(items, total, page), req.correlationId);
  });
}
