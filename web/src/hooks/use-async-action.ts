// Runs one async action at a time and keeps its pending flag and ApiError for the form showing it.
import { useCallback, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';

export interface AsyncAction<A extends unknown[]> {
  run(...args: A): Promise<void>;
  pending: boolean;
  error: ApiError | undefined;
  clearError(): void;
}

export function useAsyncAction<A extends unknown[]>(action: (...args: A) => Promise<void>): AsyncAction<A> {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const runningRef = useRef(false);
  const run = useCallback(
    async (...args: A) => {
      if (runningRef.current) return; // double submit: ignore, the first one is in flight
      runningRef.current = true;
      setPending(true);
      setError(undefined);
      try {
        await action(...args);
      } catch (caught) {
        setError(
          caught instanceof ApiError
            ? caught
            : new ApiError('internal-error', 'Something went wrong. Please try again.'),
        );
      } finally {
        runningRef.current = false;
        setPending(false);
      }
    },
    [action],
  );
  return { run, pending, error, clearError: useCallback(() => setError(undefined), []) };
}
