// The one authorization call every route makes: authorize(principal, permission, resource).
// Routes depend on the `Authorizer` interface only. Behind it: one compiled snapshot of each
// principal's rights (src/domain/evaluation.ts), loaded from the store once and kept until an
// invalidation concerning that principal (or its account) arrives, or its TTL runs out.
import type { Kysely } from 'kysely';
import { accessDenied } from '../domain/errors.js';
import { compileSnapshot, evaluate, holdsOnSome, type PermissionSnapshot, type Subject } from '../domain/evaluation.js';
import { type Permission, PERMISSION_RESOURCE_TYPE, type ResourceType, resourceTypeLabel } from '../domain/permissions.js';
import type { Scope, ScopeLevel } from '../domain/scope.js';
import type { InvalidationEvent } from '../services.js';
import { loadAccessFacts } from '../store/access-facts.js';
import type { Database } from '../store/schema.js';
import { describePrincipal, type Principal } from './principal.js';

export interface Resource {
  scope: Scope;
  type?: ResourceType; // defaults to the permission's resource type
  identifier?: string | null;
  /** Only assignments above this level count (evaluation.ts, EvaluatedResource). */
  grantedAbove?: ScopeLevel;
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
   * True when the principal — a user or a service account — holds an enabled `_account_admin`
   * assignment at account scope, directly or through a group (UserInfo's `admin`, SPEC §3).
   */
  isAccountAdmin(principal: Principal): boolean | Promise<boolean>;
  /** Forget cached rights: of one principal, of an account, or (no event / kind 'all') everything. */
  invalidate(event?: InvalidationEvent): void;
}

/**
 * 403 NG_ACCESS_DENIED for a failed check. `reason` replaces "Missing permission … on …" where no
 * permission would allow the action (the failed check is still listed, for clients that read it).
 */
export function denial(principal: Principal, permission: Permission, resource: Resource, reason?: string) {
  const type = resource.type ?? PERMISSION_RESOURCE_TYPE[permission];
  const identifier = resource.identifier ?? null;
  const target = identifier
    ? `${resourceTypeLabel(type)} with identifier ${identifier}`
    : `${resourceTypeLabel(type)}`;
  return accessDenied(`${describePrincipal(principal)} : ${reason ?? `Missing permission ${permission} on ${target}`}`, [{
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
  /** The snapshot once loaded. */
  loaded: PermissionSnapshot | null;
  /** Set when an invalidation removes the entry, for holders of a reference to it. */
  dropped: boolean;
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
  // The hot path: a token's principal is one object for as long as the token stays cached, so its
  // entry is found without building the string key (and a dropped principal is simply collected).
  const byPrincipal = new WeakMap<Principal, Entry>();
  // Bumped by every invalidation: a load that started before one is not cached (it may be stale).
  let epoch = 0;

  /** The principal's loaded, still valid snapshot, found without a promise; null otherwise. */
  function loadedSnapshotOf(principal: Principal): PermissionSnapshot | null {
    const entry = byPrincipal.get(principal);
    return entry && !entry.dropped && entry.expiresAt > now() ? entry.loaded : null;
  }

  function snapshotOf(principal: Principal): Promise<PermissionSnapshot> {
    const key = keyOf(principal);
    const hit = cache.get(key);
    const t = now();
    if (hit && hit.expiresAt > t) {
      if (hit.loaded) byPrincipal.set(principal, hit);
      return hit.snapshot;
    }
    const started = epoch;
    const snapshot = loadAccessFacts(db, subjectOf(principal)).then(compileSnapshot);
    const entry: Entry = {
      principalType: principal.type, principalIdentifier: principal.identifier,
      accountIdentifier: principal.accountIdentifier, expiresAt: t + options.ttlMs, snapshot, loaded: null, dropped: false,
    };
    remove(key);
    cache.set(key, entry);
    if (cache.size > maxEntries) remove(cache.keys().next().value!);
    snapshot.then((loaded) => {
      if (epoch !== started) { if (cache.get(key) === entry) remove(key); return; }
      entry.loaded = loaded;
      byPrincipal.set(principal, entry);
    }, () => {
      if (cache.get(key) === entry) remove(key);
    });
    return snapshot;
  }

  async function allowed(principal: Principal, permission: Permission, resource: Resource): Promise<boolean> {
    if (resource.scope.accountIdentifier !== principal.accountIdentifier) return false;
    const type = resource.type ?? PERMISSION_RESOURCE_TYPE[permission];
    if (permission === 'core_user_view' && principal.type === 'USER' && type === 'USER' && resource.identifier === principal.identifier) return true;
    return evaluate(await snapshotOf(principal), permission, {
      scope: resource.scope, type, identifier: resource.identifier ?? null, grantedAbove: resource.grantedAbove,
    }).allowed;
  }

  function remove(key: string) {
    const entry = cache.get(key);
    if (!entry) return;
    entry.dropped = true;
    cache.delete(key);
  }

  function drop(match: (e: Entry) => boolean) {
    for (const [key, entry] of cache) if (match(entry)) remove(key);
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
    isAccountAdmin(principal) {
      return loadedSnapshotOf(principal)?.accountAdmin ?? snapshotOf(principal).then((s) => s.accountAdmin);
    },
    invalidate(event) {
      epoch++;
      if (!event || event.kind === 'all') { drop(() => true); return; }
      if (event.kind === 'token' || event.kind === 'budgets') return;
      const account = event.accountIdentifier;
      // A group's change reaches every member: drop the whole account (groups are few and rare to change).
      if (event.kind === 'account' || event.principalType === 'USER_GROUP') { drop((e) => e.accountIdentifier === account); return; }
      drop((e) => e.accountIdentifier === account && e.principalType === event.principalType && e.principalIdentifier === event.principalIdentifier);
    },
  };
}
