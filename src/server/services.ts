// Assembles the services of one keysmith instance from its configuration and store.
import pino, { type Logger } from 'pino';
import type { Config } from '../config.js';
import { createAuthorizer } from '../auth/authorize.js';
import { createLocalInvalidationBus } from '../auth/invalidation.js';
import { createLoginThrottle } from '../auth/login-throttle.js';
import { createTokenAuthenticator } from '../auth/token-authenticator.js';
import { createApiKeyRateLimiter, createIpRateLimiter } from '../auth/rate-limit.js';
import { createLastUsedRecorder } from '../auth/last-used.js';
import { createRedisInvalidationBus } from '../cluster/invalidation-bus.js';
import { connectRedis } from '../cluster/redis.js';
import { createAccountNames } from '../store/accounts.js';
import type { Store } from '../store/database.js';
import type { Services } from '../services.js';
import { LOG_REDACT_PATHS } from './logging.js';

export interface ServiceOptions {
  logger?: Logger;
  now?: () => number;
}

export const REDIS_NEEDS_POSTGRES = 'REDIS_URL is set but the store is SQLite: several instances need a shared '
  + 'database, so set DATABASE_URL to a PostgreSQL server too (or unset REDIS_URL to run one instance on SQLite)';

export function createLogger(config: Config): Logger {
  return pino({ level: config.logLevel, redact: { paths: LOG_REDACT_PATHS, censor: '[REDACTED]' } });
}

export async function createServices(config: Config, store: Store, options: ServiceOptions = {}): Promise<Services> {
  const closers: (() => Promise<void> | void)[] = [];
  const logger = options.logger ?? createLogger(config);
  const now = options.now ?? Date.now;
  // Several instances (REDIS_URL): shared rate-limit counters and invalidations over pub/sub.
  if (config.redisUrl && store.engine === 'sqlite') throw new Error(REDIS_NEEDS_POSTGRES);
  const redis = config.redisUrl ? await connectRedis({ url: config.redisUrl, prefix: config.redisPrefix, logger }) : null;
  if (redis) closers.push(() => redis.close()); // registered first, so closed last
  const local = createLocalInvalidationBus();
  const invalidation = redis ? createRedisInvalidationBus(local, redis, logger) : local;
  const services: Services = {
    config, store, db: store.db, logger, now,
    invalidation,
    authz: createAuthorizer(store.db, { ttlMs: config.cacheTtlMs, now }),
    accountNames: createAccountNames(store.db),
    tokens: undefined as never,
    rateLimiter: undefined as never,
    ipRateLimiter: createIpRateLimiter(redis?.client ?? null, config.redisPrefix),
    lastUsed: undefined as never,
    loginThrottle: createLoginThrottle(redis?.client ?? null, config.redisPrefix),
    redisStatus: () => (redis ? redis.status() : 'not configured'),
    onClose(fn) { closers.push(fn); },
    async close() {
      for (const fn of closers.reverse()) {
        try { await fn(); } catch (err) { logger.error({ err }, 'error while closing'); }
      }
      closers.length = 0;
    },
  };
  services.tokens = createTokenAuthenticator(services);
  services.rateLimiter = createApiKeyRateLimiter(services, redis?.client ?? null, config.redisPrefix);
  services.lastUsed = createLastUsedRecorder(services);
  invalidation.subscribe((event) => {
    services.tokens.invalidate(event);
    services.rateLimiter.invalidate(event);
    services.authz.invalidate(event);
    if (event.kind === 'all') services.accountNames.clear();
  });
  return services;
}
