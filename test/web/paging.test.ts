// The console's reading of a paged list (web/src/api/paging.ts): every page up to 5,000 entries,
// and a longer list refused in words, after one page, rather than cut without a word.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeError } from '../../web/src/api/errors.js';
import { fetchAll, ListTooLongError, MAX_LIST_ITEMS } from '../../web/src/api/paging.js';

/** A server holding `total` entries (0, 1, 2, …), answering pages as keysmith does; the page indexes asked for. */
function serve(total: number): number[] {
  const asked: number[] = [];
  vi.stubGlobal('fetch', async (url: string) => {
    const query = new URL(url, 'http://console.test').searchParams;
    const pageIndex = Number(query.get('pageIndex'));
    const pageSize = Number(query.get('pageSize'));
    asked.push(pageIndex);
    const content = Array.from({ length: Math.max(0, Math.min(pageSize, total - pageIndex * pageSize)) }, (_, i) => pageIndex * pageSize + i);
    const page = {
      content, pageIndex, pageSize, pageItemCount: content.length, empty: content.length === 0,
      totalItems: total, totalPages: Math.ceil(total / pageSize),
    };
    return new Response(JSON.stringify({ status: 'SUCCESS', data: page }), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  return asked;
}

describe('fetchAll', () => {
  afterEach(() => { vi.unstubAllGlobals(); });

  it('reads every page of a list of up to 5,000 entries', async () => {
    expect(MAX_LIST_ITEMS).toBe(5_000);
    for (const total of [0, 1, 100, 101, MAX_LIST_ITEMS]) {
      const asked = serve(total);
      const items = await fetchAll<number>('/ng/api/things', {});
      expect(items).toEqual(Array.from({ length: total }, (_, i) => i));
      expect(asked).toEqual(Array.from({ length: Math.max(1, Math.ceil(total / 100)) }, (_, i) => i));
    }
  });

  it('refuses a longer list after its first page, saying how long it is, instead of showing part of it', async () => {
    const asked = serve(MAX_LIST_ITEMS + 1);
    const error = await fetchAll<number>('/ng/api/things', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ListTooLongError);
    expect(asked).toEqual([0]);
    expect(describeError(error)).toBe(
      'This list has 5,001 entries, more than the 5,000 the console shows. Use the REST API to read it page by page.');
  });
});
