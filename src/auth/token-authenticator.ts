// Token authentication, the hot path: parse → cache → constant-time secret compare → validity
// window → owner → principal. Verified tokens live in a bounded LRU (with their owner resolved), unknown
// ids in a bounded negative cache; both expire after KEYSMITH_CACHE_TTL_MS and are dropped by
// invalidation events, so a revoke, delete, rotation or owner change takes effect at once.
import { hash, randomBytes } from 'node:crypto';
import { expiredToken, invalidToken } from '../domain/errors.js';
import { parseToken, prefixOf, splitToken, type ParsedToken, type TokenPrefix } from '../domain/token-format.js';
import type { InvalidationEvent, Services, TokenAuthenticator } from '../services.js';
import { findTokenCredential, type TokenCredential } from '../store/tokens.js';
import { onlyPermissions } from './invalidation.js';
import { LruCache } from './lru-cache.js';
import { sipHash24, sipKey } from './siphash.js';
import type { ApiKeyType, Principal } from './principal.js';

/** A token as verified against the store, with its owner already resolved. */
interface VerifiedToken {
  /** SHA-256 of the secret, as 32 latin1 ('binary') characters (see `digestOf`). */
  secretDigest: string;
  /**
   * Whether `tagLow`/`tagHigh` hold the SipHash-2-4 of the secret under the authenticator's key:
   * false until a presented secret has matched `secretDigest`, then what later ones are compared
   * with (`secretMatches`). Kept as two int32 numbers, which V8 stores in the entry itself (a
   * Uint32Array would add about 200 bytes to each cached token).
   */
  tagged: boolean;
  tagLow: number;
  tagHigh: number;
  prefix: TokenPrefix;
  accountIdentifier: string;
  validFrom: number;
  expiresAt: number;
  ownerType: 'USER' | 'SERVICE_ACCOUNT';
  ownerIdentifier: string;
  /** null when the owner no longer exists or is disabled: the token is refused. */
  principal: Principal | null;
}

/**
 * SHA-256 of a presented secret as a latin1 string: Node's one-shot hash gives that form at a
 * quarter of the cost of a Buffer (no allocation behind it), on a path every request takes.
 */
const digestOf = (secret: string) => hash('sha256', secret, 'binary'); // 'binary' is latin1

/** Two digests compared in a time that does not depend on where they differ. */
function sameDigest(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Another account named: INVALID_TOKEN, before anything else is said of the token (its expiry
 * included) — the account its value names is the one it authenticates in, or it does not.
 */
const namesOtherAccount = (parsed: ParsedToken, inAccount: unknown) =>
  inAccount !== undefined && inAccount !== '' && inAccount !== parsed.accountIdentifier;

export interface TokenAuthenticatorStats { cached: number; negative: number }

export function createTokenAuthenticator(services: Services): TokenAuthenticator & { stats(): TokenAuthenticatorStats } {
  const { config } = services;
  const verified = new LruCache<string, VerifiedToken>(config.tokenCacheSize, config.cacheTtlMs);
  const unknown = new LruCache<string, true>(config.negativeCacheSize, config.cacheTtlMs);
  const loading = new Map<string, Promise<VerifiedToken | null>>();
  // The key of the secrets' SipHash tags: drawn here, never written anywhere.
  const tagKey = sipKey(randomBytes(16));
  const presentedTag = new Uint32Array(2);
  // Bumped by every invalidation: a load that started before one answers the requests that were
  // already waiting for it, but is neither cached nor joined by a request that comes after.
  let generation = 0;

  // Kept in up to KEYSMITH_TOKEN_CACHE_SIZE entries: a principal reuses the entry's strings (the
  // token id, which is also the cache key, and the owner id) and literal types, not copies of its own.
  async function ownerPrincipal(cred: TokenCredential, apiKeyType: ApiKeyType): Promise<Principal | null> {
    const token = { tokenId: cred.tokenId, apiKeyId: cred.apiKeyId, apiKeyIdentifier: cred.apiKeyIdentifier, apiKeyType };
    const account = cred.scope.accountIdentifier;
    if (apiKeyType === 'USER') {
      const user = await services.db.selectFrom('users').select(['email', 'name', 'disabled'])
        .where('id', '=', cred.parentIdentifier).where('account_id', '=', account).executeTakeFirst();
      if (!user || user.disabled) return null;
      return Object.freeze({
        type: 'USER', identifier: cred.parentIdentifier, accountIdentifier: account, email: user.email, name: user.name,
        via: 'token', token: Object.freeze(token), sessionIdHash: null,
      } as const);
    }
    const sa = await services.db.selectFrom('service_accounts').select(['email', 'name'])
      .where('account_id', '=', account).where('org_identifier', '=', cred.scope.orgIdentifier ?? '')
      .where('project_identifier', '=', cred.scope.projectIdentifier ?? '')
      .where('identifier', '=', cred.parentIdentifier).executeTakeFirst();
    if (!sa) return null;
    return Object.freeze({
      type: 'SERVICE_ACCOUNT', identifier: cred.parentIdentifier, accountIdentifier: account, scope: Object.freeze({ ...cred.scope }),
      email: sa.email, name: sa.name, via: 'token', token: Object.freeze(token), sessionIdHash: null,
    } as const);
  }

  async function load(tokenId: string, now: number): Promise<VerifiedToken | null> {
    const startedAt = generation;
    const cred = await findTokenCredential(services.db, tokenId);
    if (!cred) {
      if (startedAt === generation) unknown.set(tokenId, true, now);
      return null;
    }
    const ownerType: ApiKeyType = cred.apiKeyType === 'USER' ? 'USER' : 'SERVICE_ACCOUNT';
    const entry: VerifiedToken = {
      secretDigest: Buffer.from(cred.secretHash, 'hex').toString('binary'),
      tagged: false,
      tagLow: 0,
      tagHigh: 0,
      prefix: prefixOf(ownerType),
      accountIdentifier: cred.scope.accountIdentifier,
      validFrom: cred.validFrom,
      expiresAt: cred.scheduledExpireTime ?? cred.validTo,
      ownerType,
      ownerIdentifier: cred.parentIdentifier,
      principal: await ownerPrincipal(cred, ownerType),
    };
    // Keyed by the stored id, not the presented one: that is a slice of the raw header value and
    // would keep the whole token value, secret included, alive for as long as the entry.
    if (startedAt === generation) verified.set(cred.tokenId, entry, now);
    return entry;
  }

  function lookup(tokenId: string, now: number): Promise<VerifiedToken | null> {
    // Concurrent requests with one uncached token share a single load.
    let pending = loading.get(tokenId);
    if (!pending) {
      const started: Promise<VerifiedToken | null> = load(tokenId, now).finally(() => {
        if (loading.get(tokenId) === started) loading.delete(tokenId);
      });
      loading.set(tokenId, pending = started);
    }
    return pending;
  }

  /**
   * Whether a presented secret is the entry's. The first to match the stored SHA-256 leaves its
   * SipHash on the entry, and later ones are compared by theirs, at a sixth of the cost (siphash.ts).
   * A secret with a character beyond U+00FF is never the entry's: stored secrets are alphanumeric.
   */
  function secretMatches(entry: VerifiedToken, secret: string): boolean {
    if (entry.tagged) {
      const latin1 = sipHash24(tagKey, secret, presentedTag);
      return latin1 && ((presentedTag[0]! ^ entry.tagLow) | (presentedTag[1]! ^ entry.tagHigh)) === 0;
    }
    if (!sameDigest(digestOf(secret), entry.secretDigest)) return false;
    if (sipHash24(tagKey, secret, presentedTag)) {
      entry.tagLow = presentedTag[0]! | 0;
      entry.tagHigh = presentedTag[1]! | 0;
      entry.tagged = true;
    }
    return true;
  }

  /** The principal of a verified entry, or the 401 the presented token deserves. */
  function admit(entry: VerifiedToken, parsed: ParsedToken, now: number): Principal {
    if (!secretMatches(entry, parsed.secret)) throw invalidToken();
    if (parsed.prefix !== entry.prefix || parsed.accountIdentifier !== entry.accountIdentifier) throw invalidToken();
    if (now < entry.validFrom) throw invalidToken();
    if (now >= entry.expiresAt) throw expiredToken();
    if (!entry.principal) throw invalidToken();
    return entry.principal;
  }

  return {
    async authenticate(raw, now, inAccount) {
      const parsed = parseToken(raw);
      if (!parsed || namesOtherAccount(parsed, inAccount)) throw invalidToken();
      if (unknown.has(parsed.tokenId, now)) throw invalidToken();
      const entry = verified.get(parsed.tokenId, now) ?? await lookup(parsed.tokenId, now);
      if (!entry) throw invalidToken();
      return admit(entry, parsed, now);
    },

    authenticateCached(raw, now, inAccount) {
      // The shape alone: a cached entry is found by its exact id, and admit() compares the account,
      // the prefix and the secret's digest with the entry's, so only a valid value gets through.
      const parsed = splitToken(raw);
      if (!parsed || namesOtherAccount(parsed, inAccount)) return null;
      const entry = verified.get(parsed.tokenId, now);
      if (!entry) return null;
      try {
        return admit(entry, parsed, now);
      } catch {
        return null; // refused: `authenticate` says why
      }
    },

    invalidate(event: InvalidationEvent) {
      if (event.kind === 'budgets' || onlyPermissions(event)) return; // nothing verified depends on them
      generation++;
      // Loads already running may have read what the event changes: later requests start their own.
      if (event.kind === 'token') for (const id of event.tokenIds) loading.delete(id);
      else loading.clear();
      switch (event.kind) {
        case 'token':
          for (const id of event.tokenIds) { verified.delete(id); unknown.delete(id); }
          break;
        case 'principal':
          verified.deleteWhere((e) => e.accountIdentifier === event.accountIdentifier
            && e.ownerType === event.principalType && e.ownerIdentifier === event.principalIdentifier);
          break;
        case 'account':
          verified.deleteWhere((e) => e.accountIdentifier === event.accountIdentifier);
          break;
        case 'all':
          verified.clear();
          unknown.clear();
          break;
      }
    },

    stats: () => ({ cached: verified.size, negative: unknown.size }),
  };
}
