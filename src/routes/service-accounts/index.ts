// Service accounts (SPEC §3): create, update, delete, get, list and aggregates, at any scope.
import type { App } from '../../http/app.js';
import type { Services } from '../../services.js';
import { createServiceAccount } from './create-service-account.js';
import { deleteServiceAccount } from './delete-service-account.js';
import { getServiceAccount } from './get-service-account.js';
import { getServiceAccountAggregate } from './get-service-account-aggregate.js';
import { listServiceAccountAggregates } from './list-service-account-aggregates.js';
import { listServiceAccounts } from './list-service-accounts.js';
import { updateServiceAccount } from './update-service-account.js';

export function serviceAccountRoutes(app: App, services: Services) {
  createServiceAccount(app, services);
  updateServiceAccount(app, services);
  deleteServiceAccount(app, services);
  getServiceAccount(app, services);
  listServiceAccounts(app, services);
  listServiceAccountAggregates(app, services);
  getServiceAccountAggregate(app, services);
}
