// The store of the CLI's account and admin commands: it must exist and hold an account. Asking
// creates nothing — no SQLite file or directory, no table in a PostgreSQL schema.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { MissingStoreError, openExistingStore, openMigratedStore } from '../../src/server/configured-store.js';
import { bootstrapIfEmpty } from '../../src/store/accounts.js';
import { PG_URL } from '../helpers/harness.js';

async function bootstrap(config: Config): Promise<void> {
  const { store } = await openMigratedStore(config);
  try {
    await bootstrapIfEmpty(store.db, store.engine, { adminEmail: 'admin@example.com', password: 'first-admin-password' });
  } finally {
    await store.close();
  }
}

describe('the CLI\'s store on SQLite', () => {
  const root = mkdtempSync(join(tmpdir(), 'keysmith-existing-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('refuses a data directory without a store, creating nothing', async () => {
    const config = loadConfig({ KEYSMITH_DATA_DIR: join(root, 'nothing-here') });
    await expect(openExistingStore(config)).rejects.toThrow(MissingStoreError);
    await expect(openExistingStore(config)).rejects.toThrow(`the SQLite file ${join(root, 'nothing-here', 'keysmith.db')} (KEYSMITH_DATA_DIR) does not exist`);
    expect(existsSync(join(root, 'nothing-here'))).toBe(false);
  });

  it('refuses a migrated store without an account; opens one with its first account', async () => {
    const config = loadConfig({ KEYSMITH_DATA_DIR: join(root, 'migrated') });
    await (await openMigratedStore(config)).store.close();
    await expect(openExistingStore(config)).rejects.toThrow(`SQLite ${join(root, 'migrated', 'keysmith.db')} (KEYSMITH_DATA_DIR) has no account yet`);
    await bootstrap(config);
    const store = await openExistingStore(config);
    await store.close();
  });
});

describe.skipIf(!PG_URL)('the CLI\'s store on PostgreSQL', () => {
  const schema = `t_existing_${process.pid}_${Date.now().toString(36)}`;
  const url = new URL(PG_URL ?? 'postgres://unused');
  url.searchParams.set('options', `-c search_path=${schema}`);
  const config = loadConfig({ DATABASE_URL: url.toString() });

  async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: PG_URL! });
    await client.connect();
    try { return await fn(client); } finally { await client.end(); }
  }
  afterAll(async () => { if (PG_URL) await admin((c) => c.query(`drop schema if exists ${schema} cascade`)); });

  it('refuses a database without keysmith\'s tables, creating none; opens it once it has its first account', async () => {
    await admin((c) => c.query(`create schema ${schema}`));
    await expect(openExistingStore(config)).rejects.toThrow(/^PostgreSQL at [^ ]+ \(DATABASE_URL\) has no account yet: start the server once/);
    const tables = await admin((c) => c.query('select table_name from information_schema.tables where table_schema = $1', [schema]));
    expect(tables.rows).toEqual([]);

    await bootstrap(config);
    const store = await openExistingStore(config);
    try {
      const { rows } = await sql<{ n: number }>`select count(*) as n from accounts`.execute(store.db);
      expect(rows).toEqual([{ n: 1 }]);
    } finally {
      await store.close();
    }
  });
});
