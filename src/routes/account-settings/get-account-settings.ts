// GET /ng/api/account-settings: the account's stored overrides (null: the server's default).
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { accountScope, principalOf } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import type { Services } from '../../services.js';
import { getAccountSettings as loadSettings } from '../../store/account-settings.js';
import { AccountQuery, AccountSettingsOut } from './schemas.js';

export function getAccountSettings(app: App, services: Services) {
  app.get('/account-settings', {
    schema: { tags: ['account settings'], querystring: AccountQuery, response: ok(AccountSettingsOut) },
  }, async (req) => {
    const scope = accountScope(req);
    await services.authz.authorize(principalOf(req), 'core_account_view',
      { scope, type: 'ACCOUNT', identifier: scope.accountIdentifier });
    return success(await loadSettings(services.db, scope.accountIdentifier), req.correlationId);
  });
}
