/** Where the log's attempt separators go among the rows on screen, over the rows or in bands of their own. */
import { describe, expect, it } from 'vitest';
import type { AttemptRecord } from '../../../src-main/shared/attempts';
import { separatorPlaces, separatorRows } from '../../../src-renderer/src/util/attempt-separators';

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

  it('gives one separator to attempts the filters leave with no row between them', () => {
    // Seqs 1..4 at positions 0..3 with 3 filtered out: after 2 and after 3 are one place.
    const filtered = { count: 3, lowerBound: (seq: number) => [1, 2, 4].filter((s) => s < seq).length };
    const out = separatorRows([record(1, 2, true), record(2, 3, true)], filtered, rows(0, 2), 22);
    expect(out.map((s) => [s.top, s.label])).toEqual([[44, '2 attempts · attempt 2 lost · next in 1.0 s']]);
    expect(separatorPlaces([record(1, 2, true), record(2, 3, true)], filtered)).toEqual([2]);
  });
});

describe('after Now (the user cut the wait short)', () => {
  it('the label says the next attempt started at once, the detail when, not the planned wait', () => {
    const planned = { attempt: 2, retry: 1, maxRetries: 5, waitMs: 24_700, at: 1_000_000 + 24_700 };
    const waiting = { ...record(1, 2, true), next: planned };
    expect(separatorRows([waiting], list(4), rows(0, 3), 22)[0]?.label).toBe('attempt 1 lost · next in 24.7 s');
    const now = { ...waiting, next: { ...planned, cutShortAt: 1_000_000 + 3_100 } };
    const [row] = separatorRows([now], list(4), rows(0, 3), 22);
    expect(row?.label).toBe('attempt 1 lost · next at once (Now)');
    expect(row?.detail).toBe('attempt 1 lost · reconnect 1 of 5 at once (Now, 3.1 s into the 24.7 s wait)');
    expect(row?.retrying).toBe(true);
  });
});

describe('with bands', () => {
  const BAND = 20;
  /** Rows laid out with a band above each of `places` (as the log's geometry does). */
  function banded(first: number, last: number, places: readonly number[]) {
    return Array.from({ length: last - first + 1 }, (_, i) => {
      const position = first + i;
      return { position, top: position * 22 + places.filter((p) => p <= position).length * BAND };
    });
  }

  it('the places are ascending and distinct: above the first row, between attempts, below the last', () => {
    const attempts = [record(1, 0, true), record(2, 0, true), record(3, 2, true), record(4, 4, false)];
    expect(separatorPlaces(attempts, list(4))).toEqual([0, 2, 4]);
    expect(separatorPlaces([], list(4))).toEqual([]);
    // No frames yet: the failed attempts still have their place.
    expect(separatorPlaces([record(1, 0, true)], list(0))).toEqual([0]);
  });

  it('each separator fills the band above its row (or below the last row), not the rows', () => {
    const attempts = [record(1, 0, true), record(2, 2, true), record(3, 4, false)];
    const places = separatorPlaces(attempts, list(4));
    const laid = banded(0, 3, places);
    const out = separatorRows(attempts, list(4), laid, 22, BAND);
    expect(out.map((s) => [s.top, s.atEnd])).toEqual([
      [0, false],
      [20 + 44, false],
      [2 * 20 + 88, true],
    ]);
    // No band overlaps a row: each ends where its row starts, or starts where the last row ends.
    for (const separator of out) {
      for (const row of laid) expect(separator.top + BAND <= row.top || separator.top >= row.top + 22).toBe(true);
    }
  });

  it('an empty log has its band at the top', () => {
    expect(separatorRows([record(1, 0, true)], list(0), [], 22, BAND).map((s) => [s.top, s.atEnd])).toEqual([[0, false]]);
  });
});
