// The Harness response envelope and page shape, and the paging/sorting rules of SPEC §2.
import type { FastifyReply } from 'fastify';
import { invalidRequest, Messages } from '../domain/errors.js';

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
 * Sorts in memory by the request's orders. `key` maps a sort field to the comparable value of an item.
 */
export function sortItems<T>(items: T[], req: PageRequest, key: (item: T, field: string) => string | number | null): T[] {
  return [...items].sort((a, b) => {
    for (const { field, direction } of req.sort) {
      const x = key(a, field);
      const y = key(b, field);
      if (x === y) continue;
      const cmp = x === null ? -1 : y === null ? 1 : typeof x === 'string' && typeof y === 'string'
        ? x.localeCompare(y) : x < y ? -1 : 1;
      return direction === 'ASC' ? cmp : -cmp;
    }
    return 0;
  });
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
