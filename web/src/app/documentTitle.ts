// The browser's title for each page ("Service Accounts · Access Control · keysmith"): what a
// screen reader says as a page opens, and what tells one keysmith tab from another.
import { useEffect } from 'react';

export function useDocumentTitle(page: string): void {
  useEffect(() => { document.title = `${page} · keysmith`; }, [page]);
}
