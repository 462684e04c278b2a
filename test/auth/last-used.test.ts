// lastUsedAt (SPEC §4): noted in memory on each authenticated request, written in batches by a
// timer and on shutdown, never backwards, shown in TokenAggregate.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, vi } from 'vitest';
import { migrate, openSqlite, withStatementCache } from '../../src/store/database.js';
import type { Database } from '../../src/store/schema.js';
import { findApiKey } from '../../src/store/api-keys.js';
import { recordTokensLastUsed, seedTokens } from '../../src/store/tokens.js';
import { makeScope } from '../../src/domain/scope.js';
import { createHarness, describeEachEngine, engines, it } from '../helpers/harness.js';
import { createApiKey, createToken, readTokens, userOwner, whoAmI } from '../helpers/api-keys.js';

let clock = Date.now();
const now = () => clock;

describeEachEngine('token last used', (h) => {
  it('is written by flush(), off the request path, and shown in the aggregate', async () => {
    const user = await h().createUser();
    const token = await createToken(h(), user.client, userOwner(user.id), 'k', 't');
    const usedAt = clock;
    expect((await whoAmI(h(), token)).status).toBe(200);
    // The request itself wrote nothing.
    expect((await readTokens(h(), user.client, userOwner(user.id), 'k'))[0].lastUsedAt).toBeNull();
    await h().services.lastUsed.flush();
    expect((await readTokens(h(), user.client, userOwner(user.id), 'k'))[0].lastUsedAt).toBe(usedAt);
    clock += 5_000;
    expect((await whoAmI(h(), token)).status).toBe(200);
    await h().services.lastUsed.flush();
    expect((await readTokens(h(), user.client, userOwner(user.id), 'k'))[0].lastUsedAt).toBe(usedAt + 5_000);
  });

  it('never moves backwards, and writes large batches in chunks', async () => {
    const user = await h().createUser();
    await createApiKey(h(), user.client, userOwner(user.id), 'bulk');
    const key = (await findApiKey(h().store.db, { scope: makeScope(h().accountId), apiKeyType: 'USER', parentIdentifier: user.id, identifier: 'bulk' }))!;
    const values = await seedTokens(h().store.db, key, 600, { now: clock });
    const ids = values.map((v) => v.split('.')[2]);
    await recordTokensLastUsed(h().store.db, ids.map((id, i) => [id, 1_000_000 + i]));
    await recordTokensLastUsed(h().store.db, ids.map((id) => [id, 5]));
    const rows = await h().store.db.selectFrom('tokens').select(['id', 'last_used_at']).where('api_key_id', '=', key.id).execute();
    const byId = new Map(rows.map((r) => [r.id, Number(r.last_used_at)]));
    expect(rows).toHaveLength(600);
    ids.forEach((id, i) => expect(byId.get(id)).toBe(1_000_000 + i));
  });
}, { env: { KEYSMITH_API_KEY_QPS: '1000', KEYSMITH_LAST_USED_FLUSH_MS: '3600000' }, now });

describe('token last used: timer and shutdown', () => {
  for (const engine of engines()) {
    it(`[${engine}] the timer flushes on its own, and shutdown flushes what is pending`, async () => {
      const h = await createHarness(engine, { env: { KEYSMITH_LAST_USED_FLUSH_MS: '50' } });
      try {
        const user = await h.createUser();
        const token = await createToken(h, user.client, userOwner(user.id), 'k', 't');
        expect((await whoAmI(h, token)).status).toBe(200);
        await vi.waitFor(async () => {
          expect((await readTokens(h, user.client, userOwner(user.id), 'k'))[0].lastUsedAt).not.toBeNull();
        }, { timeout: 10_000, interval: 50 });
      } finally {
        await h.close();
      }

      const slow = await createHarness(engine, { env: { KEYSMITH_LAST_USED_FLUSH_MS: '3600000' } });
      let closed = false;
      try {
        const user = await slow.createUser();
        const token = await createToken(slow, user.client, userOwner(user.id), 'k', 't');
        expect((await whoAmI(slow, token)).status).toBe(200);
        await slow.app.close();
        await slow.services.close();
        const row = await slow.store.db.selectFrom('tokens').select('last_used_at').where('id', '=', token.split('.')[2]).executeTakeFirstOrThrow();
        expect(row.last_used_at).not.toBeNull();
        closed = true;
      } finally {
        await slow.close().catch((err) => { if (!closed) throw err; });
      }
    });
  }
});

describe('token last used on SQLite', () => {
  it('is written without waiting for the disk (the event loop would wait for it), and every later write waits again, even after a failed one', async () => {
    const sqlite = openSqlite(join(mkdtempSync(join(tmpdir(), 'keysmith-last-used-')), 'keysmith.db'));
    // As the store runs it (prepared statements cached by their text), with the level SQLite has
    // when the update itself runs: a pragma takes effect when it runs, not when it is prepared.
    const cached = withStatementCache(sqlite);
    const levelsAtUpdate: unknown[] = [];
    const database: typeof cached = {
      prepare(text) {
        const statement = cached.prepare(text);
        if (!text.trim().startsWith('update tokens')) return statement;
        return new Proxy(statement, {
          get(target, key) {
            if (key === 'run' || key === 'all') levelsAtUpdate.push(sqlite.pragma('synchronous', { simple: true }));
            const value = Reflect.get(target, key) as unknown;
            return typeof value === 'function' ? value.bind(target) : value;
          },
        });
      },
      close: () => cached.close(),
    };
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
    try {
      await migrate(db);
      for (const at of [1, 2, 3]) {
        await recordTokensLastUsed(db, [['a'.repeat(24), at]]);
        expect(sqlite.pragma('synchronous', { simple: true })).toBe(2); // FULL
      }
      expect(levelsAtUpdate).toEqual([1, 1, 1]); // NORMAL, each time
      sqlite.exec('alter table tokens rename to tokens_elsewhere');
      await expect(recordTokensLastUsed(db, [['a'.repeat(24), 4]])).rejects.toThrow(/no such table/);
      expect(sqlite.pragma('synchronous', { simple: true })).toBe(2);
    } finally {
      await db.destroy();
    }
  });
});
