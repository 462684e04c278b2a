// Scope query parameters, as every keysmith endpoint takes them.
import type { Query } from './client';
import type { Scope } from './types';

export function scopeQuery(scope: Scope): Query {
  return {
    accountIdentifier: scope.accountIdentifier,
    orgIdentifier: scope.orgIdentifier ?? undefined,
    projectIdentifier: scope.orgIdentifier ? scope.projectIdentifier ?? undefined : undefined,
  };
}

/** The scope fields a request body carries (null where the scope has none). */
export function scopeBody(scope: Scope): Scope {
  return {
    accountIdentifier: scope.accountIdentifier,
    orgIdentifier: scope.orgIdentifier ?? null,
    projectIdentifier: scope.orgIdentifier ? scope.projectIdentifier ?? null : null,
  };
}

/** A stable query-key part for a scope. */
export function scopeKey(scope: Scope): string {
  return [scope.accountIdentifier, scope.orgIdentifier ?? '', scope.projectIdentifier ?? ''].join('/');
}
