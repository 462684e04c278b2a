// Mounts every route module under the prefixes Harness clients use (SPEC §2).
//
// Every route is the application's own, its prefix written into its path (`under`), rather than
// registered in a plugin context per prefix: Fastify builds new Request and Reply classes for each
// context, and the code every request runs (Fastify's, Node's, the request hook) reads and writes
// those objects. Past four classes its property accesses turn megamorphic for good — counted by
// callgrind, a server that had answered requests from nine contexts ran `currentUser` at 108,000
// instructions against 97,000 on one that had seen only its own (README, Benchmark). The routes
// whose bodies are not JSON say so in their config, for the application's parsers (body-parsers.ts).
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

const ROUTE_METHODS = new Set<PropertyKey>(['get', 'post', 'put', 'delete']);

/**
 * `app` as a route module sees it under `prefix`: `get`, `post`, `put` and `delete` add routes to
 * `app` with the prefix in front of their paths. A module that reaches for anything else fails at
 * start-up rather than changing `app` for every prefix.
 */
export function under(app: App, prefix: string): App {
  return new Proxy(app, {
    get(target, key) {
      if (!ROUTE_METHODS.has(key)) throw new Error(`a route module under ${prefix} may only add routes, not use app.${String(key)}`);
      const add = Reflect.get(target, key) as (url: string, ...rest: unknown[]) => App;
      return (url: string, ...rest: unknown[]) => add.call(target, prefix + url, ...rest);
    },
  });
}

function mount(app: App, services: Services, prefixes: string[], modules: RouteModule[]) {
  for (const prefix of prefixes) for (const m of modules) m(under(app, prefix), services);
}

export function registerRoutes(app: App, services: Services): void {
  // The /gateway copies are the same operations: keep them out of the OpenAPI document.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/gateway/')) route.schema = { ...(route.schema ?? {}), hide: true };
  });
  authRoutes(app, services);
  mount(app, services, NG_PREFIXES, [organizationRoutes, projectRoutes, userRoutes, accountSettingsRoutes, auditRoutes, apiKeyRoutes, tokenRoutes, serviceAccountRoutes, userGroupRoutes]);
  mount(app, services, AUTHZ_PREFIXES, [roleRoutes, roleAssignmentRoutes, accessCheckRoutes]);
  mount(app, services, RESOURCE_GROUP_PREFIXES, [resourceGroupRoutes]);
}
