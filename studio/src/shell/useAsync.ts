// Loads data for a screen and exposes loading / error / reload.
import { useCallback, useEffect, useRef, useState } from 'react';

export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): { data: T | null; error: unknown; loading: boolean; reload(): void; setData(d: T): void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  const run = useCallback(() => {
    const n = ++seq.current;
    setLoading(true);
    setError(null);
    load().then((d) => { if (n === seq.current) { setData(d); setLoading(false); } },
      (e) => { if (n === seq.current) { setError(e); setLoading(false); } });
  }, deps); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => { run(); }, [run]);
  useEffect(() => {
    window.addEventListener('studio:settings-changed', run);
    return () => window.removeEventListener('studio:settings-changed', run);
  }, [run]);
  return { data, error, loading, reload: run, setData };
}
