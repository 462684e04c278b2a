// The audit trail and the account settings (SPEC §3).
import { api } from './client';
import { scopeKey, scopeQuery } from './scope';
import type { AccountSettings, AuditEvent, EffectiveSettings, Page, Scope } from './types';

export interface AuditFilter {
  actors: string[];
  actions: string[];
  resourceTypes: string[];
  startTime: number | null;
  endTime: number | null;
}

export const auditKeys = {
  all: ['audits'] as const,
  page: (scope: Scope, filter: AuditFilter, pageIndex: number) => ['audits', scopeKey(scope), filter, pageIndex] as const,
};

export function listAudits(scope: Scope, filter: AuditFilter, pageIndex: number, pageSize: number, signal?: AbortSignal) {
  return api.get<Page<AuditEvent>>('/ng/api/audits', {
    ...scopeQuery(scope),
    actors: filter.actors,
    actions: filter.actions,
    resourceTypes: filter.resourceTypes,
    startTime: filter.startTime ?? undefined,
    endTime: filter.endTime ?? undefined,
    pageIndex,
    pageSize,
  }, signal);
}

export const settingsKeys = {
  all: ['account-settings'] as const,
  one: (account: string) => ['account-settings', account] as const,
  effective: (account: string) => ['account-settings', account, 'effective'] as const,
};

export function getAccountSettings(accountIdentifier: string, signal?: AbortSignal) {
  return api.get<AccountSettings>('/ng/api/account-settings', { accountIdentifier }, signal);
}

/** The limits in force and the server's defaults: anyone in the account may read them. */
export function getEffectiveSettings(accountIdentifier: string, signal?: AbortSignal) {
  return api.get<EffectiveSettings>('/ng/api/account-settings/effective', { accountIdentifier }, signal);
}

export function putAccountSettings(accountIdentifier: string, settings: AccountSettings) {
  return api.put<AccountSettings>('/ng/api/account-settings', settings, { accountIdentifier });
}
