/**
 * Captured WebSockets to the same URL (a client that reconnects, two browser tabs) would get
 * the same tab name: each is numbered when first seen captured, 1 for the URL's first, so the
 * second reads "… #2". Numbers are never given twice in a run: with #2 closed, the next
 * capture is #3 (a user who saw #2 must not meet another #2), and #2 stays #2 when #1 goes.
 */
export interface CapturedSessionLike {
  id: string;
  url: string;
  captured: unknown;
}

export class CaptureNumbering {
  /** URL → the highest number given to a capture of it (only grows). */
  private readonly highest = new Map<string, number>();
  /** Session id → its number, for the sessions still here. */
  private readonly given = new Map<string, number>();

  /**
   * Session id → number for the captured sessions among `sessions`: a new one gets its URL's
   * next number, in the order given (the order created); sessions gone are forgotten.
   */
  numbers(sessions: Iterable<CapturedSessionLike>): Map<string, number> {
    const numbers = new Map<string, number>();
    for (const session of sessions) {
      if (!session.captured) continue;
      let n = this.given.get(session.id);
      if (n === undefined) {
        n = (this.highest.get(session.url) ?? 0) + 1;
        this.highest.set(session.url, n);
        this.given.set(session.id, n);
      }
      numbers.set(session.id, n);
    }
    for (const id of this.given.keys()) if (!numbers.has(id)) this.given.delete(id);
    return numbers;
  }
}
