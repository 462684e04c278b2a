// GET /ng/api/account-settings/effective: the limits in force in the caller's account — its own
// values where it has them, else the server's defaults — and those defaults. Any caller of the
// account may read them: they are the rules its own requests are held to (the console's token
// dialogs check dates against the maximum lifetime before the server does), and the refusals of
// a limit name them anyway. Changing them still needs core_account_edit.
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { accountScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import type { Services } from '../../services.js';
import { effectiveSettings, getAccountSettings } from '../../store/account-settings.js';
import { AccountQuery, EffectiveSettingsOut } from './schemas.js';

const NONE = { apiKeyQps: null, maxApiKeysPerOwner: null, maxTokensPerApiKey: null, maxTokenLifetimeMs: null };

export function getEffectiveSettings(app: App, services: Services) {
  app.get('/account-settings/effective', {
    schema: { tags: ['account settings'], querystring: AccountQuery, response: ok(EffectiveSettingsOut) },
  }, async (req) => {
    const { accountIdentifier } = accountScope(req);
    const stored = await getAccountSettings(services.db, accountIdentifier);
    return success({
      effective: effectiveSettings(services.config, stored),
      defaults: effectiveSettings(services.config, NONE),
    }, req.correlationId);
  });
}
