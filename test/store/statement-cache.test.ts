// The SQLite statement cache: Kysely's queries reuse prepared statements by SQL text, bounded,
// with reads, writes, streams, transactions and migrations behaving as without it.
import { describe, expect, it } from 'vitest';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { migrate, openStore, withStatementCache } from '../../src/store/database.js';

function countingSqlite() {
  const sqlite = new SqliteDatabase(':memory:');
  let prepared = 0;
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((text: string) => { prepared++; return prepare(text); }) as typeof sqlite.prepare;
  return { sqlite, prepared: () => prepared };
}

describe('withStatementCache', () => {
  it('prepares each SQL text once and answers reads and writes as before', async () => {
    const { sqlite, prepared } = countingSqlite();
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    await sql`create table t (id integer primary key, v text)`.execute(db);
    const before = prepared();
    for (let i = 1; i <= 5; i++) {
      const res = await db.insertInto('t').values({ id: i, v: `v${i}` }).executeTakeFirstOrThrow();
      expect(res.insertId).toBe(BigInt(i));
    }
    for (let i = 1; i <= 5; i++) {
      expect(await db.selectFrom('t').select('v').where('id', '=', i).executeTakeFirst()).toEqual({ v: `v${i}` });
    }
    const updated = await db.updateTable('t').set({ v: 'x' }).where('id', '>', 3).executeTakeFirstOrThrow();
    expect(updated.numUpdatedRows).toBe(2n);
    expect(prepared() - before).toBe(3); // one insert, one select, one update
    await db.destroy();
  });

  it('streams, also while the same statement runs again inside the stream', async () => {
    const sqlite = new SqliteDatabase(':memory:');
    const cached = withStatementCache(sqlite);
    sqlite.exec('create table t (id integer primary key); insert into t values (1), (2), (3)');
    const text = 'select id from t where id >= ?';
    const stmt = cached.prepare(text);
    expect(cached.prepare(text)).toBe(stmt);
    const outer = stmt.iterate([1]);
    const first = outer.next();
    // The cached statement is busy iterating: a second use gets a fresh statement.
    const inner = cached.prepare(text);
    expect(inner).not.toBe(stmt);
    expect(inner.all([3])).toEqual([{ id: 3 }]);
    expect([first.value, ...outer]).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(cached.prepare(text)).toBe(stmt);
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: withStatementCache(new SqliteDatabase(':memory:')) }) });
    await sql`create table s (id integer)`.execute(db);
    await db.insertInto('s').values([{ id: 1 }, { id: 2 }]).execute();
    const seen: number[] = [];
    for await (const row of db.selectFrom('s').select('id').orderBy('id').stream()) seen.push(row.id);
    expect(seen).toEqual([1, 2]);
    await db.destroy();
  });

  it('keeps at most maxEntries statements, dropping the least recently used', async () => {
    const { sqlite, prepared } = countingSqlite();
    const cached = withStatementCache(sqlite, 2);
    cached.prepare('select 1');
    cached.prepare('select 2');
    cached.prepare('select 1'); // now most recent
    cached.prepare('select 3'); // evicts select 2
    const before = prepared();
    cached.prepare('select 1');
    cached.prepare('select 3');
    expect(prepared()).toBe(before);
    cached.prepare('select 2');
    expect(prepared()).toBe(before + 1);
  });

  it('runs the migrations and transactions (commit and rollback) on a store', async () => {
    const store = await openStore({ sqlitePath: ':memory:' });
    expect(await migrate(store.db)).toEqual(['001_initial', '002_audit_actor_scope', '003_emails_nfc']);
    expect(await migrate(store.db)).toEqual([]);
    await store.db.transaction().execute(async (trx) => {
      await sql`create table kept (id integer)`.execute(trx);
      await sql`insert into kept values (1)`.execute(trx);
    });
    await expect(store.db.transaction().execute(async (trx) => {
      await sql`insert into kept values (2)`.execute(trx);
      throw new Error('abort');
    })).rejects.toThrow('abort');
    const { rows } = await sql<{ id: number }>`select id from kept`.execute(store.db);
    expect(rows).toEqual([{ id: 1 }]);
    await store.close();
  });
});
