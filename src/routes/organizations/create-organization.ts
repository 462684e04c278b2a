// POST /ng/api/organizations: creates an organization; its creator becomes its admin.
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { accountScope, auditActor, principalOf } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { duplicateField, Messages } from '../../domain/errors.js';
import { makeScope } from '../../domain/scope.js';
import type { Services } from '../../services.js';
import { recordAudit } from '../../store/audit-events.js';
import { grantCreatorAdmin } from '../../store/creator-role.js';
import { isUniqueViolation } from '../../store/database.js';
import { getOrganization, insertOrganization } from '../../store/organizations.js';
import { inTransaction } from '../../store/transaction.js';
import { AccountQuery, OrganizationRequest, OrganizationResponse } from './schemas.js';

export function createOrganization(app: App, services: Services) {
  app.post('/organizations', {
    schema: { tags: ['organizations'], querystring: AccountQuery, body: OrganizationRequest, response: ok(OrganizationResponse) },
  }, async (req) => {
    // 1. scope and caller
    const input = req.body.organization;
    const principal = principalOf(req);
    const scope = accountScope(req, input);
    // 2. authorize
    await services.authz.authorize(principal, 'core_organization_create', { scope, type: 'ORGANIZATION', identifier: null });
    // 3. write, with the creator's grant and the audit entries, in one transaction
    const orgScope = makeScope(scope.accountIdentifier, input.identifier);
    const organization = {
      identifier: input.identifier, name: input.name, description: input.description ?? '', tags: input.tags ?? {},
    };
    const now = services.now();
    const actor = auditActor(req);
    const record = await inTransaction(services.db, async (trx) => {
      if (await getOrganization(trx, scope.accountIdentifier, input.identifier)) {
        throw duplicateField(Messages.duplicateOrganization(input.identifier));
      }
      const created = await insertOrganization(trx, scope.accountIdentifier, organization, now);
      const grant = await grantCreatorAdmin(trx, orgScope, principal, now);
      await recordAudit(trx, actor, {
        action: 'CREATE', resource: { type: 'ORGANIZATION', identifier: input.identifier }, scope: orgScope, after: created.organization,
      }, now);
      await recordAudit(trx, actor, {
        action: 'CREATE', resource: { type: 'ROLEASSIGNMENT', identifier: grant.identifier }, scope: orgScope, after: grant,
      }, now);
      return created;
    }).catch((err: unknown) => {
      if (isUniqueViolation(err)) throw duplicateField(Messages.duplicateOrganization(input.identifier));
      throw err;
    });
    // 4. the creator's rights changed
    services.invalidation.publish({
      kind: 'principal', accountIdentifier: scope.accountIdentifier, principalType: principal.type, principalIdentifier: principal.identifier,
      permissionsOnly: true,
    });
    return success(record, req.correlationId);
  });
}
