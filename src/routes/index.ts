// Mounts every route module under the prefixes Harness clients use (SPEC §2).
import type { App } from '../http/app.js';
import type { Services } from '../services.js';
import { apiKeyRoutes } from './api-keys/index.js';
import { authRoutes } from './auth/index.js';
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

const SHORTHANDS = new Set<PropertyKey>(['get', 'post', 'put', 'delete', 'patch', 'head', 'options']);

/**
 * The app as a route module sees it, with every route it adds put under `prefix` — without a plugin
 * context per prefix. Fastify gives each context its own Request and Reply classes, and the code that
 * builds every request is shared between them: with one context per prefix it saw nine shapes of
 * request and went megamorphic, on every request of every route. A module that registers a plugin
 * of its own (rotation, for its body parser) still gets one, under the same prefix.
 */
function prefixed(app: App, prefix: string): App {
  return new Proxy(app, {
    get(target, property, receiver) {
      if (SHORTHANDS.has(property)) {
        const shorthand = Reflect.get(target, property, receiver) as (url: string, ...rest: unknown[]) => App;
        return (url: string, ...rest: unknown[]) => shorthand.call(target, prefix + url, ...rest);
      }
      if (property === 'route') {
        return (options: { url: string }) => target.route({ ...options, url: prefix + options.url } as Parameters<App['route']>[0]);
      }
      if (property === 'register') {
        return (plugin: Parameters<App['register']>[0], options?: { prefix?: string }) =>
          target.register(plugin, { ...options, prefix: prefix + (options?.prefix ?? '') });
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

async function mount(app: App, services: Services, prefixes: string[], modules: RouteModule[]) {
  for (const prefix of prefixes) {
    const scoped = prefixed(app, prefix);
    for (const m of modules) m(scoped, services);
  }
  await app.after();
}

export async function registerRoutes(app: App, services: Services): Promise<void> {
  // The /gateway copies are the same operations: keep them out of the OpenAPI document.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/gateway/')) route.schema = { ...(route.schema ?? {}), hide: true };
  });
  await mount(app, services, [''], [authRoutes]);
  await mount(app, services, NG_PREFIXES, [organizationRoutes, projectRoutes, userRoutes, accountSettingsRoutes, auditRoutes, apiKeyRoutes, tokenRoutes, serviceAccountRoutes, userGroupRoutes]);
  await mount(app, services, AUTHZ_PREFIXES, [roleRoutes, roleAssignmentRoutes]);
  await mount(app, services, RESOURCE_GROUP_PREFIXES, [resourceGroupRoutes]);
}
