/**
 * Bytes in flight per page, against a fake socket whose send buffer the test sets and whose
 * write callbacks the test runs: under the limit every event goes out; over it one `behind`
 * notice and nothing more; once that notice is written out, `caught-up` with the count.
 */
import { describe, expect, it } from 'vitest';
import { ANSWER_LIMIT_FACTOR, EventBacklog, type EventSocket } from '../../../src-main/web/event-backlog';

class FakeSocket implements EventSocket {
  bufferedAmount = 0;
  readyState = 1;
  readonly sent: string[] = [];
  readonly callbacks: ((error?: Error) => void)[] = [];
  send(data: string, callback?: (error?: Error) => void): void {
    this.sent.push(data);
    if (callback) this.callbacks.push(callback);
  }
  /** The socket wrote out everything queued so far. */
  drain(): void {
    this.bufferedAmount = 0;
    for (const callback of this.callbacks.splice(0)) callback();
  }
}

const event = (n: number): string => JSON.stringify({ type: 'event', event: { n } });

function setup(limit = 1000): { backlog: EventBacklog; ws: FakeSocket; lines: string[] } {
  const lines: string[] = [];
  return { backlog: new EventBacklog(limit, (line) => lines.push(line)), ws: new FakeSocket(), lines };
}

describe('EventBacklog', () => {
  it('sends every event while the buffer is at or under the limit', () => {
    const { backlog, ws, lines } = setup();
    backlog.push(ws, event(1));
    ws.bufferedAmount = 1000;
    backlog.push(ws, event(2));
    expect(ws.sent).toEqual([event(1), event(2)]);
    expect(backlog.isBehind(ws)).toBe(false);
    expect(lines).toEqual([]);
  });

  it('over the limit: one behind notice, then nothing, then caught-up with the count once the notice is written out', () => {
    const { backlog, ws, lines } = setup();
    ws.bufferedAmount = 5 * 1024 * 1024;
    backlog.push(ws, event(1));
    backlog.push(ws, event(2));
    backlog.push(ws, event(3));
    expect(ws.sent).toEqual([JSON.stringify({ type: 'behind', bufferedBytes: 5 * 1024 * 1024 })]);
    expect(backlog.isBehind(ws)).toBe(true);
    expect(lines).toEqual(['tunnelscope web: a page fell behind (5.0 MiB waiting to be sent to it); it gets no events until that has gone out, then catches up.']);

    ws.drain();
    expect(ws.sent.at(-1)).toBe(JSON.stringify({ type: 'caught-up', skippedEvents: 3 }));
    expect(backlog.isBehind(ws)).toBe(false);
    backlog.push(ws, event(4));
    expect(ws.sent.at(-1)).toBe(event(4));
  });

  it('falls behind again when the buffer is over the limit again', () => {
    const { backlog, ws, lines } = setup();
    ws.bufferedAmount = 2000;
    backlog.push(ws, event(1));
    ws.drain();
    ws.bufferedAmount = 3000;
    backlog.push(ws, event(2));
    expect(ws.sent.filter((text) => text.includes('"behind"'))).toHaveLength(2);
    expect(lines).toHaveLength(2);
  });

  it('sends no caught-up to a page that closed meanwhile, or when the write failed', () => {
    const closed = setup();
    closed.ws.bufferedAmount = 2000;
    closed.backlog.push(closed.ws, event(1));
    closed.ws.readyState = 3;
    closed.ws.drain();
    expect(closed.ws.sent).toHaveLength(1);
    expect(closed.backlog.isBehind(closed.ws)).toBe(false);

    const failed = setup();
    failed.ws.bufferedAmount = 2000;
    failed.backlog.push(failed.ws, event(1));
    failed.ws.callbacks[0]?.(new Error('write EPIPE'));
    expect(failed.ws.sent).toHaveLength(1);
  });

  it('a page that is not open gets nothing, and a forgotten page is no longer behind', () => {
    const { backlog, ws } = setup();
    ws.readyState = 0;
    backlog.push(ws, event(1));
    expect(ws.sent).toEqual([]);
    ws.readyState = 1;
    ws.bufferedAmount = 2000;
    backlog.push(ws, event(2));
    backlog.forget(ws);
    expect(backlog.isBehind(ws)).toBe(false);
    // The old notice's callback does not send a caught-up for the forgotten episode.
    ws.drain();
    expect(ws.sent.some((text) => text.includes('caught-up'))).toBe(false);
  });

  it('each page has its own state', () => {
    const { backlog } = setup();
    const slow = new FakeSocket();
    const fast = new FakeSocket();
    slow.bufferedAmount = 2000;
    backlog.push(slow, event(1));
    backlog.push(fast, event(1));
    expect(backlog.isBehind(slow)).toBe(true);
    expect(fast.sent).toEqual([event(1)]);
  });
});

describe('answers to the page\'s own calls', () => {
  it('fit up to ANSWER_LIMIT_FACTOR times the limit, behind or not', () => {
    const { backlog, ws, lines } = setup(1000);
    ws.bufferedAmount = 1000 * ANSWER_LIMIT_FACTOR;
    backlog.push(ws, event(1));
    expect(backlog.isBehind(ws)).toBe(true);
    expect(backlog.answerFits(ws)).toBe(true);
    expect(lines).toHaveLength(1);
  });

  it('do not fit past it, and the log says the page is cut off', () => {
    const { backlog, ws, lines } = setup(1000);
    ws.bufferedAmount = 1000 * ANSWER_LIMIT_FACTOR + 1;
    expect(backlog.answerFits(ws)).toBe(false);
    expect(lines).toEqual([expect.stringContaining('cut off a page that does not read the answers to its own calls')]);
  });
});
