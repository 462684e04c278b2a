// Resource groups (SPEC §3, §6): the four managed ones and custom ones at any scope.
import type { App } from '../../http/app.js';
import type { Services } from '../../services.js';
import { createResourceGroup } from './create-resource-group.js';
import { deleteResourceGroup } from './delete-resource-group.js';
import { getResourceGroup } from './get-resource-group.js';
import { listResourceGroups } from './list-resource-groups.js';
import { updateResourceGroup } from './update-resource-group.js';

export function resourceGroupRoutes(app: App, services: Services) {
  createResourceGroup(app, services);
  updateResourceGroup(app, services);
  deleteResourceGroup(app, services);
  getResourceGroup(app, services);
  listResourceGroups(app, services);
}
