// Seeds tokens straight into the bench's SQLite store, through keysmith's own store functions
// (dist/store/tokens.js `seedTokens`), in transactions of BATCH tokens: a million takes seconds.
// The server keeps running meanwhile (WAL: its reads go on; its writes wait for each batch).
import { ROOT } from './processes.mjs';

const BATCH = 50_000;

export async function openSqliteSeeder(sqlitePath, { accountId, userId }) {
  const { openStore } = await import(`${ROOT}dist/store/database.js`);
  const { findApiKey, insertApiKey } = await import(`${ROOT}dist/store/api-keys.js`);
  const { seedTokens } = await import(`${ROOT}dist/store/tokens.js`);
  const store = await openStore({ sqlitePath });
  const seededPerKey = new Map();

  async function apiKey(identifier) {
    const ref = {
      scope: { accountIdentifier: accountId, orgIdentifier: null, projectIdentifier: null },
      apiKeyType: 'USER', parentIdentifier: userId, identifier,
    };
    return (await findApiKey(store.db, ref)) ?? insertApiKey(store.db, {
      identifier, name: identifier, description: 'bench', tags: {}, accountIdentifier: accountId,
      orgIdentifier: null, projectIdentifier: null, apiKeyType: 'USER', parentIdentifier: userId,
      defaultTimeToExpireToken: 30 * 24 * 3_600_000, rateLimitQps: null,
    }, Date.now());
  }

  return {
    /** Adds `count` tokens to the user's key `identifier`; resolves to their values (kept only when `keep`). */
    async seed(identifier, count, { onProgress, keep = count <= 100_000 } = {}) {
      const key = await apiKey(identifier);
      const values = [];
      let done = 0;
      while (done < count) {
        const n = Math.min(BATCH, count - done);
        const offset = (seededPerKey.get(identifier) ?? 0);
        const batch = await store.db.transaction().execute((trx) =>
          seedTokens(trx, key, n, { identifierPrefix: `seeded_${offset}_` }));
        seededPerKey.set(identifier, offset + n);
        if (keep) values.push(...batch);
        done += n;
        if (onProgress && (done % 200_000 === 0 || done === count)) onProgress(done);
      }
      return values;
    },
    /** Folds the write-ahead log back into the database file, as a long-running server's would be. */
    async checkpoint() {
      const { sql } = await import('kysely');
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(store.db);
    },
    /** A consistent copy of the database as it is now (VACUUM INTO), for a second server to open. */
    async copyTo(path) {
      const { sql } = await import('kysely');
      await sql`vacuum into ${path}`.execute(store.db);
    },
    async countTokens() {
      const row = await store.db.selectFrom('tokens').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    close: () => store.close(),
  };
}
