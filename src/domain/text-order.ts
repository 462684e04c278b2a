// Code-point order: the one order keysmith lists text in, whatever the database's collation or the
// server's locale. SQLite compares UTF-8 bytes, which is this order; PostgreSQL is told
// `collate "C"` (store/text-order.ts); in memory, compareCodePoints.

/**
 * Compares two strings by Unicode code point. JavaScript's `<` compares UTF-16 units, which puts
 * U+10000 and above (surrogate pairs) before U+E000–U+FFFF; ranking surrogates last fixes that.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return unitRank(x) - unitRank(y);
  }
  return a.length - b.length;
}

/** U+E000–U+FFFF down by 0x800, surrogates (0xD800–0xDFFF) up above them. */
const unitRank = (unit: number) => (unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit);
