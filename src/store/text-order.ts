// ORDER BY text in code-point order on both engines, the order compareCodePoints gives in memory
// (domain/text-order.ts): SQLite compares text by its UTF-8 bytes; PostgreSQL follows the
// database's collation (case-insensitive under ICU or en_US) unless told `collate "C"`.
import type { Kysely, OrderByItemBuilder } from 'kysely';
import { isPostgres } from './locks.js';
import type { Database } from './schema.js';

/** The modifier of an `orderBy` on a text column: `.orderBy('identifier', inCodePointOrder(db))`. */
export function inCodePointOrder(db: Kysely<Database>): (item: OrderByItemBuilder) => OrderByItemBuilder {
  return isPostgres(db) ? (item) => item.collate('C') : (item) => item;
}
