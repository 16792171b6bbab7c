/**
 * Bytes in flight per page. Events are pushed to every page; a page that reads slower than
 * they come (a frozen tab, a slow link) would make its send buffer grow without bound. Past
 * `maxBufferedBytes` waiting to go out, the page gets one `behind` notice and no more events;
 * once that notice itself has been written out (so everything queued before it has drained),
 * it gets `caught-up` with the number of events it missed, and asks the engine where things
 * stand (as after a reconnect). Nothing here waits on a clock: the socket's own write
 * callback says when the backlog has drained. Answers to the page's own calls are still sent
 * while it is behind, up to ANSWER_LIMIT_FACTOR times the limit: a page that keeps calling but
 * never reads its answers is cut off (it reconnects when it reads again).
 */
import type { WebServerMessage } from '../shared/bridge';

/** The slice of a `ws` WebSocket this needs (a fake in unit tests). */
export interface EventSocket {
  readonly bufferedAmount: number;
  readonly readyState: number;
  send(data: string, callback?: (error?: Error) => void): void;
}

const OPEN = 1;
/** How far past the event limit answers may pile up before the page is cut off. */
export const ANSWER_LIMIT_FACTOR = 4;

export class EventBacklog {
  /** Pages that fell behind, with the number of events they have missed so far. */
  private readonly behind = new Map<EventSocket, { skipped: number }>();

  constructor(
    private readonly maxBufferedBytes: number,
    private readonly log: (line: string) => void,
  ) {}

  /** Sends one event (already serialized) to one page, unless that page is behind. */
  push(ws: EventSocket, text: string): void {
    if (ws.readyState !== OPEN) return;
    const missed = this.behind.get(ws);
    if (missed) {
      missed.skipped += 1;
      return;
    }
    const buffered = ws.bufferedAmount;
    if (buffered <= this.maxBufferedBytes) {
      ws.send(text);
      return;
    }
    const entry = { skipped: 1 };
    this.behind.set(ws, entry);
    const mib = (buffered / (1024 * 1024)).toFixed(1);
    this.log(`tunnelscope web: a page fell behind (${mib} MiB waiting to be sent to it); it gets no events until that has gone out, then catches up.`);
    ws.send(message({ type: 'behind', bufferedBytes: buffered }), (error) => {
      // The write callback runs once everything queued before the notice has gone out.
      if (this.behind.get(ws) !== entry) return;
      this.behind.delete(ws);
      if (error || ws.readyState !== OPEN) return;
      ws.send(message({ type: 'caught-up', skippedEvents: entry.skipped }));
    });
  }

  /**
   * Whether an answer may still be queued for this page; when not, says so in the log (the
   * caller then cuts the page off).
   */
  answerFits(ws: EventSocket): boolean {
    const buffered = ws.bufferedAmount;
    if (buffered <= this.maxBufferedBytes * ANSWER_LIMIT_FACTOR) return true;
    const mib = (buffered / (1024 * 1024)).toFixed(1);
    this.log(`tunnelscope web: cut off a page that does not read the answers to its own calls (${mib} MiB waiting to be sent to it).`);
    return false;
  }

  /** Whether a page is behind now. */
  isBehind(ws: EventSocket): boolean {
    return this.behind.has(ws);
  }

  /** A page has gone. */
  forget(ws: EventSocket): void {
    this.behind.delete(ws);
  }
}

function message(value: WebServerMessage): string {
  return JSON.stringify(value);
}
