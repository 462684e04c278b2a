// Account settings (SPEC §3): per-account rate limit and key/token limits.
import type { App } from '../../http/app.js';
import type { Services } from '../../services.js';
import { getAccountSettings } from './get-account-settings.js';
import { getEffectiveSettings } from './get-effective-settings.js';
import { updateAccountSettings } from './update-account-settings.js';

export function accountSettingsRoutes(app: App, services: Services) {
  getAccountSettings(app, services);
  getEffectiveSettings(app, services);
  updateAccountSettings(app, services);
}
