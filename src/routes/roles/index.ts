// Roles (SPEC §3, §6): the six managed roles and custom roles at any scope.
import type { App } from '../../http/app.js';
import type { Services } from '../../services.js';
import { createRole } from './create-role.js';
import { deleteRole } from './delete-role.js';
import { getRole } from './get-role.js';
import { listRoles } from './list-roles.js';
import { updateRole } from './update-role.js';

export function roleRoutes(app: App, services: Services) {
  createRole(app, services);
  updateRole(app, services);
  deleteRole(app, services);
  getRole(app, services);
  listRoles(app, services);
}
