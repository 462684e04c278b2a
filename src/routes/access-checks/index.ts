// Access checks (Harness's ACL endpoint): what the caller may do, asked before doing it.
import type { App } from '../../http/app.js';
import type { Services } from '../../services.js';
import { checkAccess } from './check-access.js';

export function accessCheckRoutes(app: App, services: Services) {
  checkAccess(app, services);
}
