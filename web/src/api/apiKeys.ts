// API keys and tokens (SPEC §3, §4). Token values come back from create and rotate only; callers
// keep them in the dialog that shows them and nowhere else (never in a query cache).
import type { QueryClient } from '@tanstack/react-query';
import { api } from './client';
import { fetchAll } from './paging';
import { scopeBody, scopeKey, scopeQuery } from './scope';
import { serviceAccountKeys } from './serviceAccounts';
import type { ApiKey, ApiKeyAggregate, ApiKeyType, Scope, Tags, Token, TokenAggregate } from './types';

export interface Owner {
  apiKeyType: ApiKeyType;
  parentIdentifier: string;
}

export const apiKeyKeys = {
  all: ['apikeys'] as const,
  owner: (scope: Scope, owner: Owner) => ['apikeys', scopeKey(scope), owner.apiKeyType, owner.parentIdentifier] as const,
  inventory: (scope: Scope) => ['apikeys', scopeKey(scope), 'inventory'] as const,
};

export const tokenKeys = {
  all: ['tokens'] as const,
  owner: (scope: Scope, owner: Owner) => ['tokens', scopeKey(scope), owner.apiKeyType, owner.parentIdentifier] as const,
  inventory: (scope: Scope) => ['tokens', scopeKey(scope), 'inventory'] as const,
};

/**
 * After API keys were added, changed or deleted: the keys and tokens shown, and the service
 * accounts' counts of their keys (the list's column, the delete confirmation) are stale.
 */
export function refreshApiKeys(queryClient: QueryClient) {
  return Promise.all([apiKeyKeys.all, tokenKeys.all, serviceAccountKeys.all].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}

export function listApiKeys(scope: Scope, owner: Owner | null, signal?: AbortSignal) {
  return fetchAll<ApiKeyAggregate>('/ng/api/apikey/aggregate', { ...scopeQuery(scope), ...(owner ?? {}) }, signal);
}

export function listTokens(scope: Scope, owner: Owner | null, signal?: AbortSignal) {
  return fetchAll<TokenAggregate>('/ng/api/token/aggregate', { ...scopeQuery(scope), ...(owner ?? {}) }, signal);
}

export interface ApiKeyInput {
  identifier: string;
  name: string;
  description: string;
  tags: Tags;
  defaultTimeToExpireToken: number;
}

export function createApiKey(scope: Scope, owner: Owner, input: ApiKeyInput) {
  return api.post<ApiKey>('/ng/api/apikey', { ...input, ...scopeBody(scope), ...owner }, scopeQuery(scope));
}

export function updateApiKey(key: ApiKey, input: Omit<ApiKeyInput, 'identifier'>) {
  const scope = { accountIdentifier: key.accountIdentifier, orgIdentifier: key.orgIdentifier, projectIdentifier: key.projectIdentifier };
  return api.put<ApiKey>(`/ng/api/apikey/${encodeURIComponent(key.identifier)}`, { ...key, ...input, ...scopeBody(scope) }, scopeQuery(scope));
}

export function deleteApiKey(key: ApiKey) {
  return api.delete<boolean>(`/ng/api/apikey/${encodeURIComponent(key.identifier)}`, {
    ...scopeQuery(key), apiKeyType: key.apiKeyType, parentIdentifier: key.parentIdentifier,
  });
}

export interface TokenInput {
  identifier: string;
  name: string;
  description: string;
  tags: Tags;
  /** Epoch ms; absent → the key's default lifetime applies. */
  validTo?: number;
}

/** Creates a token and returns its value, which the server shows this once. */
export function createToken(key: ApiKey, input: TokenInput) {
  const body = {
    ...input,
    ...scopeBody(key),
    apiKeyIdentifier: key.identifier,
    parentIdentifier: key.parentIdentifier,
    apiKeyType: key.apiKeyType,
  };
  return api.post<string>('/ng/api/token', body, scopeQuery(key));
}

export function updateToken(token: Token, input: Omit<TokenInput, 'identifier'>) {
  const { valid: _valid, ...stored } = token;
  void _valid;
  return api.put<Token>(`/ng/api/token/${encodeURIComponent(token.identifier)}`, { ...stored, ...input, ...scopeBody(token) },
    { accountIdentifier: token.accountIdentifier });
}

export function deleteToken(token: Token) {
  return api.delete<boolean>(`/ng/api/token/${encodeURIComponent(token.identifier)}`, {
    ...scopeQuery(token), apiKeyType: token.apiKeyType, parentIdentifier: token.parentIdentifier, apiKeyIdentifier: token.apiKeyIdentifier,
  });
}

/**
 * Rotates a token and returns the new value, shown this once. Without `rotateTimestamp` the old
 * value stops working at once; with it, the old value works until that instant.
 */
export function rotateToken(token: Token, rotateTimestamp?: number, validTo?: number) {
  return api.post<string>(`/ng/api/token/rotate/${encodeURIComponent(token.identifier)}`, undefined, {
    ...scopeQuery(token),
    apiKeyType: token.apiKeyType,
    parentIdentifier: token.parentIdentifier,
    apiKeyIdentifier: token.apiKeyIdentifier,
    rotateTimestamp,
    validTo,
  });
}
