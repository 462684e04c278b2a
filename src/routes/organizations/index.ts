// Organizations (SPEC §3): create, get, list, update, delete under /ng/api/organizations.
import type { App } from '../../http/app.js';
import type { Services } from '../../services.js';
import { createOrganization } from './create-organization.js';
import { deleteOrganization } from './delete-organization.js';
import { getOrganization } from './get-organization.js';
import { listOrganizations } from './list-organizations.js';
import { updateOrganization } from './update-organization.js';

export function organizationRoutes(app: App, services: Services) {
  createOrganization(app, services);
  listOrganizations(app, services);
  getOrganization(app, services);
  updateOrganization(app, services);
  deleteOrganization(app, services);
}
