import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FrameSummary } from '../../../src-main/shared/model';
import type { Result } from '../../../src-main/shared/result';
import type { SearchResult } from '../../../src-main/shared/search';
import { SearchRunner, searchErrorText, TAIL_INTERVAL_MS, type IndexJob, type SearchCall } from '../../../src-renderer/src/frame-view/search-runner';
import { frames } from '../stores/frame-fixtures';

/** A store of `count` frames where every `every`-th matches; answers after `await`. */
function backend(count: () => number, every = 10) {
  const calls: SearchCall[] = [];
  const cancels: string[] = [];
  let cancelNext = false;
  return {
    calls,
    cancels,
    cancelNext: () => (cancelNext = true),
    search: async (call: SearchCall): Promise<Result<SearchResult>> => {
      calls.push(call);
      await Promise.resolve();
      const last = count();
      const matches: FrameSummary[] = [];
      let nextSeq: number | null = null;
      for (let seq = call.fromSeq; seq <= last; seq++) {
        if (seq % every !== 0) continue;
        matches.push(...frames(seq, seq));
        if (matches.length >= call.limit) {
          nextSeq = seq + 1 <= last ? seq + 1 : null;
          break;
        }
      }
      const cancelled = cancelNext;
      cancelNext = false;
      return { ok: true, value: { searchId: call.searchId, matches: cancelled ? [] : matches, nextSeq, scanned: 0, cancelled, elapsedMs: 0, firstSeq: 1, lastSeq: last, dropped: 0 } };
    },
    cancel: async (_session: string, searchId: string) => {
      cancels.push(searchId);
    },
    remember: () => undefined,
  };
}

async function drain(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SearchRunner', () => {
  it('pages a job to the live end, then scans only the new frames, at most every TAIL_INTERVAL_MS', async () => {
    let last = 12_000;
    const engine = backend(() => last, 2);
    const changes: IndexJob[] = [];
    const runner = new SearchRunner('s1', engine, (job) => changes.push(job), Date.now);
    runner.setRange(1, last);
    const job = runner.setFilter('list', { direction: 'in' });
    await drain();
    expect(job?.index.count).toBe(6000);
    expect(engine.calls.map((c) => c.fromSeq)).toEqual([1, 10_001]);
    expect(job?.caughtUp(last)).toBe(true);

    last = 12_100;
    runner.setRange(1, last);
    await drain();
    // Not yet: the tail waits for its interval.
    expect(engine.calls).toHaveLength(2);
    vi.advanceTimersByTime(TAIL_INTERVAL_MS);
    await drain();
    expect(engine.calls.at(-1)?.fromSeq).toBe(12_001);
    expect(job?.index.count).toBe(6050);
    // One change per scan: the two pages, then the tail.
    expect(changes.length).toBe(3);
  });

  it('runs one search at a time, taking turns between the list and the search', async () => {
    const engine = backend(() => 30_000, 2);
    const runner = new SearchRunner('s1', engine, () => undefined);
    runner.setRange(1, 30_000);
    runner.setFilter('list', { direction: 'in' });
    runner.setFilter('search', { text: 'x' });
    await drain();
    expect(engine.calls.map((c) => c.searchId)).toEqual(['list-1', 'search-2', 'list-1', 'search-2', 'list-1', 'search-2']);
  });

  it('cancels the running search of a replaced job, and retries a page the engine cancelled for someone else', async () => {
    const engine = backend(() => 100);
    const runner = new SearchRunner('s1', engine, () => undefined);
    runner.setRange(1, 100);
    runner.setFilter('search', { text: 'a' });
    runner.setFilter('search', { text: 'b' });
    expect(engine.cancels).toEqual(['search-1']);
    await drain();
    expect(engine.calls.map((c) => c.filter.text)).toEqual(['a', 'b']);
    expect(runner.job('search')?.index.count).toBe(10);

    engine.cancelNext();
    const job = runner.setFilter('search', { text: 'c' });
    await drain();
    expect(engine.calls.filter((c) => c.filter.text === 'c')).toHaveLength(2);
    expect(job?.index.count).toBe(10);
    // The same filter again keeps the job and its work.
    expect(runner.setFilter('search', { text: 'c' })).toBe(job);
  });

  it('keeps the engine’s refusal in words, without the command and path prefix', async () => {
    const runner = new SearchRunner(
      's1',
      {
        search: async () => ({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'frames:search: filter.regex: Invalid regular expression: /(/: Unterminated group', path: 'filter.regex' } }),
        cancel: async () => undefined,
        remember: () => undefined,
      },
      () => undefined,
    );
    runner.setRange(1, 10);
    const job = runner.setFilter('search', { regex: '(' });
    await drain();
    expect(job?.error).toBe('Invalid regular expression: /(/: Unterminated group');
    expect(job?.errorPath).toBe('filter.regex');
    expect(searchErrorText({ code: 'UNKNOWN_SESSION', message: 'no session s9' })).toEqual({ message: 'no session s9', path: null });
  });

  it('forgets matches the engine evicted', async () => {
    const engine = backend(() => 100);
    const runner = new SearchRunner('s1', engine, () => undefined);
    runner.setRange(1, 100);
    const job = runner.setFilter('list', { text: 'x' });
    await drain();
    runner.setRange(51, 100);
    expect(job?.index.seqAt(0)).toBe(60);
    expect(job?.index.count).toBe(5);
  });
});
