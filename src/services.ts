// The services a route may use, built once per server and injected: routes never reach for globals.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Authorizer } from './auth/authorize.js';
import type { Principal } from './auth/principal.js';
import type { LoginAttempt } from './auth/login-throttle.js';
import type { AccountNames } from './store/accounts.js';
import type { Store } from './store/database.js';
import type { Database } from './store/schema.js';

/** Verifies a raw token value; resolves to its owner or throws 401 INVALID_TOKEN / EXPIRED_TOKEN. */
export interface TokenAuthenticator {
  /**
   * The token's owner, or the 401 it deserves. `inAccount`: the account the request names (its
   * `accountIdentifier`, absent or '' for none); a token never acts in another one (SPEC §2).
   */
  authenticate(rawToken: string, now: number, inAccount?: unknown): Promise<Principal>;
  /**
   * The hot path: the owner of a token already verified and cached, without a promise or a store
   * query; null when that cannot be decided from the cache alone (then `authenticate` decides).
   */
  authenticateCached(rawToken: string, now: number, inAccount?: unknown): Principal | null;
  /** Forget cached verification results (after a revoke, delete, rotate, owner change). */
  invalidate(event: InvalidationEvent): void;
}

/** Per-API-key budgets (SPEC §5): null when the request may go on, else seconds to wait and the Q. */
export interface ApiKeyRateLimiter {
  consume(principal: Principal): Promise<{ retryAfterSeconds: number; qps: number } | null>;
  /**
   * The hot path: `consume`'s answer when it can be given at once (budget cached, counters in
   * memory), or undefined — nothing counted — when `consume` must be awaited.
   */
  consumeCached(principal: Principal, now: number): { retryAfterSeconds: number; qps: number } | null | undefined;
  /** Forget cached budgets: `budgets` and `account` of an account, and `all`. */
  invalidate(event: InvalidationEvent): void;
}

/** Per-IP budget of the credential-free token endpoints (validate, revoke): seconds to wait, or null. */
export interface IpRateLimiter {
  /**
   * Counts one call of `endpoint` from `ip`: null when it fits, else the seconds to wait. Each
   * endpoint has its own budget, so that validating cannot use up an address's revocations.
   */
  consume(endpoint: 'validate' | 'revoke', ip: string): Promise<number | null>;
}

/** Records that a token was used; written in batches off the request path. */
export interface LastUsedRecorder {
  touch(tokenId: string, at: number): void;
  flush(): Promise<void>;
}

/**
 * What changed, for the caches to drop. `permissionsOnly` marks a change to what principals may do
 * and nothing else (a role assignment, a creator's grant, a user group, a role, a resource group):
 * permission snapshots go, verified tokens and rate-limit budgets stay. An instance that does not
 * know the flag (an older version in the same cluster) reads the event without it and drops more.
 */
export type InvalidationEvent =
  | { kind: 'token'; tokenIds: string[] }
  | { kind: 'principal'; accountIdentifier: string; principalType: string; principalIdentifier: string; permissionsOnly?: true }
  | { kind: 'account'; accountIdentifier: string; permissionsOnly?: true }
  /** Only the account's rate-limit budgets changed (a key's rateLimitQps, the account's settings). */
  | { kind: 'budgets'; accountIdentifier: string }
  | { kind: 'all' };

/** Fans invalidations out to this process's caches and, with Redis, to every other instance. */
export interface InvalidationBus {
  publish(event: InvalidationEvent): void;
  subscribe(listener: (event: InvalidationEvent) => void): void;
}

export interface Services {
  config: Config;
  store: Store;
  db: Kysely<Database>;
  logger: Logger;
  authz: Authorizer;
  /** Cached account names (accounts are never renamed). */
  accountNames: AccountNames;
  tokens: TokenAuthenticator;
  rateLimiter: ApiKeyRateLimiter;
  ipRateLimiter: IpRateLimiter;
  lastUsed: LastUsedRecorder;
  invalidation: InvalidationBus;
  /** Login throttling (SPEC §5): an attempt counted as failed until its `succeeded`, or the seconds to wait. */
  loginThrottle: {
    reserve(email: string, ip: string): Promise<LoginAttempt>;
  };
  now(): number;
  /** For /readyz: Redis's state when REDIS_URL is set. */
  redisStatus(): 'up' | 'down' | 'not configured';
  /** Things to stop on shutdown, last registered first. */
  onClose(fn: () => Promise<void> | void): void;
  close(): Promise<void>;
}
