// The invalidation bus of several instances: an event is delivered to this process's caches at once
// and relayed over Redis pub/sub; events relayed by other instances are delivered here. The caches'
// short TTL (KEYSMITH_CACHE_TTL_MS) covers what Redis loses while it is away.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { InvalidationBus, InvalidationEvent } from '../services.js';
import type { RedisConnection } from './redis.js';

interface Envelope { from: string; event: InvalidationEvent }

const isString = (v: unknown): v is string => typeof v === 'string';

/** The flag as sent, kept only when it is exactly true: anything else reads as a change of more than permissions. */
const permissionsOnly = (event: Record<string, unknown>): { permissionsOnly?: true } =>
  (event.permissionsOnly === true ? { permissionsOnly: true } : {});

/** The event of a message from the channel, or null when it is not one of ours. */
export function parseInvalidationMessage(raw: string): Envelope | null {
  let parsed: unknown;
  try { parsed = JSON.parse(raw); } catch { return null; }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { from, event } = parsed as { from?: unknown; event?: Record<string, unknown> };
  if (!isString(from) || typeof event !== 'object' || event === null) return null;
  switch (event.kind) {
    case 'all':
      return { from, event: { kind: 'all' } };
    case 'account':
      return isString(event.accountIdentifier)
        ? { from, event: { kind: 'account', accountIdentifier: event.accountIdentifier, ...permissionsOnly(event) } } : null;
    case 'budgets':
      return isString(event.accountIdentifier) ? { from, event: { kind: 'budgets', accountIdentifier: event.accountIdentifier } } : null;
    case 'token':
      return Array.isArray(event.tokenIds) && event.tokenIds.every(isString)
        ? { from, event: { kind: 'token', tokenIds: event.tokenIds } } : null;
    case 'principal':
      return isString(event.accountIdentifier) && isString(event.principalType) && isString(event.principalIdentifier)
        ? {
          from,
          event: {
            kind: 'principal', accountIdentifier: event.accountIdentifier,
            principalType: event.principalType, principalIdentifier: event.principalIdentifier, ...permissionsOnly(event),
          },
        }
        : null;
    default:
      return null;
  }
}

/**
 * Publishes one event from a process that is not an instance (the CLI, after changing the store
 * beside running servers): every instance on the channel applies it as one of its own peers'.
 * Resolves to how many other subscribers received it: the instances that heard it.
 */
export async function publishInvalidation(redis: RedisConnection, event: InvalidationEvent): Promise<number> {
  const message: Envelope = { from: `cli:${randomUUID()}`, event };
  return Math.max(0, (await redis.publish(JSON.stringify(message))) - 1);
}

export function createRedisInvalidationBus(
  local: InvalidationBus & { deliver(event: InvalidationEvent): void },
  redis: RedisConnection,
  logger: Logger,
): InvalidationBus {
  const instanceId = randomUUID();
  // Set when an event could not be relayed: the other instances missed it, so once Redis is back
  // they are told to drop everything.
  let relayFailed = false;

  function relay(event: InvalidationEvent): void {
    const message: Envelope = { from: instanceId, event };
    redis.publish(JSON.stringify(message)).catch((err: Error) => {
      relayFailed = true;
      logger.debug({ err: err.message, kind: event.kind }, 'invalidation not relayed over Redis');
    });
  }

  redis.onMessage((raw) => {
    const message = parseInvalidationMessage(raw);
    if (!message || message.from === instanceId) return; // our own echo was delivered when published
    local.deliver(message.event);
  });

  redis.onRecovered(() => {
    local.deliver({ kind: 'all' });
    if (relayFailed) {
      relayFailed = false;
      relay({ kind: 'all' });
    }
  });

  return {
    publish(event) {
      local.deliver(event);
      relay(event);
    },
    subscribe: (listener) => local.subscribe(listener),
  };
}
