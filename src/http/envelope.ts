// The Harness response envelope and page shape, and the paging/sorting rules of SPEC §2.
import type { FastifyReply } from 'fastify';
import { invalidRequest, Messages } from '../domain/errors.js';
import { compareCodePoints } from '../domain/text-order.js';

export interface Envelope<T> { status: 'SUCCESS'; data: T; metaData: null; correlationId: string }

export function success<T>(data: T, correlationId: string): Envelope<T> {
  return { status: 'SUCCESS', data, metaData: null, correlationId };
}

export interface Page<T> {
  totalPages: number; totalItems: number; pageItemCount: number; pageSize: number;
  content: T[]; pageIndex: number; empty: boolean;
}

export interface PageRequest { pageIndex: number; pageSize: number; sort: SortOrder[]; searchTerm: string | null }
export interface SortOrder { field: string; direction: 'ASC' | 'DESC' }

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

export function pageRequest(
  query: { pageIndex?: number; pageSize?: number; sortOrders?: string[]; searchTerm?: string },
  sortable: readonly string[] = ['lastModifiedAt', 'createdAt', 'name', 'identifier'],
): PageRequest {
  const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
  if (pageSize > MAX_PAGE_SIZE) throw invalidRequest(Messages.pageSizeTooLarge);
  const sort: SortOrder[] = [];
  for (const raw of query.sortOrders ?? []) {
    const [field, dir = 'ASC'] = parseSortOrder(raw);
    if (field === undefined) continue; // an empty `sortOrders=` asks for nothing
    const direction = dir.toUpperCase();
    if (!sortable.includes(field)) {
      throw invalidRequest(`sortOrders: cannot sort by ${field}; use one of ${sortable.join(', ')}`);
    }
    if (direction !== 'ASC' && direction !== 'DESC') {
      throw invalidRequest(`sortOrders: direction must be ASC or DESC, got ${dir}`);
    }
    sort.push({ field, direction });
  }
  if (sort.length === 0) sort.push({ field: 'lastModifiedAt', direction: 'DESC' });
  // Literal, spaces included (SPEC §2); only an empty term means no filter.
  const searchTerm = query.searchTerm ? query.searchTerm : null;
  return { pageIndex: query.pageIndex ?? 0, pageSize, sort, searchTerm };
}

/**
 * One `sortOrders` value: `field,DIR` as Harness documents it, or `field` alone (ascending). Harness's
 * Go SDK formats its SortOrder struct with %v, so it sends `{field DIR}`: that form is read too.
 */
function parseSortOrder(raw: string): string[] {
  const inner = raw.trim().replace(/^\{(.*)\}$/s, '$1');
  return inner.split(/\s*,\s*|\s+/).filter((s) => s.length > 0);
}

export function makePage<T>(content: T[], totalItems: number, req: PageRequest): Page<T> {
  return {
    totalPages: Math.ceil(totalItems / req.pageSize),
    totalItems,
    pageItemCount: content.length,
    pageSize: req.pageSize,
    content,
    pageIndex: req.pageIndex,
    empty: content.length === 0,
  };
}

/** Pages an in-memory list (already filtered to what the caller may view). */
export function pageOf<T>(all: T[], req: PageRequest): Page<T> {
  const start = req.pageIndex * req.pageSize;
  return makePage(all.slice(start, start + req.pageSize), all.length, req);
}

/**
 * Sorts in memory by the request's orders (text: see compareSortValues). Ties go by identifier, then by
 * `unique` (what tells apart items of one identifier in a list spanning keys, owners or scopes), so
 * the order is the same on every engine and stays put while a client pages through.
 */
export function sortItems<T>(
  items: T[], req: PageRequest, key: (item: T, field: string) => string | number | null,
  unique: (item: T) => string = () => '',
): T[] {
  const orders: SortOrder[] = [...req.sort, { field: 'identifier', direction: 'ASC' }];
  return [...items].sort((a, b) => {
    for (const { field, direction } of orders) {
      const cmp = compareSortValues(key(a, field), key(b, field));
      if (cmp !== 0) return direction === 'ASC' ? cmp : -cmp;
    }
    return compareCodePoints(unique(a), unique(b));
  });
}

/**
 * Nulls first, numbers by value, text as people read a sorted list — case aside (`alpha`, `Beta`,
 * `gamma`), by code point, so no locale or collation enters — then by code point as written.
 */
function compareSortValues(x: string | number | null, y: string | number | null): number {
  if (x === y) return 0;
  if (x === null) return -1;
  if (y === null) return 1;
  if (typeof x === 'string' && typeof y === 'string') return compareCodePoints(x.toLowerCase(), y.toLowerCase()) || compareCodePoints(x, y);
  return x < y ? -1 : 1;
}

/** Case-insensitive literal match on name, identifier and tag keys/values (never a regex). */
export function matchesSearch(
  term: string | null,
  item: { name?: string | null; identifier?: string | null; tags?: Record<string, string> | null; email?: string | null },
): boolean {
  if (!term) return true;
  const t = term.toLowerCase();
  const has = (s: string | null | undefined) => !!s && s.toLowerCase().includes(t);
  if (has(item.name) || has(item.identifier) || has(item.email)) return true;
  for (const [k, v] of Object.entries(item.tags ?? {})) if (has(k) || has(v)) return true;
  return false;
}

/**
 * For an answer that carries a secret (a token value, a session's CSRF token): no cache, the
 * browser's included, may keep it.
 */
export function noStore(reply: FastifyReply): void {
  reply.header('cache-control', 'no-store');
}
