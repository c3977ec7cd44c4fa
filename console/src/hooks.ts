/** Calling the API from a screen: loading, the error with its code, and refusals. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { isRefusal, toApiError, type ApiError } from './api';
import { useConsole } from './context';

export interface Call<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` now and on `reload`; keeps the last data while reloading. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Call<T> {
  const { refused } = useConsole();
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const generation = useRef(0);
  useEffect(() => {
    const mine = ++generation.current;
    setLoading(true);
    load().then(
      (value) => {
        if (mine !== generation.current) return;
        setData(value);
        setError(undefined);
        setLoading(false);
      },
      (e: unknown) => {
        if (mine !== generation.current) return;
        const err = toApiError(e);
        if (isRefusal(err)) refused(`${err.code}: ${err.message}`);
        setError(err);
        setLoading(false);
      },
    );
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

/** An action the user starts: busy while it runs, its error kept until the next try. */
export function useAction(): {
  busy: boolean;
  error: ApiError | undefined;
  run: <T>(action: () => Promise<T>) => Promise<T | undefined>;
  clear: () => void;
} {
  const { refused } = useConsole();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const run = useCallback(
    async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
      setBusy(true);
      setError(undefined);
      try {
        return await action();
      } catch (e) {
        const err = toApiError(e);
        if (isRefusal(err)) refused(`${err.code}: ${err.message}`);
        setError(err);
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [refused],
  );
  return { busy, error, run, clear: () => setError(undefined) };
}
