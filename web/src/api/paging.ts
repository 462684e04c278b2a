// Reads every page of a paged list (the console's lists are small: keys per owner, groups, roles).
// A list too long to read whole is refused in words, never cut: a page built on part of a list
// (counts, limits, who has which role) would be wrong without saying so.
import { api, type Query } from './client';
import type { Page } from './types';

/** The most the API gives in one page. */
const PAGE_SIZE = 100;
/** The longest list the console reads: beyond it, loading and reading it on one page stop making sense. */
export const MAX_LIST_ITEMS = 5_000;
const MAX_PAGES = MAX_LIST_ITEMS / PAGE_SIZE;

const count = (n: number) => n.toLocaleString('en-US');

/** A list longer than MAX_LIST_ITEMS; its message is what the list's error state shows. */
export class ListTooLongError extends Error {
  constructor(readonly totalItems: number | null) {
    super(`This list has ${totalItems === null ? `more than ${count(MAX_LIST_ITEMS)}` : count(totalItems)} entries, more than the `
      + `${count(MAX_LIST_ITEMS)} the console shows. Use the REST API to read it page by page.`);
    this.name = 'ListTooLongError';
  }
}

export async function fetchAll<T>(path: string, query: Query, signal?: AbortSignal): Promise<T[]> {
  const items: T[] = [];
  for (let pageIndex = 0; ; pageIndex++) {
    const page = await api.get<Page<T>>(path, { ...query, pageIndex, pageSize: PAGE_SIZE }, signal);
    const totalPages = page.totalPages ?? 0;
    // Known from the first page, before reading the rest; asked again on every page, in case the list grew.
    if (totalPages > MAX_PAGES) throw new ListTooLongError(page.totalItems ?? null);
    const content = page.content ?? [];
    items.push(...content);
    // Ends by MAX_PAGES at the latest: totalPages is at most that.
    if (pageIndex + 1 >= totalPages || content.length < PAGE_SIZE) return items;
  }
}
