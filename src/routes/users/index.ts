// Users (SPEC §3): create, list (aggregate), get, update, delete, and the current caller.
import type { App } from '../../http/app.js';
import type { Services } from '../../services.js';
import { createUser } from './create-user.js';
import { currentUser } from './current-user.js';
import { deleteUser } from './delete-user.js';
import { getUser } from './get-user.js';
import { listUsers } from './list-users.js';
import { updateUser } from './update-user.js';

export function userRoutes(app: App, services: Services) {
  createUser(app, services);
  currentUser(app, services);
  listUsers(app, services);
  getUser(app, services);
  updateUser(app, services);
  deleteUser(app, services);
}
