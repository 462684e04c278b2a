// Harness's access check (POST /authz/api/acl): may the signed-in caller use these permissions on
// these resources? Answered as the routes guarding the actions decide, without acting.
import { request } from './client';
import type { Scope } from './types';

export type ResourceType =
  | 'ACCOUNT' | 'ORGANIZATION' | 'PROJECT' | 'USER' | 'USERGROUP' | 'SERVICEACCOUNT' | 'ROLE' | 'RESOURCEGROUP' | 'AUDIT';

export interface AccessCheck {
  resourceScope: Scope;
  resourceType: ResourceType;
  /** Null asks about every resource of the type at the scope: what creation routes ask. */
  resourceIdentifier: string | null;
  permission: string;
}

interface AccessCheckResponse {
  principal: { principalIdentifier: string; principalType: string };
  accessControlList: (AccessCheck & { permitted: boolean })[];
}

/** The server takes at most this many checks in one request. */
export const MAX_ACCESS_CHECKS = 1000;

const RESOURCE_TYPES: Record<string, ResourceType> = {
  account: 'ACCOUNT', organization: 'ORGANIZATION', project: 'PROJECT', user: 'USER', usergroup: 'USERGROUP',
  serviceaccount: 'SERVICEACCOUNT', role: 'ROLE', resourcegroup: 'RESOURCEGROUP', audit: 'AUDIT',
};

/**
 * The resource type a permission is about (core_serviceaccount_edit → SERVICEACCOUNT). The server
 * answers "not permitted" for a check naming any other type.
 */
export function resourceTypeOf(permission: string): ResourceType {
  const type = RESOURCE_TYPES[/^core_([a-z]+)_/.exec(permission)?.[1] ?? ''];
  if (!type) throw new Error(`no resource type for permission ${permission}`);
  return type;
}

export const accessKeys = {
  all: ['acl'] as const,
  checks: (user: string, checks: AccessCheck[]) => ['acl', user, checks] as const,
};

/**
 * `permitted` of each check, in the order asked. A check the answer leaves out counts as permitted:
 * the console only uses these to decide what to offer, and the route still decides.
 */
export async function checkAccess(checks: AccessCheck[], signal?: AbortSignal): Promise<boolean[]> {
  const answers: boolean[] = [];
  for (let i = 0; i < checks.length; i += MAX_ACCESS_CHECKS) {
    const permissions = checks.slice(i, i + MAX_ACCESS_CHECKS);
    const res = await request<AccessCheckResponse>('POST', '/authz/api/acl', { body: { permissions }, signal });
    answers.push(...permissions.map((_, j) => res.accessControlList[j]?.permitted !== false));
  }
  return answers;
}
