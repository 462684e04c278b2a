// inTransaction: a transaction PostgreSQL aborts for a deadlock or a serialization failure runs
// again, a bounded number of times; every other error goes straight to the caller. Then a real
// deadlock — two transactions locking two rows in opposite order — on both engines.
import type { Kysely, Transaction } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { entityNotFound } from '../../src/domain/errors.js';
import { randomString } from '../../src/domain/ids.js';
import { insertOrganization } from '../../src/store/organizations.js';
import type { Database } from '../../src/store/schema.js';
import { inTransaction, isTransactionConflict, TRANSACTION_ATTEMPTS } from '../../src/store/transaction.js';
import { describeEachEngine } from '../helpers/harness.js';

/** An error as pg raises it for a failed statement or commit. */
function pgError(code: string): pg.DatabaseError {
  const err = new pg.DatabaseError(`failed with ${code}`, 0, 'error');
  err.code = code;
  return err;
}

/**
 * A database whose transactions run the callback, then fail their commit with the next of
 * `commitFailures` (none left: the commit succeeds). Counts the transactions begun.
 */
function fakeDb(commitFailures: unknown[] = []) {
  let begun = 0;
  const trx = {} as Transaction<unknown>;
  const db = {
    transaction: () => ({
      async execute<T>(fn: (trx: Transaction<unknown>) => Promise<T>): Promise<T> {
        begun++;
        const result = await fn(trx);
        if (commitFailures.length > 0) throw commitFailures.shift();
        return result;
      },
    }),
  } as unknown as Kysely<unknown>;
  return { db, begun: () => begun };
}

describe('isTransactionConflict', () => {
  it('is true for a deadlock (40P01) and a serialization failure (40001), false for anything else', () => {
    expect(isTransactionConflict(pgError('40P01'))).toBe(true);
    expect(isTransactionConflict(pgError('40001'))).toBe(true);
    expect(isTransactionConflict({ code: '40P01' })).toBe(true);
    for (const other of [
      pgError('23505'), pgError('40002'), pgError('55P03'), pgError('57014'), { code: 'SQLITE_BUSY' },
      new Error('40P01'), entityNotFound('gone'), { code: 40001 }, '40P01', null, undefined,
    ]) {
      expect(isTransactionConflict(other), String(other)).toBe(false);
    }
  });
});

describe('inTransaction', () => {
  it('runs the callback once and answers its result when the transaction commits', async () => {
    const { db, begun } = fakeDb();
    let runs = 0;
    expect(await inTransaction(db, async () => ++runs)).toBe(1);
    expect(begun()).toBe(1);
  });

  it('runs the whole transaction again after a deadlock raised by a statement, answering the last attempt', async () => {
    const { db, begun } = fakeDb();
    let runs = 0;
    const result = await inTransaction(db, async () => {
      runs++;
      if (runs < 3) throw pgError('40P01');
      return `attempt ${runs}`;
    });
    expect(result).toBe('attempt 3');
    expect(begun()).toBe(3);
  });

  it('runs the whole transaction again after a serialization failure at commit, answering the last attempt', async () => {
    const { db, begun } = fakeDb([pgError('40001'), pgError('40001')]);
    let runs = 0;
    expect(await inTransaction(db, async () => ++runs)).toBe(3);
    expect(begun()).toBe(3);
  });

  it(`gives up after ${TRANSACTION_ATTEMPTS} attempts, throwing the last conflict`, async () => {
    const failures = Array.from({ length: TRANSACTION_ATTEMPTS + 2 }, (_, i) => pgError(i % 2 ? '40001' : '40P01'));
    const last = failures[TRANSACTION_ATTEMPTS - 1];
    const { db, begun } = fakeDb([...failures]);
    let runs = 0;
    await expect(inTransaction(db, async () => { runs++; })).rejects.toBe(last);
    expect(runs).toBe(TRANSACTION_ATTEMPTS);
    expect(begun()).toBe(TRANSACTION_ATTEMPTS);
  });

  it('never runs again after any other error, whether from the callback or the commit', async () => {
    const others = [pgError('23505'), pgError('57014'), { code: 'SQLITE_BUSY' }, entityNotFound('gone'), new Error('boom')];
    for (const err of others) {
      const fromCallback = fakeDb();
      await expect(inTransaction(fromCallback.db, async () => { throw err; })).rejects.toBe(err);
      expect(fromCallback.begun()).toBe(1);

      const fromCommit = fakeDb([err]);
      await expect(inTransaction(fromCommit.db, async () => 'committed?')).rejects.toBe(err);
      expect(fromCommit.begun()).toBe(1);
    }
  });

  it('stops retrying as soon as a conflict is followed by another error', async () => {
    const notFound = entityNotFound('gone');
    const { db, begun } = fakeDb([pgError('40P01'), notFound, pgError('40P01')]);
    await expect(inTransaction(db, async () => 'x')).rejects.toBe(notFound);
    expect(begun()).toBe(2);
  });
});

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}

describeEachEngine('inTransaction on a real database', (h) => {
  /** `db`, recording the SQLSTATE of every transaction that failed. */
  function observed(db: Kysely<Database>, codes: string[]): Kysely<Database> {
    return {
      transaction: () => ({
        execute: <T>(fn: (trx: Transaction<Database>) => Promise<T>) => db.transaction().execute(fn).catch((err: unknown) => {
          codes.push(String((err as { code?: unknown }).code));
          throw err;
        }),
      }),
    } as unknown as Kysely<Database>;
  }

  it('completes two transactions that lock two rows in opposite order (a deadlock on PostgreSQL)', async () => {
    const { db, engine } = h().store;
    const account = h().accountId;
    const [x, y] = [`dl_x_${randomString(6)}`, `dl_y_${randomString(6)}`];
    for (const identifier of [x, y]) {
      await insertOrganization(db, account, { identifier, name: identifier, description: '', tags: {} }, Date.now());
    }
    const rename = (trx: Transaction<Database>, identifier: string, name: string) =>
      trx.updateTable('organizations').set({ name }).where('account_id', '=', account).where('identifier', '=', identifier).execute();

    // On PostgreSQL each transaction, holding its first row, waits until the other holds its own:
    // the second updates then wait on each other and the server aborts one. SQLite transactions
    // never overlap (BEGIN IMMEDIATE), so there they simply run one after the other.
    const overlap = engine === 'postgres';
    const codes: string[] = [];
    const held = { A: deferred(), B: deferred() };
    let runs = 0;
    const lockInOrder = (name: 'A' | 'B', first: string, second: string, other: 'A' | 'B') =>
      inTransaction(observed(db, codes), async (trx) => {
        runs++;
        await rename(trx, first, name);
        held[name].resolve();
        if (overlap) await held[other].promise;
        await rename(trx, second, name);
        return name;
      });

    const results = await Promise.all([lockInOrder('A', x, y, 'B'), lockInOrder('B', y, x, 'A')]);

    expect(results).toEqual(['A', 'B']);
    expect(codes).toEqual(overlap ? ['40P01'] : []);
    expect(runs).toBe(overlap ? 3 : 2);
    // Each transaction wrote both rows whole: the one that committed last owns both.
    const rows = await db.selectFrom('organizations').select(['identifier', 'name'])
      .where('account_id', '=', account).where('identifier', 'in', [x, y]).orderBy('identifier').execute();
    expect(rows).toHaveLength(2);
    expect(rows[0].name).toBe(rows[1].name);
    expect(['A', 'B']).toContain(rows[0].name);
  });
});
