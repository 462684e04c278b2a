// GET /ng/api/organizations: the organizations the caller may view, paged and searchable.
import type { App } from '../../http/app.js';
import { matchesSearch, pageOf, pageRequest, sortItems, success } from '../../http/envelope.js';
import { accountScope, principalOf } from '../../http/request-scope.js';
import { ok, PageOf } from '../../http/schemas.js';
import type { Services } from '../../services.js';
import { listOrganizations as allOrganizations, type OrganizationRecord } from '../../store/organizations.js';
import { ORGANIZATION_SORT_FIELDS, OrganizationListQuery, OrganizationResponse } from './schemas.js';

function sortKey(record: OrganizationRecord, field: string): string | number {
  switch (field) {
    case 'createdAt': return record.createdAt;
    case 'lastModifiedAt': return record.lastModifiedAt;
    case 'name': return record.organization.name.toLowerCase();
    default: return record.organization.identifier;
  }
}

export function listOrganizations(app: App, services: Services) {
  app.get('/organizations', {
    schema: { tags: ['organizations'], querystring: OrganizationListQuery, response: ok(PageOf(OrganizationResponse)) },
  }, async (req) => {
    const page = pageRequest(req.query, ORGANIZATION_SORT_FIELDS);
    const principal = principalOf(req);
    const scope = accountScope(req);
    const wanted = req.query.identifiers?.length ? new Set(req.query.identifiers) : null;
    const visible: OrganizationRecord[] = [];
    for (const record of await allOrganizations(services.db, scope.accountIdentifier)) {
      const { organization } = record;
      if (wanted && !wanted.has(organization.identifier)) continue;
      if (!matchesSearch(page.searchTerm, organization)) continue;
      if (!(await services.authz.isAllowed(principal, 'core_organization_view',
        { scope, type: 'ORGANIZATION', identifier: organization.identifier }))) continue;
      visible.push(record);
    }
    return success(pageOf(sortItems(visible, page, sortKey), page), req.correlationId);
  });
}
