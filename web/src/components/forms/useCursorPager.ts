import { useState } from "react";

/**
 * Paging with the API's keyset cursors (X-Next-Cursor): a stack of the cursors that opened each page seen,
 * so Previous returns to exactly the page shown before.
 */
export function useCursorPager() {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  return {
    cursor: cursors[cursors.length - 1],
    pageNumber: cursors.length,
    hasPrevious: cursors.length > 1,
    next: (nextCursor: string) => setCursors((stack) => [...stack, nextCursor]),
    previous: () => setCursors((stack) => (stack.length > 1 ? stack.slice(0, -1) : stack)),
    reset: () => setCursors([undefined]),
  };
}
