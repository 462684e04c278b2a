// Mounts every route module under the prefixes Harness clients use (SPEC §2).
import type { App } from '../http/app.js';
import type { Services } from '../services.js';
import { apiKeyRoutes } from './api-keys/index.js';
import { authRoutes } from './auth/index.js';
import { accessCheckRoutes } from './access-checks/index.js';
import { accountSettingsRoutes } from './account-settings/index.js';
import { auditRoutes } from './audits/index.js';
import { organizationRoutes } from './organizations/index.js';
import { projectRoutes } from './projects/index.js';
import { resourceGroupRoutes } from './resource-groups/index.js';
import { roleAssignmentRoutes } from './role-assignments/index.js';
import { roleRoutes } from './roles/index.js';
import { serviceAccountRoutes } from './service-accounts/index.js';
import { userGroupRoutes } from './user-groups/index.js';
import { tokenRoutes } from './tokens/index.js';
import { userRoutes } from './users/index.js';

export const NG_PREFIXES = ['/ng/api', '/gateway/ng/api'];
export const AUTHZ_PREFIXES = ['/authz/api', '/gateway/authz/api'];
export const RESOURCE_GROUP_PREFIXES = ['/resourcegroup/api', '/gateway/resourcegroup/api'];

type RouteModule = (app: App, services: Services) => void;

async function mount(app: App, services: Services, prefixes: string[], modules: RouteModule[]) {
  for (const prefix of prefixes) {
    await app.register(async (scoped: App) => { for (const m of modules) m(scoped, services); }, { prefix });
  }
}

export async function registerRoutes(app: App, services: Services): Promise<void> {
  // The /gateway copies are the same operations: keep them out of the OpenAPI document.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/gateway/')) route.schema = { ...(route.schema ?? {}), hide: true };
  });
  await mount(app, services, [''], [authRoutes]);
  await mount(app, services, NG_PREFIXES, [organizationRoutes, projectRoutes, userRoutes, accountSettingsRoutes, auditRoutes, apiKeyRoutes, tokenRoutes, serviceAccountRoutes, userGroupRoutes]);
  await mount(app, services, AUTHZ_PREFIXES, [roleRoutes, roleAssignmentRoutes, accessCheckRoutes]);
  await mount(app, services, RESOURCE_GROUP_PREFIXES, [resourceGroupRoutes]);
}
