/** Where the log's attempt separators go among the rows on screen. */
import { describe, expect, it } from 'vitest';
import type { AttemptRecord } from '../../../src-main/shared/attempts';
import { separatorRows } from '../../../src-renderer/src/util/attempt-separators';

function record(attempt: number, afterSeq: number, retrying: boolean): AttemptRecord {
  return {
    attempt,
    startedAt: 0,
    endedAt: 0,
    afterSeq,
    outcome: { kind: 'failed', opened: afterSeq > 0, code: null, reason: '', initiatedBy: 'none' },
    next: retrying ? { attempt: attempt + 1, retry: 1, maxRetries: 0, waitMs: 1000, at: 0 } : null,
    ...(retrying ? {} : { stopReason: 'closed by the user' }),
  };
}

/** Seqs 1..count, one per position. */
function list(count: number) {
  return { count, lowerBound: (seq: number) => Math.min(count, Math.max(0, seq - 1)) };
}

const rows = (first: number, last: number) => Array.from({ length: last - first + 1 }, (_, i) => ({ position: first + i, top: (first + i) * 22 }));

describe('separatorRows', () => {
  it('groups attempts that recorded nothing between them into one separator above the first frame', () => {
    const out = separatorRows([record(1, 0, true), record(2, 0, true)], list(4), rows(0, 3), 22);
    expect(out).toEqual([expect.objectContaining({ top: 0, atEnd: false, retrying: true, label: '2 attempts · attempt 2 lost · next in 1.0 s' })]);
    expect(out[0]?.detail.split('\n')).toHaveLength(2);
  });

  it('puts a separator between the frames of two attempts, and one at the end under the last row', () => {
    const out = separatorRows([record(1, 2, true), record(2, 4, false)], list(4), rows(0, 3), 22);
    expect(out.map((s) => [s.top, s.atEnd, s.retrying])).toEqual([
      [44, false, true],
      [88, true, false],
    ]);
  });

  it('leaves out separators whose place is not on screen', () => {
    expect(separatorRows([record(1, 2, true)], list(100), rows(50, 60), 22)).toEqual([]);
  });
});
