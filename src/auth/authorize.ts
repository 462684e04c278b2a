// The one authorization call every route makes: authorize(principal, permission, resource).
// Routes depend on the `Authorizer` interface only. Behind it: one compiled snapshot of each
// principal's rights (src/domain/evaluation.ts), loaded from the store once and kept until an
// invalidation concerning that principal (or its account) arrives, or its TTL runs out.
import type { Kysely } from 'kysely';
import { accessDenied } from '../domain/errors.js';
import { compileSnapshot, evaluate, holdsOnSome, type PermissionSnapshot, type Subject } from '../domain/evaluation.js';
import { type Permission, PERMISSION_RESOURCE_TYPE, type ResourceType, resourceTypeLabel } from '../domain/permissions.js';
import type { Scope } from '../domain/scope.js';
import type { InvalidationEvent } from '../services.js';
import { loadAccessFacts } from '../store/access-facts.js';
import type { Database } from '../store/schema.js';
import { describePrincipal, type Principal } from './principal.js';

export interface Resource {
  scope: Scope;
  type?: ResourceType; // defaults to the permission's resource type
  identifier?: string | null;
}

export interface Authorizer {
  /** Resolves when allowed; throws 403 NG_ACCESS_DENIED naming the failed check otherwise. */
  authorize(principal: Principal, permission: Permission, resource: Resource): Promise<void>;
  isAllowed(principal: Principal, permission: Permission, resource: Resource): Promise<boolean>;
  /**
   * True when the principal holds the permission on at least one resource of the type at the scope,
   * whatever its identifier: the gate for operations whose exact target is not known before lookup.
   */
  holdsOnSome(principal: Principal, permission: Permission, resource: Omit<Resource, 'identifier'>): Promise<boolean>;
  /**
   * True when a user holds an enabled `_account_admin` assignment at account scope, directly or
   * through a group (UserInfo's `admin`); always false for a service account.
   */
  isAccountAdmin(principal: Principal): Promise<boolean>;
  /** Forget cached rights: of one principal, of an account, or (no event / kind 'all') everything. */
  invalidate(event?: InvalidationEvent): void;
}

export function denial(principal: Principal, permission: Permission, resource: Resource) {
  const type = resource.type ?? PERMISSION_RESOURCE_TYPE[permission];
  const identifier = resource.identifier ?? null;
  const target = identifier
    ? `${resourceTypeLabel(type)} with identifier ${identifier}`
    : `${resourceTypeLabel(type)}`;
  return accessDenied(`${describePrincipal(principal)} : Missing permission ${permission} on ${target}`, [{
    resourceScope: {
      accountIdentifier: resource.scope.accountIdentifier,
      orgIdentifier: resource.scope.orgIdentifier,
      projectIdentifier: resource.scope.projectIdentifier,
    },
    resourceType: type,
    resourceIdentifier: identifier,
    permission,
  }]);
}

export interface AuthorizerOptions {
  /** How long a snapshot may be used without an invalidation (a safety net; invalidations are the rule). */
  ttlMs: number;
  now?: () => number;
  /** Snapshots kept at most; the least recently loaded go first. */
  maxEntries?: number;
}

interface Entry {
  principalType: string;
  principalIdentifier: string;
  accountIdentifier: string;
  expiresAt: number;
  snapshot: Promise<PermissionSnapshot>;
}

function subjectOf(p: Principal): Subject {
  return p.type === 'USER'
    ? { type: 'USER', identifier: p.identifier, accountIdentifier: p.accountIdentifier, scope: null }
    : { type: 'SERVICE_ACCOUNT', identifier: p.identifier, accountIdentifier: p.accountIdentifier, scope: p.scope };
}

function keyOf(p: Principal): string {
  const scope = p.type === 'SERVICE_ACCOUNT' ? `${p.scope.orgIdentifier ?? ''}/${p.scope.projectIdentifier ?? ''}` : '';
  return `${p.accountIdentifier}\u0000${p.type}\u0000${scope}\u0000${p.identifier}`;
}

/**
 * Role-based authorization (SPEC §6) from cached per-principal snapshots. A user may always view
 * their own user record; everything else comes from role assignments.
 */
export function createAuthorizer(db: Kysely<Database>, options: AuthorizerOptions): Authorizer {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 10_000;
  const cache = new Map<string, Entry>();
  // Bumped by every invalidation: a load that started before one is not cached (it may be stale).
  let epoch = 0;

  function snapshotOf(principal: Principal): Promise<PermissionSnapshot> {
    const key = keyOf(principal);
    const hit = cache.get(key);
    const t = now();
    if (hit && hit.expiresAt > t) return hit.snapshot;
    const started = epoch;
    const snapshot = loadAccessFacts(db, subjectOf(principal)).then(compileSnapshot);
    const entry: Entry = {
      principalType: principal.type, principalIdentifier: principal.identifier,
      accountIdentifier: principal.accountIdentifier, expiresAt: t + options.ttlMs, snapshot,
    };
    cache.delete(key);
    cache.set(key, entry);
    if (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
    snapshot.then(() => {
      if (epoch !== started && cache.get(key) === entry) cache.delete(key);
    }, () => {
      if (cache.get(key) === entry) cache.delete(key);
    });
    return snapshot;
  }

  async function allowed(principal: Principal, permission: Permission, resource: Resource): Promise<boolean> {
    if (resource.scope.accountIdentifier !== principal.accountIdentifier) return false;
    const type = resource.type ?? PERMISSION_RESOURCE_TYPE[permission];
    if (permission === 'core_user_view' && principal.type === 'USER' && type === 'USER' && resource.identifier === principal.identifier) return true;
    return evaluate(await snapshotOf(principal), permission, { scope: resource.scope, type, identifier: resource.identifier ?? null }).allowed;
  }

  function drop(match: (e: Entry) => boolean) {
    for (const [key, entry] of cache) if (match(entry)) cache.delete(key);
  }

  return {
    isAllowed: allowed,
    async authorize(principal, permission, resource) {
      if (!(await allowed(principal, permission, resource))) throw denial(principal, permission, resource);
    },
    async holdsOnSome(principal, permission, resource) {
      if (resource.scope.accountIdentifier !== principal.accountIdentifier) return false;
      return holdsOnSome(await snapshotOf(principal), permission, resource.scope, resource.type);
    },
    async isAccountAdmin(principal) {
      return principal.type === 'USER' && (await snapshotOf(principal)).accountAdmin;
    },
    invalidate(event) {
      epoch++;
      if (!event || event.kind === 'all') { cache.clear(); return; }
      if (event.kind === 'token') return;
      const account = event.accountIdentifier;
      // A group's change reaches every member: drop the whole account (groups are few and rare to change).
      if (event.kind === 'account' || event.principalType === 'USER_GROUP') { drop((e) => e.accountIdentifier === account); return; }
      drop((e) => e.accountIdentifier === account && e.principalType === event.principalType && e.principalIdentifier === event.principalIdentifier);
    },
  };
}
