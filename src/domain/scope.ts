// A scope is where a resource lives: an account, one of its organizations, or a project in one.

export interface Scope {
  accountIdentifier: string;
  orgIdentifier: string | null;
  projectIdentifier: string | null;
}

export type ScopeLevel = 'account' | 'organization' | 'project';

export function scopeLevel(scope: Scope): ScopeLevel {
  if (scope.projectIdentifier) return 'project';
  if (scope.orgIdentifier) return 'organization';
  return 'account';
}

/** Normalizes empty strings and undefined to null, the one representation used everywhere. */
export function makeScope(accountIdentifier: string, orgIdentifier?: string | null, projectIdentifier?: string | null): Scope {
  return {
    accountIdentifier,
    orgIdentifier: orgIdentifier || null,
    projectIdentifier: projectIdentifier || null,
  };
}

export function sameScope(a: Scope, b: Scope): boolean {
  return (
    a.accountIdentifier === b.accountIdentifier &&
    a.orgIdentifier === b.orgIdentifier &&
    a.projectIdentifier === b.projectIdentifier
  );
}

/** The scope itself and every scope above it, nearest first. */
export function scopeChain(scope: Scope): Scope[] {
  const chain: Scope[] = [scope];
  if (scope.projectIdentifier) chain.push(makeScope(scope.accountIdentifier, scope.orgIdentifier));
  if (scope.orgIdentifier) chain.push(makeScope(scope.accountIdentifier));
  return chain;
}

/** True when `inner` is `outer` or lies below it. */
export function isWithin(inner: Scope, outer: Scope): boolean {
  if (inner.accountIdentifier !== outer.accountIdentifier) return false;
  if (outer.orgIdentifier && inner.orgIdentifier !== outer.orgIdentifier) return false;
  if (outer.projectIdentifier && inner.projectIdentifier !== outer.projectIdentifier) return false;
  return true;
}

export function describeScope(scope: Scope): string {
  if (scope.projectIdentifier) return `project ${scope.orgIdentifier}/${scope.projectIdentifier}`;
  if (scope.orgIdentifier) return `organization ${scope.orgIdentifier}`;
  return `account ${scope.accountIdentifier}`;
}

/** Every account has this organization, with this project in it (as Harness accounts do). */
export const DEFAULT_ORGANIZATION = 'default';
export const DEFAULT_PROJECT = 'default_project';
