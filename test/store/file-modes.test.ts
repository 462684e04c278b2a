// The SQLite store holds password hashes: what keysmith creates is readable by its own user only —
// the data directory 0700, the database and its -wal and -shm files 0600 — whatever the umask.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openMigratedStore } from '../../src/server/configured-store.js';
import { migrate, openStore } from '../../src/store/database.js';

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('file modes of the SQLite store', () => {
  const root = mkdtempSync(join(tmpdir(), 'keysmith-modes-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('creates the data directory 0700 and the database, -wal and -shm 0600', async () => {
    const previous = process.umask(0o022);
    try {
      const dataDir = join(root, 'fresh', 'data');
      const { store } = await openMigratedStore(loadConfig({ KEYSMITH_DATA_DIR: dataDir }));
      try {
        await store.db.insertInto('accounts').values({ id: 'ModesAccount0000000000', name: 'Modes', created_at: Date.now() }).execute();
        const db = join(dataDir, 'keysmith.db');
        expect(existsSync(`${db}-wal`)).toBe(true);
        expect({ dir: mode(dataDir), db: mode(db), wal: mode(`${db}-wal`), shm: mode(`${db}-shm`) })
          .toEqual({ dir: '700', db: '600', wal: '600', shm: '600' });
      } finally {
        await store.close();
      }
    } finally {
      process.umask(previous);
    }
  });

  it('leaves a directory and a database the operator made as they are', async () => {
    const dataDir = join(root, 'existing');
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o750);
    const first = await openStore({ sqlitePath: join(dataDir, 'keysmith.db') });
    await migrate(first.db);
    await first.close();
    chmodSync(join(dataDir, 'keysmith.db'), 0o640);
    const again = await openStore({ sqlitePath: join(dataDir, 'keysmith.db') });
    await again.close();
    expect({ dir: mode(dataDir), db: mode(join(dataDir, 'keysmith.db')) }).toEqual({ dir: '750', db: '640' });
  });
});
