// Assembles the services of one keysmith instance from its configuration and store.
import pino, { type Logger } from 'pino';
import type { Config } from '../config.js';
import { createAdminOnlyAuthorizer } from '../auth/authorize.js';
import { createLocalInvalidationBus } from '../auth/invalidation.js';
import { createLoginThrottle } from '../auth/login-throttle.js';
import { createTokenAuthenticator } from '../auth/token-authenticator.js';
import { createApiKeyRateLimiter } from '../auth/rate-limit.js';
import { createLastUsedRecorder } from '../auth/last-used.js';
import type { Store } from '../store/database.js';
import type { Services } from '../services.js';
import { LOG_REDACT_PATHS } from './logging.js';

export interface ServiceOptions {
  logger?: Logger;
  now?: () => number;
}

export function createLogger(config: Config): Logger {
  return pino({ level: config.logLevel, redact: { paths: LOG_REDACT_PATHS, censor: '[REDACTED]' } });
}

export async function createServices(config: Config, store: Store, options: ServiceOptions = {}): Promise<Services> {
  const closers: (() => Promise<void> | void)[] = [];
  const logger = options.logger ?? createLogger(config);
  const now = options.now ?? Date.now;
  const invalidation = createLocalInvalidationBus();
  const services: Services = {
    config, store, db: store.db, logger, now,
    invalidation,
    authz: createAdminOnlyAuthorizer(store.db),
    tokens: undefined as never,
    rateLimiter: undefined as never,
    lastUsed: undefined as never,
    loginThrottle: createLoginThrottle(null),
    redisStatus: () => 'not configured',
    onClose(fn) { closers.push(fn); },
    async close() {
      for (const fn of closers.reverse()) {
        try { await fn(); } catch (err) { logger.error({ err }, 'error while closing'); }
      }
      closers.length = 0;
    },
  };
  services.tokens = createTokenAuthenticator(services);
  services.rateLimiter = createApiKeyRateLimiter(services);
  services.lastUsed = createLastUsedRecorder(services);
  invalidation.subscribe((event) => {
    services.tokens.invalidate(event);
    services.authz.invalidate(event.kind === 'all' ? undefined : 'accountIdentifier' in event ? event.accountIdentifier : undefined);
  });
  return services;
}
