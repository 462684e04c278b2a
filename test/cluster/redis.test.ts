// Redis mode's plumbing: SQLite refused with Redis, invalidations relayed between instances (own
// echo ignored), login throttling shared, and an outage — logged once, shown in /readyz, requests
// still answered — followed by a recovery that drops every cache.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { parseInvalidationMessage } from '../../src/cluster/invalidation-bus.js';
import { createServices, REDIS_NEEDS_POSTGRES } from '../../src/server/services.js';
import { startServer } from '../../src/server/start.js';
import type { InvalidationEvent } from '../../src/services.js';
import { openStore } from '../../src/store/database.js';
import { REDIS_URL } from '../helpers/harness.js';
import { describeWithPostgresAndRedis, msUntil, startCluster, type Cluster, type Instance } from './instances.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

describe('Redis needs PostgreSQL', () => {
  it('refuses to start on SQLite with REDIS_URL, before touching the data directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keysmith-redis-sqlite-'));
    try {
      const config = loadConfig({ KEYSMITH_DATA_DIR: dir, REDIS_URL: 'redis://127.0.0.1:1', KEYSMITH_PORT: '0', KEYSMITH_HOST: '127.0.0.1' });
      await expect(startServer(config)).rejects.toThrow(REDIS_NEEDS_POSTGRES);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a SQLite store with REDIS_URL when assembling services', async () => {
    const store = await openStore({ sqlitePath: ':memory:' });
    try {
      const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:1' });
      await expect(createServices(config, store)).rejects.toThrow(/REDIS_URL is set but the store is SQLite/);
    } finally {
      await store.close();
    }
  });

  it('rejects a malformed KEYSMITH_REDIS_PREFIX', () => {
    expect(() => loadConfig({ KEYSMITH_REDIS_PREFIX: 'has space' })).toThrow(/KEYSMITH_REDIS_PREFIX/);
    expect(loadConfig({}).redisPrefix).toBe('keysmith');
  });
});

describe('invalidation messages', () => {
  it('reads permissionsOnly only when it is exactly true (anything else drops more, never less), and only where it means something', () => {
    const parse = (event: Record<string, unknown>) => parseInvalidationMessage(JSON.stringify({ from: 'x', event }))?.event;
    for (const flag of ['true', 1, 'yes', null, false, {}]) {
      expect(parse({ kind: 'account', accountIdentifier: 'acc', permissionsOnly: flag })).toEqual({ kind: 'account', accountIdentifier: 'acc' });
    }
    expect(parse({ kind: 'budgets', accountIdentifier: 'acc', permissionsOnly: true })).toEqual({ kind: 'budgets', accountIdentifier: 'acc' });
    expect(parse({ kind: 'token', tokenIds: ['t'], permissionsOnly: true })).toEqual({ kind: 'token', tokenIds: ['t'] });
    expect(parse({ kind: 'all', permissionsOnly: true })).toEqual({ kind: 'all' });
  });

  it('accepts the five event kinds and nothing else', () => {
    const events: InvalidationEvent[] = [
      { kind: 'all' },
      { kind: 'account', accountIdentifier: 'acc' },
      { kind: 'budgets', accountIdentifier: 'acc' },
      { kind: 'token', tokenIds: ['a', 'b'] },
      { kind: 'principal', accountIdentifier: 'acc', principalType: 'USER', principalIdentifier: 'u' },
      { kind: 'account', accountIdentifier: 'acc', permissionsOnly: true },
      { kind: 'principal', accountIdentifier: 'acc', principalType: 'USER_GROUP', principalIdentifier: 'g', permissionsOnly: true },
    ];
    for (const event of events) {
      expect(parseInvalidationMessage(JSON.stringify({ from: 'x', event }))).toEqual({ from: 'x', event });
    }
    for (const bad of ['', 'null', '{}', '[]', '{"from":1,"event":{"kind":"all"}}', '{"from":"x","event":{"kind":"nope"}}',
      '{"from":"x","event":{"kind":"token","tokenIds":[1]}}', '{"from":"x","event":{"kind":"account"}}', '{"from":"x","event":{"kind":"budgets","accountIdentifier":5}}',
      '{"from":"x","event":{"kind":"principal","accountIdentifier":"a","principalType":"USER"}}']) {
      expect(parseInvalidationMessage(bad)).toBeNull();
    }
  });
});

function recordEvents(instance: Instance): InvalidationEvent[] {
  const seen: InvalidationEvent[] = [];
  instance.services.invalidation.subscribe((event) => { seen.push(event); });
  return seen;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithPostgresAndRedis('Redis mode', () => {
  let cluster: Cluster;
  let a: Instance;
  let b: Instance;
  beforeAll(async () => {
    cluster = await startCluster(2);
    [a, b] = cluster.instances;
  });
  afterAll(async () => { await cluster?.close(); });

  it('reports Redis up in /readyz', async () => {
    const res = await a.anonymous.get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ready: true, store: 'up', redis: 'up' });
  });

  it('delivers an event published on one instance to the other, and once to itself', async () => {
    const onA = recordEvents(a);
    const onB = recordEvents(b);
    const event: InvalidationEvent = { kind: 'token', tokenIds: ['0123456789abcdef01234567'] };
    a.services.invalidation.publish(event);
    expect(onA).toEqual([event]); // delivered locally at once
    expect(await msUntil(async () => onB.length > 0, 2_000)).not.toBeNull();
    await sleep(100); // an echo, if any, would have come back by now
    expect(onA).toEqual([event]);
    expect(onB).toEqual([event]);
  });

  it('ignores messages of another prefix and malformed ones', async () => {
    const onB = recordEvents(b);
    const raw = new Redis(REDIS_URL!);
    try {
      await raw.publish(`${cluster.prefix}:invalidation`, 'not json');
      await raw.publish(`${cluster.prefix}:invalidation`, JSON.stringify({ from: 'x', event: { kind: 'bogus' } }));
      await raw.publish(`other-${cluster.prefix}:invalidation`, JSON.stringify({ from: 'x', event: { kind: 'all' } }));
      await raw.publish(`${cluster.prefix}:invalidation`, JSON.stringify({ from: 'x', event: { kind: 'account', accountIdentifier: 'z' } }));
      expect(await msUntil(async () => onB.length > 0, 2_000)).not.toBeNull();
      await sleep(100);
      expect(onB).toEqual([{ kind: 'account', accountIdentifier: 'z' }]);
    } finally {
      raw.disconnect();
    }
  });

  it('shares login throttling: 10 failures spread over two instances block the email on both', async () => {
    const email = `victim-${Date.now()}@example.com`;
    for (let i = 0; i < 10; i++) {
      const res = await (i % 2 ? a : b).anonymous.post('/api/auth/login', { email, password: 'wrong-password' });
      expect(res.status).toBe(401);
    }
    for (const instance of [a, b]) {
      const res = await instance.anonymous.post('/api/auth/login', { email, password: 'wrong-password' });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
  });

  describe('when Redis goes away', () => {
    let proxy: TcpProxy;
    let c: Instance;
    beforeAll(async () => {
      proxy = await startTcpProxy(REDIS_URL!);
      c = await cluster.addInstance('C', { REDIS_URL: proxy.url });
    });
    afterAll(async () => { await proxy?.close(); });

    it('keeps answering, limits per instance, says so once in the log and in /readyz, and recovers', async () => {
      expect(c.services.redisStatus()).toBe('up');
      const onC = recordEvents(c);
      const onA = recordEvents(a);

      await proxy.cut();
      expect(await msUntil(async () => c.services.redisStatus() === 'down', 5_000)).not.toBeNull();

      const ready = await c.anonymous.get('/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({ ready: true, store: 'up', redis: 'down' });

      // Requests are still answered (login throttling falls back to this instance's counters),
      // and an invalidation published meanwhile still reaches this instance's caches.
      for (let i = 0; i < 3; i++) {
        const res = await c.anonymous.post('/api/auth/login', { email: cluster.adminEmail, password: 'wrong-password' });
        expect(res.status).toBe(401);
      }
      c.services.invalidation.publish({ kind: 'account', accountIdentifier: 'during-outage' });
      expect(onC).toEqual([{ kind: 'account', accountIdentifier: 'during-outage' }]);
      const login = await c.anonymous.post('/api/auth/login', { email: cluster.adminEmail, password: cluster.adminPassword });
      expect(login.status).toBe(200);

      // Tokens authenticate from PostgreSQL, and the key's budget is counted by this instance alone.
      const created = await c.admin.post('/ng/api/token', {
        identifier: 'outage_token', name: 'outage_token', apiKeyIdentifier: 'outage_key', parentIdentifier: cluster.adminId,
        apiKeyType: 'USER', accountIdentifier: cluster.accountId,
      }, { accountIdentifier: cluster.accountId });
      expect(created.status, created.text).toBe(200);
      const burst = await Promise.all(Array.from({ length: 5 }, () => c.tokenClient(created.body.data).get('/ng/api/user/currentUser')));
      const accepted = burst.filter((r) => r.status === 200).length;
      expect(burst.every((r) => r.status === 200 || r.status === 429)).toBe(true);
      expect(accepted).toBeGreaterThanOrEqual(1);
      expect(accepted).toBeLessThanOrEqual(2); // 1 request/s; a burst may straddle two windows

      await sleep(500); // reconnection attempts fail meanwhile: still one line in the log
      const outageLines = () => c.logs.filter((l) => l.includes('Redis is unreachable'));
      expect(outageLines()).toHaveLength(1);
      expect(JSON.parse(outageLines()[0]).level).toBe(50); // error
      // With what went wrong, even when the connection was only closed (no error event before it).
      expect(JSON.parse(outageLines()[0]).error).toEqual(expect.any(String));

      await proxy.restore();
      expect(await msUntil(async () => c.services.redisStatus() === 'up', 10_000)).not.toBeNull();
      // Back: this instance dropped every cache once; the others, who missed what it published
      // during the outage, are told to drop theirs.
      expect(onC).toContainEqual({ kind: 'all' });
      expect(await msUntil(async () => onA.some((e) => e.kind === 'all'), 2_000)).not.toBeNull();
      expect(c.logs.some((l) => l.includes('Redis is reachable again'))).toBe(true);
      expect(outageLines()).toHaveLength(1);
      // The key's budget is counted in Redis again, which the log says once; a later outage is said again.
      const limiterLines = (text: string) => c.logs.filter((l) => l.includes(text)).length;
      expect(limiterLines('rate limit: Redis unavailable, counting per instance')).toBe(1);
      await sleep(1_000);
      expect((await c.tokenClient(created.body.data).get('/ng/api/user/currentUser')).status).toBe(200);
      expect(limiterLines('rate limit: Redis is back, counting across instances again')).toBe(1);

      // And relaying works again, both ways.
      const onCAfter = recordEvents(c);
      a.services.invalidation.publish({ kind: 'account', accountIdentifier: 'after' });
      expect(await msUntil(async () => onCAfter.length > 0, 2_000)).not.toBeNull();
      expect(onCAfter).toEqual([{ kind: 'account', accountIdentifier: 'after' }]);
      expect((await c.anonymous.get('/readyz')).body.redis).toBe('up');
    });

    it('notices a Redis that stops answering without closing connections, and recovers from it', async () => {
      expect(c.services.redisStatus()).toBe('up');
      const outages = () => c.logs.filter((l) => l.includes('Redis is unreachable')).length;
      const before = outages();
      proxy.freeze();
      // Found by the heartbeat (two missed PINGs a second apart), not by a request timing out.
      expect(await msUntil(async () => c.services.redisStatus() === 'down', 10_000, 50)).not.toBeNull();
      expect(outages()).toBe(before + 1);
      const login = await c.anonymous.post('/api/auth/login', { email: cluster.adminEmail, password: cluster.adminPassword });
      expect(login.status).toBe(200);

      await proxy.restore();
      expect(await msUntil(async () => c.services.redisStatus() === 'up', 10_000, 50)).not.toBeNull();
      const onC = recordEvents(c);
      a.services.invalidation.publish({ kind: 'account', accountIdentifier: 'after-freeze' });
      expect(await msUntil(async () => onC.length > 0, 2_000)).not.toBeNull();
      expect(onC).toEqual([{ kind: 'account', accountIdentifier: 'after-freeze' }]);
    });

    it('does not flap while Redis is healthy', async () => {
      const lines = () => c.logs.filter((l) => l.includes('Redis is unreachable')).length;
      const before = lines();
      await sleep(3_500); // three heartbeats
      expect(c.services.redisStatus()).toBe('up');
      expect(lines()).toBe(before);
    });
  });
});
