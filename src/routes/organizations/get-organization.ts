// GET /ng/api/organizations/{identifier}
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { accountScope, principalOf } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { entityNotFound, Messages } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import { getOrganization as findOrganization } from '../../store/organizations.js';
import { AccountQuery, OrganizationParams, OrganizationResponse } from './schemas.js';

export function getOrganization(app: App, services: Services) {
  app.get('/organizations/:identifier', {
    schema: { tags: ['organizations'], params: OrganizationParams, querystring: AccountQuery, response: ok(OrganizationResponse) },
  }, async (req) => {
    const { identifier } = req.params;
    const scope = accountScope(req);
    await services.authz.authorize(principalOf(req), 'core_organization_view', { scope, type: 'ORGANIZATION', identifier });
    const record = await findOrganization(services.db, scope.accountIdentifier, identifier);
    if (!record) throw entityNotFound(Messages.organizationNotFound(identifier));
    return success(record, req.correlationId);
  });
}
