/** The renderer's frame window: the bounded summary cache, the match index and flow control. */
import { describe, expect, it, vi } from 'vitest';
import { AckSender } from '../../../src-renderer/src/stores/ack-sender';
import { MatchIndex } from '../../../src-renderer/src/frame-view/match-index';
import { ABSENT_RETRY_MS, DEFAULT_CACHE_CAPACITY, SummaryCache } from '../../../src-renderer/src/stores/summary-cache';
import { frame, frames } from './frame-fixtures';

describe('SummaryCache', () => {
  it('keeps at most its capacity (plus 10 % slack), dropping the oldest first', () => {
    const cache = new SummaryCache(100);
    cache.putMany(frames(1, 110));
    expect(cache.size).toBe(110);
    cache.putMany([frame(111)]);
    expect(cache.size).toBe(100);
    expect(cache.has(11)).toBe(false);
    expect(cache.has(12)).toBe(true);
    expect(cache.get(111)?.seq).toBe(111);
  });

  it('never evicts the rows on screen', () => {
    const cache = new SummaryCache(100);
    cache.putMany(frames(1, 50));
    cache.protect(new Set([1, 2, 3]));
    cache.putMany(frames(51, 200));
    expect(cache.has(1) && cache.has(2) && cache.has(3)).toBe(true);
    expect(cache.has(4)).toBe(false);
    expect(cache.size).toBeLessThanOrEqual(110);
  });

  it('a re-put frame counts as new', () => {
    const cache = new SummaryCache(10);
    cache.putMany(frames(1, 10));
    cache.putMany([frame(1)]);
    cache.putMany(frames(11, 12));
    expect(cache.has(1)).toBe(true);
    expect(cache.has(2)).toBe(false);
  });

  it('keeps the newest `capacity` frames of a live stream in its ring', () => {
    const cache = new SummaryCache(100);
    cache.putLive(frames(1, 250));
    expect(cache.size).toBe(100);
    expect(cache.has(150)).toBe(false);
    expect(cache.get(151)?.seq).toBe(151);
    expect(cache.get(250)?.seq).toBe(250);
    // A page of older frames lives beside the ring, evicted oldest first.
    cache.putMany(frames(10, 12));
    expect(cache.get(11)?.seq).toBe(11);
    expect(cache.size).toBe(103);
  });

  it('moves a row on screen out of the ring before a newer frame takes its slot', () => {
    const cache = new SummaryCache(100);
    cache.putLive(frames(1, 100));
    cache.protect(new Set([5, 6]));
    cache.putLive(frames(101, 300));
    expect(cache.get(5)?.seq).toBe(5);
    expect(cache.get(6)?.seq).toBe(6);
    expect(cache.has(7)).toBe(false);
    expect(cache.get(205)?.seq).toBe(205);
  });

  it('answers for no live frame below what the engine evicted, and counts what it holds', () => {
    const cache = new SummaryCache(100);
    cache.putLive(frames(1, 50));
    cache.dropBelow(41);
    expect(cache.has(40)).toBe(false);
    expect(cache.get(41)?.seq).toBe(41);
    expect(cache.size).toBe(10);
    // A slot below the floor that a new frame takes counts again.
    cache.putLive(frames(51, 110));
    expect(cache.size).toBe(70);
    expect(cache.get(110)?.seq).toBe(110);
  });

  it('a live frame settles a page that was asked for it', () => {
    const cache = new SummaryCache(100);
    expect(cache.planFetch([7, 8])).toEqual([{ fromSeq: 7, limit: 2 }]);
    cache.putLive(frames(7, 8));
    expect(cache.planFetch([7, 8])).toEqual([]);
    expect(cache.planFetch([9])).toEqual([{ fromSeq: 9, limit: 1 }]);
  });

  it('refuses a capacity that is no whole number from 1', () => {
    expect(() => new SummaryCache(0)).toThrow(/capacity must be a whole number from 1 \(got 0\)/);
  });

  it('plans pages for what is missing, joining near seqs and never asking twice', () => {
    let now = 0;
    const cache = new SummaryCache(DEFAULT_CACHE_CAPACITY, () => now);
    cache.putMany(frames(5, 6));
    expect(cache.planFetch([1, 2, 3, 4, 5, 6, 7, 8, 100, 101, 5000])).toEqual([
      { fromSeq: 1, limit: 8 },
      { fromSeq: 100, limit: 2 },
      { fromSeq: 5000, limit: 1 },
    ]);
    // Already on their way.
    expect(cache.planFetch([1, 2, 100])).toEqual([]);
    // The page came back without 100 and 101 (evicted meanwhile): not asked for again at once…
    cache.settle(100, 2);
    expect(cache.planFetch([100])).toEqual([]);
    // …but after a while.
    now += ABSENT_RETRY_MS;
    expect(cache.planFetch([100])).toEqual([{ fromSeq: 100, limit: 1 }]);
    // What a page did bring is simply there.
    cache.putMany(frames(1, 8));
    cache.settle(1, 8);
    expect(cache.planFetch([1, 8])).toEqual([]);
  });

  it('splits a long run into pages of at most maxLimit', () => {
    const cache = new SummaryCache();
    const wanted = Array.from({ length: 25 }, (_, i) => i + 1);
    expect(cache.planFetch(wanted, 32, 10)).toEqual([
      { fromSeq: 1, limit: 10 },
      { fromSeq: 11, limit: 10 },
      { fromSeq: 21, limit: 5 },
    ]);
  });

  it('forgets frames the engine evicted', () => {
    const cache = new SummaryCache();
    cache.putMany(frames(1, 20));
    cache.dropBelow(11);
    expect(cache.has(10)).toBe(false);
    expect(cache.has(11)).toBe(true);
    expect(cache.size).toBe(10);
  });
});

describe('MatchIndex', () => {
  it('maps positions to seqs and back', () => {
    const index = new MatchIndex();
    index.append([3, 7, 9, 20]);
    expect(index.count).toBe(4);
    expect(index.seqAt(0)).toBe(3);
    expect(index.seqAt(3)).toBe(20);
    expect(index.seqAt(4)).toBeUndefined();
    expect(index.positionOf(9)).toBe(2);
    expect(index.positionOf(8)).toBe(-1);
    expect(index.lowerBound(8)).toBe(2);
    expect(index.lastSeq).toBe(20);
  });

  it('skips seqs it already has (a rescanned tail)', () => {
    const index = new MatchIndex();
    expect(index.append([1, 5])).toBe(2);
    expect(index.append([5, 6, 2, 8])).toBe(2);
    expect([0, 1, 2, 3].map((p) => index.seqAt(p))).toEqual([1, 5, 6, 8]);
  });

  it('finds the match after and before a seq (search steps)', () => {
    const index = new MatchIndex();
    index.append([10, 20, 30]);
    expect(index.after(10)).toBe(20);
    expect(index.after(15)).toBe(20);
    expect(index.after(30)).toBeUndefined();
    expect(index.before(20)).toBe(10);
    expect(index.before(10)).toBeUndefined();
    expect(index.has(20)).toBe(true);
  });

  it('drops the evicted front without moving what remains', () => {
    const index = new MatchIndex();
    index.append(Array.from({ length: 5000 }, (_, i) => i * 2 + 1));
    expect(index.dropBelow(4001)).toBe(2000);
    expect(index.count).toBe(3000);
    expect(index.seqAt(0)).toBe(4001);
    expect(index.positionOf(4003)).toBe(1);
    expect(index.dropBelow(4001)).toBe(0);
    expect(index.dropBelow(8001)).toBe(2000);
    expect(index.seqAt(0)).toBe(8001);
    expect(index.count).toBe(1000);
  });

  it('holds a million matches as plain numbers', () => {
    const index = new MatchIndex();
    const seqs = new Array<number>(1_000_000);
    for (let i = 0; i < seqs.length; i++) seqs[i] = i + 1;
    index.append(seqs);
    expect(index.count).toBe(1_000_000);
    expect(index.positionOf(765_432)).toBe(765_431);
  });
});

describe('AckSender (flow control)', () => {
  it('acknowledges what was taken in, one acknowledgement in flight per session', async () => {
    const answers: (() => void)[] = [];
    const send = vi.fn((_session: string, _seq: number) => new Promise<void>((resolve) => answers.push(resolve)));
    const acks = new AckSender(send);
    acks.ingested('s1', 500);
    acks.ingested('s1', 1000);
    acks.ingested('s1', 1500);
    expect(send.mock.calls).toEqual([['s1', 500]]);
    answers.shift()?.();
    await Promise.resolve();
    await Promise.resolve();
    // Everything that arrived meanwhile goes in one acknowledgement.
    expect(send.mock.calls).toEqual([
      ['s1', 500],
      ['s1', 1500],
    ]);
    expect(acks.acknowledged('s1')).toBe(1500);
  });

  it('keeps sessions apart, ignores old seqs and goes on after a failed acknowledgement', async () => {
    const send = vi.fn(() => Promise.reject(new Error('gone')));
    const acks = new AckSender(send);
    acks.ingested('a', 10);
    acks.ingested('b', 3);
    acks.ingested('a', 5);
    expect(send).toHaveBeenCalledTimes(2);
    await Promise.resolve();
    await Promise.resolve();
    acks.ingested('a', 20);
    expect(send).toHaveBeenCalledTimes(3);
    acks.forget('a');
    expect(acks.acknowledged('a')).toBe(0);
  });
});
