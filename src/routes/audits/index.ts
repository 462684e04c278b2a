// The audit trail (SPEC §3).
import type { App } from '../../http/app.js';
import type { Services } from '../../services.js';
import { listAudits } from './list-audits.js';

export function auditRoutes(app: App, services: Services) {
  listAudits(app, services);
}
