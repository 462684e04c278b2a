// What the token endpoints answer with, built from stored records: never a secret or a hash.
import { expiryAt, isActive } from '../../domain/rotation.js';
import type { TokenRecord } from '../../store/tokens.js';
import type { OwnerInfo } from '../api-keys/owners.js';

/** `valid`: the token authenticates now — inside its validity window, and its owner exists and is enabled. */
export function tokenView(r: TokenRecord, owner: OwnerInfo | null, now: number) {
  return {
    identifier: r.identifier,
    name: r.name,
    validFrom: r.validFrom,
    validTo: r.validTo,
    scheduledExpireTime: r.scheduledExpireTime,
    valid: isActive(r, now) && owner !== null && !owner.disabled,
    accountIdentifier: r.scope.accountIdentifier,
    orgIdentifier: r.scope.orgIdentifier,
    projectIdentifier: r.scope.projectIdentifier,
    apiKeyIdentifier: r.apiKeyIdentifier,
    parentIdentifier: r.parentIdentifier,
    apiKeyType: r.apiKeyType,
    description: r.description,
    tags: r.tags,
    email: owner?.email ?? null,
    username: owner?.name ?? null,
  };
}

export function tokenAggregateView(r: TokenRecord, owner: OwnerInfo | null, now: number) {
  return {
    token: tokenView(r, owner, now),
    expiryAt: expiryAt(r),
    createdAt: r.createdAt,
    lastModifiedAt: r.lastModifiedAt,
    lastUsedAt: r.lastUsedAt,
  };
}

/** The audit trail's view of a token: its server-side id (to match a leaked value's), never its secret. */
export function tokenAudit(r: TokenRecord) {
  return {
    tokenId: r.tokenId,
    identifier: r.identifier,
    name: r.name,
    description: r.description,
    tags: r.tags,
    apiKeyIdentifier: r.apiKeyIdentifier,
    apiKeyType: r.apiKeyType,
    parentIdentifier: r.parentIdentifier,
    validFrom: r.validFrom,
    validTo: r.validTo,
    scheduledExpireTime: r.scheduledExpireTime,
  };
}
