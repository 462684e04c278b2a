// Lists of ids bound into `in (...)` a few hundred at a time: a principal can be in any number of
// groups, and they can name any number of roles and resource groups, while a statement holds at most
// 32,766 parameters on SQLite and 65,535 on PostgreSQL.

export const IDS_PER_QUERY = 500;

/** `query` run over `ids` IDS_PER_QUERY at a time, one query after another, its rows together. */
export async function inChunks<T>(ids: string[], query: (chunk: string[], index: number) => Promise<T[]>): Promise<T[]> {
  const rows: T[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) rows.push(...await query(ids.slice(i, i + IDS_PER_QUERY), i / IDS_PER_QUERY));
  return rows;
}
