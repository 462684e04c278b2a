// Builders for the API-key and token endpoints' requests, shared by their tests.
import { expect } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import type { TokenAuthenticator } from '../../src/services.js';
import type { Client, Harness } from './harness.js';

export const NG = '/ng/api';

export interface Owner {
  apiKeyType: 'USER' | 'SERVICE_ACCOUNT';
  parentIdentifier: string;
  orgIdentifier?: string | null;
  projectIdentifier?: string | null;
}

export const userOwner = (id: string): Owner => ({ apiKeyType: 'USER', parentIdentifier: id });
export const saOwner = (sa: { identifier: string; scope: { orgIdentifier: string | null; projectIdentifier: string | null } }): Owner => ({
  apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: sa.identifier, orgIdentifier: sa.scope.orgIdentifier, projectIdentifier: sa.scope.projectIdentifier,
});

/** The query naming an owner (and its scope) that DELETE/GET/rotate take. */
export function ownerQuery(h: Harness, owner: Owner, extra: Record<string, string | number | string[] | boolean | undefined> = {}) {
  return {
    accountIdentifier: h.accountId,
    orgIdentifier: owner.orgIdentifier ?? undefined,
    projectIdentifier: owner.projectIdentifier ?? undefined,
    apiKeyType: owner.apiKeyType,
    parentIdentifier: owner.parentIdentifier,
    ...extra,
  };
}

export function apiKeyBody(h: Harness, owner: Owner, identifier: string, extra: Record<string, unknown> = {}) {
  return {
    identifier, name: `${identifier} name`, description: 'a key', tags: { team: 'platform' },
    accountIdentifier: h.accountId, orgIdentifier: owner.orgIdentifier ?? null, projectIdentifier: owner.projectIdentifier ?? null,
    apiKeyType: owner.apiKeyType, parentIdentifier: owner.parentIdentifier, ...extra,
  };
}

export function tokenBody(h: Harness, owner: Owner, apiKeyIdentifier: string, identifier: string, extra: Record<string, unknown> = {}) {
  return {
    identifier, name: `${identifier} name`, description: 'a token', tags: { env: 'test' },
    accountIdentifier: h.accountId, orgIdentifier: owner.orgIdentifier ?? null, projectIdentifier: owner.projectIdentifier ?? null,
    apiKeyIdentifier, apiKeyType: owner.apiKeyType, parentIdentifier: owner.parentIdentifier, ...extra,
  };
}

export async function createApiKey(h: Harness, client: Client, owner: Owner, identifier: string, extra: Record<string, unknown> = {}) {
  const res = await client.post(`${NG}/apikey`, apiKeyBody(h, owner, identifier, extra), { query: { accountIdentifier: h.accountId } });
  expect(res.status, res.text).toBe(200);
  return res.body.data;
}

/** Creates a token (and its key when missing) and returns the value. */
export async function createToken(h: Harness, client: Client, owner: Owner, apiKeyIdentifier: string, identifier: string,
  extra: Record<string, unknown> = {}): Promise<string> {
  const accountIdentifier = (extra.accountIdentifier as string | undefined) ?? h.accountId;
  const res = await client.post(`${NG}/token`, tokenBody(h, owner, apiKeyIdentifier, identifier, extra), { query: { accountIdentifier } });
  expect(res.status, res.text).toBe(200);
  expect(typeof res.body.data).toBe('string');
  return res.body.data as string;
}

/** Reads tokens back the way the Terraform provider does. */
export async function readTokens(h: Harness, client: Client, owner: Owner, apiKeyIdentifier: string, identifiers?: string[]) {
  const res = await client.get(`${NG}/token/aggregate`, { query: ownerQuery(h, owner, { apiKeyIdentifier, identifiers }) });
  expect(res.status, res.text).toBe(200);
  return res.body.data.content as any[];
}

export async function rotate(h: Harness, client: Client, owner: Owner, apiKeyIdentifier: string, identifier: string,
  extra: Record<string, string | number | undefined> = {}) {
  return client.request('POST', `${NG}/token/rotate/${identifier}`, undefined, { query: ownerQuery(h, owner, { apiKeyIdentifier, ...extra }) });
}

/** A cheap authenticated call, to see whether a token works. */
export const whoAmI = (h: Harness, token: string) => h.tokenClient(token).get(`${NG}/user/currentUser`);

/**
 * Runs `fn` with every token authenticating as `principal` (the same object on every request),
 * whatever the store holds: for principals the API could not create. Give each principal its own
 * apiKeyId: the per-key rate limit still applies.
 */
export async function asTokenOf<T>(h: Harness, principal: Principal, fn: (client: Client) => Promise<T>): Promise<T> {
  const original = h.services.tokens;
  const stub: TokenAuthenticator = { async authenticate() { return principal; }, authenticateCached: () => principal, invalidate() {} };
  h.services.tokens = stub;
  try { return await fn(h.tokenClient(`pat.${h.accountId}.${'a'.repeat(24)}.${'b'.repeat(20)}`)); } finally { h.services.tokens = original; }
}
