/**
 * Captured WebSockets to the same URL (a client that reconnects, two browser tabs) would get
 * the same tab name: each is numbered in the order captured, 1 for the first, so the second
 * reads "… #2".
 */
export interface CapturedSessionLike {
  id: string;
  url: string;
  captured: unknown;
}

/** Session id → its number among the captured sessions to its URL (only captured ones), in the given order. */
export function captureNumbers(sessions: Iterable<CapturedSessionLike>): Map<string, number> {
  const seen = new Map<string, number>();
  const numbers = new Map<string, number>();
  for (const session of sessions) {
    if (!session.captured) continue;
    const n = (seen.get(session.url) ?? 0) + 1;
    seen.set(session.url, n);
    numbers.set(session.id, n);
  }
  return numbers;
}
