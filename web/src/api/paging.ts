// Reads every page of a paged list (the console's lists are small: keys per owner, groups, roles).
import { api, type Query } from './client';
import type { Page } from './types';

const PAGE_SIZE = 100;
const MAX_PAGES = 50;

export async function fetchAll<T>(path: string, query: Query, signal?: AbortSignal): Promise<T[]> {
  const items: T[] = [];
  for (let pageIndex = 0; pageIndex < MAX_PAGES; pageIndex++) {
    const page = await api.get<Page<T>>(path, { ...query, pageIndex, pageSize: PAGE_SIZE }, signal);
    items.push(...(page.content ?? []));
    if (pageIndex + 1 >= (page.totalPages ?? 0) || (page.content ?? []).length < PAGE_SIZE) break;
  }
  return items;
}
