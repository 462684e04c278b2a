// Runs one async action with its pending and error state, outside TanStack Query: for actions whose
// results or inputs are secrets (token values, passwords), which must not sit in a mutation cache.
import { useCallback, useEffect, useRef, useState } from 'react';

export function useAction<A extends unknown[], R>(fn: (...args: A) => Promise<R>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const mounted = useRef(true);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  useEffect(() => {
    mounted.current = true;
    return () => { mounted.current = false; };
  }, []);

  const run = useCallback(async (...args: A): Promise<{ ok: true; value: R } | { ok: false }> => {
    setPending(true);
    setError(null);
    try {
      const value = await fnRef.current(...args);
      return { ok: true, value };
    } catch (e) {
      if (mounted.current) setError(e);
      return { ok: false };
    } finally {
      if (mounted.current) setPending(false);
    }
  }, []);

  const reset = useCallback(() => setError(null), []);
  return { run, pending, error, reset, setError };
}
