import { useEffect, useMemo, useRef } from "react";

/** `fn` called once `delayMs` after the last of a burst of calls (and never after unmount). */
export function useDebouncedCallback(fn: () => void, delayMs: number): () => void {
  const latest = useRef(fn);
  latest.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return useMemo(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        timer.current = null;
        latest.current();
      }, delayMs);
    },
    [delayMs],
  );
}
