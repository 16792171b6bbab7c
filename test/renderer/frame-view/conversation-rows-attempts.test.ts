// The detail pane's conversation list across reconnect attempts: an answer is timed only from a
// request in its own attempt (a new attempt is a new connection; ids such as a GraphQL operation
// "1" start again there), and one whose only request is in an earlier attempt names it instead.
import { describe, expect, it } from 'vitest';
import type { AttemptRecord } from '../../../src-main/shared/attempts';
import type { DecodedFrame } from '../../../src-main/shared/decoding';
import { conversationRows, requestPlace } from '../../../src-renderer/src/frame-view/conversation-rows';
import { attemptOfFrame, currentAttemptStart } from '../../../src-renderer/src/util/attempt-of-frame';
import { frames } from '../stores/frame-fixtures';

function ended(attempt: number, afterSeq: number): AttemptRecord {
  return { attempt, startedAt: 0, endedAt: 0, afterSeq, outcome: { kind: 'failed', opened: attempt !== 2, code: null, reason: '', initiatedBy: 'none' }, next: null };
}

const KEY = 'graphql operation 1';
const ref = (role: 'request' | 'answer' | 'stream') => ({ key: KEY, role, label: 'operation 1' });
function op(seq: number, role: 'request' | 'answer' | 'stream', summary: string): [number, DecodedFrame] {
  return [seq, { seq, kind: 'decoded', protocol: 'graphql-ws', summary, conversation: ref(role) }];
}

// Attempt 1: frames 1..4 (subscribe 1 at #2, next at #3); attempt 2 recorded nothing (a refused
// connection); attempt 3: frames 5.. (the server answers operation 1 at #6 without a new subscribe,
// then the client subscribes 1 again at #7 and it completes at #8).
const attempts = [ended(1, 4), ended(2, 4)];
const list = frames(1, 8, (seq) => ({ at: 1000 + seq * 100, preview: `p${seq}` }));
const decoded = new Map<number, DecodedFrame>([op(2, 'request', 'subscribe 1'), op(3, 'stream', 'next 1'), op(6, 'stream', 'next 1'), op(7, 'request', 'subscribe 1'), op(8, 'answer', 'complete 1')]);
const listed = list.filter((f) => [2, 3, 6, 7, 8].includes(f.seq));

describe('the attempt a frame is in', () => {
  it('is the first ended attempt that reaches it, else the one under way', () => {
    expect([1, 4, 5, 9].map((seq) => attemptOfFrame(seq, attempts))).toEqual([1, 1, 3, 3]);
    expect(attemptOfFrame(7, [])).toBe(1);
    // An attempt that recorded nothing before the first frame (afterSeq 0).
    expect([1, 2].map((seq) => attemptOfFrame(seq, [ended(1, 0)]))).toEqual([2, 2]);
    expect(currentAttemptStart(attempts)).toBe(5);
    expect(currentAttemptStart([])).toBe(1);
  });
});

describe('conversation rows across reconnect attempts', () => {
  it('times an answer only from a request in its attempt; one whose request is in an earlier attempt has none and names it', () => {
    const rows = conversationRows(listed, decoded, KEY, attempts);
    expect(rows.map((r) => [r.seq, r.attempt, r.role, r.latencyMs, r.sinceRequestMs, r.requestElsewhere])).toEqual([
      [2, 1, 'request', null, null, null],
      // A stream item: its time since the subscribe is kept apart, never a latency.
      [3, 1, 'stream', null, 100, null],
      // Was +400 ms, timed from #2 across the reconnect.
      [6, 3, 'stream', null, null, { seq: 2, attempt: 1 }],
      [7, 3, 'request', null, null, null],
      [8, 3, 'answer', 100, null, null],
    ]);
    // Without attempts (a connection that never reconnected) every frame is timed as before.
    const whole = conversationRows(listed, decoded, KEY);
    expect(whole.map((r) => r.latencyMs)).toEqual([null, null, null, null, 100]);
    expect(whole.map((r) => r.sinceRequestMs)).toEqual([null, 100, 400, null, null]);
  });

  it('says where the request of a frame is: in its attempt, only in an earlier one, none, or not known yet', () => {
    const rows = conversationRows(listed, decoded, KEY, attempts);
    expect(requestPlace(rows, 3, false, attempts)).toEqual({ kind: 'here' });
    expect(requestPlace(rows, 6, false, attempts)).toEqual({ kind: 'elsewhere', seq: 2, attempt: 1 });
    expect(requestPlace(rows, 8, false, attempts)).toEqual({ kind: 'here' });
    expect(requestPlace(rows.slice(2), 6, false, attempts)).toEqual({ kind: 'none' });
    // A frame past a cut list: not known.
    expect(requestPlace(rows.slice(0, 2), 6, true, attempts)).toBeNull();
    // Past a whole list: what is before it counts.
    expect(requestPlace(rows.slice(0, 2), 6, false, attempts)).toEqual({ kind: 'elsewhere', seq: 2, attempt: 1 });
  });
});
