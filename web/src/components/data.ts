// Loading what a page shows: one hook for a resource of the API, reloaded on demand or when its
// address changes, and one for the pages of a keyset-paged listing.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api, type Page } from '../api.ts';

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(0, 'Network', e instanceof Error ? e.message : String(e));
}

/** GET `path` (null: nothing yet); keeps the last data while a reload is under way. */
export function useResource<T>(path: string | null): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({
    loading: path !== null,
  });
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: tick asks for the same path again
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    api.get<T>(path).then(
      (data) => live && setState({ data, loading: false }),
      (e) => live && setState((s) => ({ ...s, error: asApiError(e), loading: false })),
    );
    return () => {
      live = false;
    };
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export interface Paged<T> {
  items: T[];
  error: ApiError | undefined;
  loading: boolean;
  more: boolean;
  loadMore: () => void;
  reload: () => void;
}

/**
 * A listing that pages with a cursor: the first page of `path`, and further pages appended when
 * asked. `path` carries the filters; a new path starts over.
 */
export function usePaged<T>(path: string): Paged<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const generation = useRef(0);

  const fetchPage = useCallback(
    (after: string | null, append: boolean) => {
      const mine = ++generation.current;
      setLoading(true);
      const sep = path.includes('?') ? '&' : '?';
      api.get<Page<T>>(after ? `${path}${sep}cursor=${encodeURIComponent(after)}` : path).then(
        (page) => {
          if (mine !== generation.current) return;
          setItems((old) => (append ? [...old, ...page.items] : page.items));
          setCursor(page.nextCursor);
          setError(undefined);
          setLoading(false);
        },
        (e) => {
          if (mine !== generation.current) return;
          setError(asApiError(e));
          setLoading(false);
        },
      );
    },
    [path],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: tick asks for a fresh first page
  useEffect(() => fetchPage(null, false), [fetchPage, tick]);

  return {
    items,
    error,
    loading,
    more: cursor !== null,
    loadMore: () => cursor && fetchPage(cursor, true),
    reload: () => setTick((t) => t + 1),
  };
}
