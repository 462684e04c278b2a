// Role assignments (SPEC §3, §6): create, enable/disable, delete, get and list at a scope.
import type { App } from '../../http/app.js';
import type { Services } from '../../services.js';
import { createRoleAssignment } from './create-role-assignment.js';
import { deleteRoleAssignment } from './delete-role-assignment.js';
import { getRoleAssignment } from './get-role-assignment.js';
import { listRoleAssignments } from './list-role-assignments.js';
import { updateRoleAssignment } from './update-role-assignment.js';

export function roleAssignmentRoutes(app: App, services: Services) {
  createRoleAssignment(app, services);
  updateRoleAssignment(app, services);
  deleteRoleAssignment(app, services);
  getRoleAssignment(app, services);
  listRoleAssignments(app, services);
}
