// PUT /ng/api/organizations/{identifier}: name, description and tags; the identifier never changes.
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { accountScope, auditActor, principalOf } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { entityNotFound, invalidRequest, Messages } from '../../domain/errors.js';
import { makeScope } from '../../domain/scope.js';
import type { Services } from '../../services.js';
import { recordAudit } from '../../store/audit-events.js';
import { getOrganization, updateOrganization as saveOrganization } from '../../store/organizations.js';
import { inTransaction } from '../../store/transaction.js';
import { AccountQuery, OrganizationParams, OrganizationRequest, OrganizationResponse } from './schemas.js';

export function updateOrganization(app: App, services: Services) {
  app.put('/organizations/:identifier', {
    schema: {
      tags: ['organizations'], params: OrganizationParams, querystring: AccountQuery, body: OrganizationRequest,
      response: ok(OrganizationResponse),
    },
  }, async (req) => {
    const { identifier } = req.params;
    const input = req.body.organization;
    const scope = accountScope(req, input);
    await services.authz.authorize(principalOf(req), 'core_organization_edit', { scope, type: 'ORGANIZATION', identifier });
    // A business rule, so after authorizing: a caller without the right learns nothing from it.
    if (input.identifier !== identifier) throw invalidRequest(Messages.valueMismatch(identifier, input.identifier));
    const now = services.now();
    const actor = auditActor(req);
    const record = await inTransaction(services.db, async (trx) => {
      const before = await getOrganization(trx, scope.accountIdentifier, identifier);
      if (!before) throw entityNotFound(Messages.organizationNotFound(identifier));
      // Absent fields keep their values; null clears them.
      const organization = {
        identifier,
        name: input.name,
        description: input.description === undefined ? before.organization.description : input.description ?? '',
        tags: input.tags === undefined ? before.organization.tags : input.tags ?? {},
      };
      await saveOrganization(trx, scope.accountIdentifier, organization, now);
      await recordAudit(trx, actor, {
        action: 'UPDATE', resource: { type: 'ORGANIZATION', identifier },
        scope: makeScope(scope.accountIdentifier, identifier), before: before.organization, after: organization,
      }, now);
      return { organization, createdAt: before.createdAt, lastModifiedAt: now };
    });
    return success(record, req.correlationId);
  });
}
