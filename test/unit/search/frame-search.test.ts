import { describe, expect, it } from 'vitest';
import { compileFilter, type CompiledFilter } from '../../../src-main/core/search/compile-filter';
import { searchFrames, type SearchPlan } from '../../../src-main/core/search/frame-search';
import { SearchRegistry } from '../../../src-main/core/search/search-registry';
import { FrameStore, encodeClosePayload } from '../../../src-main/core/session/frame-store';
import type { FrameFilter } from '../../../src-main/shared/search';

const text = (s: string): Buffer => Buffer.from(s, 'utf8');

/** A small log with every kind of frame. */
function sampleStore(): FrameStore {
  const store = new FrameStore();
  store.push('out', 'text', text('hello world')); // 1
  store.push('in', 'text', text('{"type":"tick","price":5}')); // 2
  store.push('in', 'binary', Buffer.concat([Buffer.from([0, 0xff]), text('HELLO'), Buffer.from([0xfe])])); // 3
  store.push('out', 'ping', text('p1')); // 4
  store.push('in', 'pong', text('p1')); // 5
  store.push('in', 'text', text('Grüße aus Köln')); // 6
  store.push('in', 'text', text('{"type":"trade","price":50,"items":[1,2]}')); // 7
  store.push('in', 'close', encodeClosePayload(1000, 'bye hello')); // 8
  store.push('out', 'text', text('')); // 9
  return store;
}

function compiled(filter: FrameFilter): CompiledFilter {
  const result = compileFilter(filter);
  if (!result.ok) throw new Error(`${result.problem.path}: ${result.problem.message}`);
  return result.filter;
}

const never = { cancelled: () => false };

async function seqs(store: FrameStore, filter: FrameFilter, plan: Partial<SearchPlan> = {}): Promise<number[]> {
  const result = await searchFrames(store, compiled(filter), { searchId: 's', limit: 1000, ...plan }, never);
  return result.matches.map((m) => m.seq);
}

describe('search filters', () => {
  const store = sampleStore();

  it.each<[string, FrameFilter, number[]]>([
    ['no criteria: everything', {}, [1, 2, 3, 4, 5, 6, 7, 8, 9]],
    ['direction out', { direction: 'out' }, [1, 4, 9]],
    ['direction in', { direction: 'in' }, [2, 3, 5, 6, 7, 8]],
    ['opcodes', { opcodes: ['ping', 'pong'] }, [4, 5]],
    ['opcodes and direction', { opcodes: ['text'], direction: 'in' }, [2, 6, 7]],
    ['size range', { minSize: 11, maxSize: 25 }, [1, 2, 6, 8]],
    ['empty payloads', { maxSize: 0 }, [9]],
    ['text, case-sensitive (binary frames and close reasons too)', { text: 'hello' }, [1, 8]],
    ['text, case-insensitive', { text: 'HELLO', ignoreCase: true }, [1, 3, 8]],
    ['text with non-ASCII, case-sensitive', { text: 'Köln' }, [6]],
    ['text with non-ASCII, case-insensitive', { text: 'GRÜSSE', ignoreCase: true }, []],
    ['text with non-ASCII, case-insensitive (same letters)', { text: 'GRÜßE', ignoreCase: true }, [6]],
    ['text never matches an empty payload', { text: 'e' }, [1, 2, 6, 7, 8]],
    ['regex', { regex: '"price":\\d{2}' }, [7]],
    ['regex, case-insensitive', { regex: '^HELLO\\b', ignoreCase: true }, [1]],
    ['regex on a non-ASCII frame', { regex: 'ü.e' }, [6]],
    ['regex matching the empty payload', { regex: '^$' }, [9]],
    ['regex: the close code bytes are not part of the reason', { regex: '^bye' }, [8]],
    ['jsonPath', { jsonPath: '$.type' }, [2, 7]],
    ['jsonPath with a filter', { jsonPath: '$.items[?(@ > 1)]' }, [7]],
    ['jsonPath ignores non-text frames and non-JSON text', { jsonPath: '$' }, [2, 7]],
    ['every criterion at once', { direction: 'in', opcodes: ['text'], minSize: 10, text: 'type', regex: 'tr.de', jsonPath: '$.price' }, [7]],
  ])('%s', async (_name, filter, expected) => {
    expect(await seqs(store, filter)).toEqual(expected);
  });

  it('returns summaries for the matches', async () => {
    const result = await searchFrames(store, compiled({ opcodes: ['close'] }), { searchId: 'x', limit: 10 }, never);
    expect(result.matches[0]).toMatchObject({ seq: 8, opcode: 'close', closeCode: 1000, closeReason: 'bye hello' });
    expect(result).toMatchObject({ searchId: 'x', nextSeq: null, cancelled: false, scanned: 9, firstSeq: 1, lastSeq: 9, dropped: 0 });
  });
});

describe('filter errors', () => {
  it.each<[FrameFilter, string, string]>([
    [{ regex: '(' }, 'filter.regex', 'not a valid regular expression'],
    [{ regex: '(a)\\1' }, 'filter.regex', 'backreference'],
    [{ jsonPath: 'type' }, 'filter.jsonPath', 'starts with $'],
    [{ jsonPath: '$.a[?(@.b >)]' }, 'filter.jsonPath', 'does not parse'],
  ])('%j → %s', (filter, path, words) => {
    const result = compileFilter(filter);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem.path).toBe(path);
      expect(result.problem.message).toContain(words);
    }
  });
});

describe('paging', () => {
  const big = new FrameStore();
  for (let i = 1; i <= 2000; i++) big.push(i % 2 ? 'in' : 'out', 'text', text(i % 7 === 0 ? `match ${i}` : `other ${i}`));
  const every7 = Array.from({ length: 285 }, (_, k) => (k + 1) * 7);

  it('pages forward with a cursor until the end', async () => {
    const found: number[] = [];
    let fromSeq: number | undefined;
    let pages = 0;
    for (;;) {
      const result = await searchFrames(big, compiled({ text: 'match' }), { searchId: 'p', limit: 100, ...(fromSeq ? { fromSeq } : {}) }, never);
      found.push(...result.matches.map((m) => m.seq));
      pages += 1;
      if (result.nextSeq === null) break;
      fromSeq = result.nextSeq;
    }
    expect(pages).toBe(3);
    expect(found).toEqual(every7);
  });

  it('pages backward (previous match) from a seq', async () => {
    const result = await searchFrames(big, compiled({ text: 'match' }), { searchId: 'b', limit: 3, fromSeq: 700, backward: true }, never);
    expect(result.matches.map((m) => m.seq)).toEqual([700, 693, 686]);
    expect(result.nextSeq).toBe(685);
    const previous = await searchFrames(big, compiled({ text: 'match' }), { searchId: 'b', limit: 1, fromSeq: 6, backward: true }, never);
    expect(previous.matches).toEqual([]);
    expect(previous.nextSeq).toBeNull();
  });

  it('counts every match with countAll while returning one page', async () => {
    const result = await searchFrames(big, compiled({ text: 'match' }), { searchId: 'c', limit: 10, countAll: true }, never);
    expect(result.matches).toHaveLength(10);
    expect(result.total).toBe(285);
    expect(result.nextSeq).toBe(71);
    expect(result.scanned).toBe(2000);
  });

  it('works in small time slices (yielding between them) with the same result', async () => {
    const result = await searchFrames(big, compiled({ regex: 'match \\d+' }), { searchId: 'y', limit: 1000 }, { cancelled: () => false, sliceMs: 0 });
    expect(result.matches.map((m) => m.seq)).toEqual(every7);
  });

  it('skips frames evicted while it runs and never fails on them', async () => {
    const store = new FrameStore({ maxFrames: 1000 });
    for (let i = 1; i <= 1000; i++) store.push('in', 'text', text(`m ${i}`));
    let slices = 0;
    const result = await searchFrames(store, compiled({ text: 'm ' }), { searchId: 'e', limit: 5000 }, {
      sliceMs: 0,
      cancelled: () => {
        // Between slices the session keeps capturing: each slice, 300 more frames evict 300 old ones.
        slices += 1;
        for (let i = 0; i < 300; i++) store.push('in', 'text', text('m new'));
        return false;
      },
    });
    expect(slices).toBeGreaterThan(1);
    const found = result.matches.map((m) => m.seq);
    expect(found.every((seq, i) => i === 0 || seq > (found[i - 1] ?? 0))).toBe(true);
    expect(found.every((seq) => seq <= 1000)).toBe(true); // the range was fixed when the search began
    expect(result.dropped).toBeGreaterThan(0);
  });
});

describe('cancelling', () => {
  const big = new FrameStore();
  for (let i = 1; i <= 5000; i++) big.push('in', 'text', text(`{"n":${i}}`));

  it('stops at the next slice when cancelled, saying so', async () => {
    let polls = 0;
    const result = await searchFrames(big, compiled({ jsonPath: '$.n' }), { searchId: 'c', limit: 5000 }, {
      sliceMs: 0,
      cancelled: () => ++polls > 2,
    });
    expect(result.cancelled).toBe(true);
    expect(result.matches.length).toBeLessThan(5000);
    expect(result.total).toBeUndefined();
  });

  it('a new search of the same session cancels the previous one; cancel by id; cancel all of a session', () => {
    const registry = new SearchRegistry();
    const first = registry.begin('s1', 'a');
    const other = registry.begin('s2');
    const second = registry.begin('s1', 'b');
    expect(first.cancelled).toBe(true);
    expect(second.cancelled).toBe(false);
    expect(other.searchId).toMatch(/^search-\d+$/);
    expect(registry.cancel('s1', 'a')).toBe(false); // already cancelled, no longer running
    expect(registry.cancel('s1', 'nope')).toBe(false);
    expect(registry.cancel('s1', 'b')).toBe(true);
    expect(second.cancelled).toBe(true);
    registry.cancelSession('s2');
    expect(other.cancelled).toBe(true);
    registry.end(other);
    expect(registry.cancel('s2', other.searchId)).toBe(false);
  });
});
