// PUT /ng/api/account-settings: absent fields keep their values, null returns one to the server's
// default. Every instance then re-reads the account's limits.
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { accountScope, auditActor, principalOf } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import type { Services } from '../../services.js';
import { getAccountSettings, putAccountSettings, type AccountSettings } from '../../store/account-settings.js';
import { recordAudit } from '../../store/audit-events.js';
import { inTransaction } from '../../store/transaction.js';
import { AccountQuery, AccountSettingsIn, AccountSettingsOut } from './schemas.js';

const FIELDS = ['apiKeyQps', 'maxApiKeysPerOwner', 'maxTokensPerApiKey', 'maxTokenLifetimeMs'] as const;

export function updateAccountSettings(app: App, services: Services) {
  app.put('/account-settings', {
    schema: { tags: ['account settings'], querystring: AccountQuery, body: AccountSettingsIn, response: ok(AccountSettingsOut) },
  }, async (req) => {
    const scope = accountScope(req);
    await services.authz.authorize(principalOf(req), 'core_account_edit',
      { scope, type: 'ACCOUNT', identifier: scope.accountIdentifier });
    const now = services.now();
    const actor = auditActor(req);
    const after = await inTransaction(services.db, async (trx) => {
      const before = await getAccountSettings(trx, scope.accountIdentifier);
      const after: AccountSettings = { ...before };
      for (const field of FIELDS) {
        const value = req.body[field];
        if (value !== undefined) after[field] = value;
      }
      await putAccountSettings(trx, scope.accountIdentifier, after, now);
      await recordAudit(trx, actor, {
        action: 'UPDATE', resource: { type: 'ACCOUNT_SETTINGS', identifier: scope.accountIdentifier }, scope, before, after,
      }, now);
      return after;
    });
    services.invalidation.publish({ kind: 'budgets', accountIdentifier: scope.accountIdentifier });
    return success(after, req.correlationId);
  });
}
