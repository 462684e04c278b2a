// Redis, for several instances acting as one: a connection for commands (rate-limit counters,
// publishing invalidations) and one subscribed to the invalidation channel. It tracks health, so an
// outage is logged once, shows in /readyz, and is followed on recovery by a signal to drop caches.
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { redisTarget } from '../config.js';

export type RedisHealth = 'up' | 'down';

/**
 * A Lua script of one key, defined once on the client as `command`: call it with the key, then its
 * arguments. `Reply`: what the script returns, as ioredis gives it.
 */
export type RedisScript<Reply = number> = (...args: (string | number)[]) => Promise<Reply>;

export function defineScript<Reply = number>(redis: Redis, command: string, lua: string): RedisScript<Reply> {
  if (!(command in redis)) redis.defineCommand(command, { numberOfKeys: 1, lua });
  return (redis as unknown as Record<string, RedisScript<Reply>>)[command]!.bind(redis);
}

export interface RedisConnection {
  /** For commands. No offline queue: while Redis is away a command fails at once instead of waiting. */
  readonly client: Redis;
  /** Prefix of every key keysmith writes, so deployments (or test files) can share one Redis. */
  readonly prefix: string;
  /** The pub/sub channel of cache invalidations. */
  readonly channel: string;
  status(): RedisHealth;
  /** Resolves to how many subscribers received it (this instance's own subscription included). */
  publish(message: string): Promise<number>;
  /** Every message on the channel, this instance's own included. */
  onMessage(listener: (message: string) => void): void;
  /** Each time Redis is back after an outage (channel subscribed again): what was published meanwhile is lost. */
  onRecovered(listener: () => void): void;
  close(): Promise<void>;
}

export interface RedisOptions {
  /** A redis:// or rediss:// URL (its credentials are never logged nor shown). */
  url: string;
  prefix: string;
  logger: Logger;
  /** How long start-up waits for Redis before going on without it (it keeps reconnecting). */
  connectWaitMs?: number;
}

// A command that gets no answer (Redis hung, network partition) fails after this long, and the
// rate limiter falls back to its per-instance limits for that request.
const COMMAND_TIMEOUT_MS = 500;
const MAX_RECONNECT_DELAY_MS = 2_000;
// A Redis that stops answering without closing its connections (hung, or a network partition) is
// found by a PING on each connection every second: two missed in a row drop the connection, so the
// instance goes on without Redis at once instead of waiting COMMAND_TIMEOUT_MS on every request.
const HEARTBEAT_MS = 1_000;
const MISSED_HEARTBEATS = 2;

/**
 * Redis's answers that say keysmith's credentials or rights are wrong (a bad password or user, a
 * password missing, an ACL that denies a command keysmith needs): waiting will not mend them.
 */
const REFUSED = /^(?:WRONGPASS|NOAUTH|NOPERM)\b|^ERR invalid password\b/;

export function isRedisRefusal(err: unknown): boolean {
  return REFUSED.test((err as Error | null)?.message ?? '');
}

/**
 * Connects to Redis. A Redis that cannot be reached is waited for a little (connectWaitMs), then
 * keysmith goes on without it (degraded: limits per instance) and keeps reconnecting. A Redis that
 * answers but refuses keysmith's credentials or commands is a configuration error, which no
 * reconnection mends: the start fails, saying so.
 */
export async function connectRedis(options: RedisOptions): Promise<RedisConnection> {
  const { url, prefix, logger } = options;
  const channel = `${prefix}:invalidation`;
  const common = {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: COMMAND_TIMEOUT_MS,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
  };
  const client = new Redis(url, { ...common, connectionName: `${prefix}:commands` });
  // Subscriptions are renewed by hand on every (re)connection, so recovery is signalled only once
  // the channel is really subscribed again.
  const subscriber = new Redis(url, { ...common, connectionName: `${prefix}:invalidation`, autoResubscribe: false });

  const messageListeners: ((message: string) => void)[] = [];
  const recoveredListeners: (() => void)[] = [];
  let state: 'starting' | 'up' | 'down' = 'starting';
  let subscribed = false;
  let closing = false;
  let lastError: string | null = null;
  let firstUp: (() => void) | null = null;
  let refusedAtStart: ((err: Error) => void) | null = null;

  const healthy = () => client.status === 'ready' && subscribed;

  function evaluate(): void {
    if (closing) return;
    if (healthy()) {
      if (state === 'up') return;
      const recovered = state === 'down';
      state = 'up';
      firstUp?.();
      if (recovered) {
        logger.warn({ redis: 'up' }, 'Redis is reachable again: rate limits are global again; dropping every cache once, since invalidations were missed');
        for (const listener of recoveredListeners) listener();
      } else {
        logger.info({ redis: 'up', prefix }, 'connected to Redis');
      }
    } else if (state === 'up') {
      markDown();
    }
  }

  // Loud, and once per outage: requests go on without Redis, so they must not each log.
  function markDown(): void {
    if (closing || state === 'down') return;
    state = 'down';
    logger.error({ redis: 'down', error: lastError ?? 'the connection was closed' },
      'Redis is unreachable: rate limits are now per instance, and changes made on other instances reach this one '
      + 'only when cached entries expire (KEYSMITH_CACHE_TTL_MS); authentication goes on from the database');
  }

  for (const connection of [client, subscriber]) {
    connection.on('error', (err: Error) => {
      lastError = err.message;
      if (isRedisRefusal(err)) refusedAtStart?.(err);
    });
    connection.on('close', () => {
      if (connection === subscriber) subscribed = false;
      evaluate();
    });
    connection.on('end', evaluate);
  }
  client.on('ready', evaluate);
  subscriber.on('ready', () => {
    subscriber.subscribe(channel).then(() => { subscribed = true; evaluate(); }, (err: Error) => {
      lastError = err.message;
      if (isRedisRefusal(err)) refusedAtStart?.(err); // an ACL without SUBSCRIBE, or this channel
      subscriber.disconnect(true); // try again with a fresh connection
    });
  });
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    for (const listener of messageListeners) listener(message);
  });

  const missed = new Map<Redis, number>([[client, 0], [subscriber, 0]]);
  const heartbeat = setInterval(() => {
    for (const connection of [client, subscriber]) {
      if (connection.status !== 'ready') continue;
      connection.ping().then(() => { missed.set(connection, 0); }, () => {
        const count = (missed.get(connection) ?? 0) + 1;
        missed.set(connection, count);
        if (count >= MISSED_HEARTBEATS && !closing) {
          missed.set(connection, 0);
          lastError = 'Redis stopped answering';
          connection.disconnect(true); // counts as an outage until a fresh connection is ready
        }
      });
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  // Start-up waits a little for Redis, then goes on without it (reconnection goes on in the background).
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, options.connectWaitMs ?? 3_000);
      firstUp = () => { clearTimeout(timer); resolve(); };
      refusedAtStart = (err) => { clearTimeout(timer); reject(err); };
      client.connect().catch(() => {});
      subscriber.connect().catch(() => {});
    });
  } catch (err) {
    closing = true;
    clearInterval(heartbeat);
    client.disconnect();
    subscriber.disconnect();
    throw new Error(`Redis at ${redisTarget(url)} (REDIS_URL) refused keysmith: ${(err as Error).message} `
      + '— check the user name and password in REDIS_URL, and that its ACL allows keysmith\'s commands and keys');
  } finally {
    firstUp = null;
    refusedAtStart = null;
  }
  if (!healthy()) markDown();

  return {
    client, prefix, channel,
    status: () => (state === 'up' && healthy() ? 'up' : 'down'),
    publish: (message) => client.publish(channel, message),
    onMessage(listener) { messageListeners.push(listener); },
    onRecovered(listener) { recoveredListeners.push(listener); },
    async close() {
      closing = true;
      clearInterval(heartbeat);
      await Promise.all([client, subscriber].map(async (connection) => {
        try {
          if (connection.status === 'ready') await connection.quit();
          else connection.disconnect();
        } catch {
          connection.disconnect();
        }
      }));
    },
  };
}
