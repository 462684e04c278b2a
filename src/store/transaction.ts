// Every write transaction runs through `inTransaction`. PostgreSQL may abort one of two concurrent
// transactions for a conflict that is nobody's fault — a deadlock (40P01) or a serialization failure
// (40001) — and the cure is to run the whole transaction again; surfacing it would answer a valid
// request with a 500. SQLite never raises either (transactions begin IMMEDIATE, a busy file waits
// out busy_timeout), so there the callback runs once.
//
// So the callback may run more than once: it must touch nothing outside the database (publish
// invalidations, fill arrays or caches of the caller) — do that after it returns. Values it makes
// and returns (ids, token values) are fine: only the last attempt's result is used.
import type { Kysely, Transaction } from 'kysely';

/** Attempts in all, the first included; after the last one, its conflict is thrown. */
export const TRANSACTION_ATTEMPTS = 5;

/** SQLSTATEs of a transaction PostgreSQL aborted for a conflict with another one. */
const CONFLICT_CODES = new Set(['40P01', '40001']);

/** True when the error is PostgreSQL aborting the transaction for a deadlock or a serialization failure. */
export function isTransactionConflict(err: unknown): boolean {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && CONFLICT_CODES.has(code);
}

/** The wait after the n-th failed attempt: 2ⁿ to 2ⁿ⁺¹ ms, random so two losers of a race do not collide again. */
function backoffMs(failedAttempts: number): number {
  return 2 ** failedAttempts * (1 + Math.random());
}

/** Runs `fn` in one transaction, again (up to TRANSACTION_ATTEMPTS in all) when PostgreSQL aborts it for a conflict. */
export async function inTransaction<DB, T>(db: Kysely<DB>, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(fn);
    } catch (err) {
      if (attempt >= TRANSACTION_ATTEMPTS || !isTransactionConflict(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt)));
    }
  }
}
