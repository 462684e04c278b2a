// Service accounts (SPEC §3).
import { api } from './client';
import { fetchAll } from './paging';
import { scopeBody, scopeKey, scopeQuery } from './scope';
import type { Scope, ServiceAccount, ServiceAccountAggregate, Tags } from './types';

export const serviceAccountKeys = {
  all: ['serviceaccounts'] as const,
  list: (scope: Scope) => ['serviceaccounts', scopeKey(scope), 'list'] as const,
  one: (scope: Scope, identifier: string) => ['serviceaccounts', scopeKey(scope), 'one', identifier] as const,
};

export function listServiceAccounts(scope: Scope, signal?: AbortSignal) {
  return fetchAll<ServiceAccountAggregate>('/ng/api/serviceaccount/aggregate', scopeQuery(scope), signal);
}

export function getServiceAccount(scope: Scope, identifier: string, signal?: AbortSignal) {
  return api.get<ServiceAccountAggregate>(`/ng/api/serviceaccount/aggregate/${encodeURIComponent(identifier)}`, scopeQuery(scope), signal);
}

export interface ServiceAccountInput {
  identifier: string;
  name: string;
  email: string;
  description: string;
  tags: Tags;
}

export function createServiceAccount(scope: Scope, input: ServiceAccountInput) {
  return api.post<ServiceAccount>('/ng/api/serviceaccount', { ...input, ...scopeBody(scope) }, scopeQuery(scope));
}

export function updateServiceAccount(sa: ServiceAccount, input: Omit<ServiceAccountInput, 'identifier' | 'email'>) {
  return api.put<ServiceAccount>(`/ng/api/serviceaccount/${encodeURIComponent(sa.identifier)}`,
    { ...sa, ...input, ...scopeBody(sa) }, scopeQuery(sa));
}

export function deleteServiceAccount(sa: Pick<ServiceAccount, 'identifier'> & Scope) {
  return api.delete<boolean>(`/ng/api/serviceaccount/${encodeURIComponent(sa.identifier)}`, scopeQuery(sa));
}

/** The e-mail a new service account gets unless the person types another. */
export function serviceAccountEmail(identifier: string): string {
  const local = identifier.toLowerCase().replace(/[^a-z0-9_.-]/g, '_') || 'serviceaccount';
  return `${local}@service.keysmith.local`;
}
