// User groups (SPEC §3): members are users of the account and service accounts of the group's scope.
import type { App } from '../../http/app.js';
import type { Services } from '../../services.js';
import { createUserGroup } from './create-user-group.js';
import { deleteUserGroup } from './delete-user-group.js';
import { getUserGroup } from './get-user-group.js';
import { listUserGroups } from './list-user-groups.js';
import { updateUserGroup } from './update-user-group.js';

export function userGroupRoutes(app: App, services: Services) {
  createUserGroup(app, services);
  updateUserGroup(app, services);
  deleteUserGroup(app, services);
  getUserGroup(app, services);
  listUserGroups(app, services);
}
