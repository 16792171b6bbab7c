/**
 * Which messages a query probe reads (probe-budget.ts): all while it rules out a quarter or more,
 * one in SAMPLE after WINDOW reads that ruled out less, all again once the sampled reads rule out
 * a quarter; and through the probe prefilter and the search, a stream that turns from messages
 * the query matches to messages it does not is still counted as decoding in order counts, with the
 * probe back to reading every message.
 */
import { pack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { MsgpackDecoder } from '../../../src-main/core/decode/msgpack-decoder';
import { ProbeBudget, SAMPLE, WINDOW } from '../../../src-main/core/decode/probe-budget';
import { queryProbePrefilter } from '../../../src-main/core/decode/query-probe';
import { parseDecodedQuery } from '../../../src-main/shared/decoded-query';
import { binary, compareSearches } from './prefilter-harness';

/** How many of `messages` the budget reads, each read noting `ruledOut(i)`. */
function reads(budget: ProbeBudget, messages: number, ruledOut: (i: number) => boolean): number {
  let count = 0;
  for (let i = 0; i < messages; i++) {
    if (!budget.read()) continue;
    count++;
    budget.note(ruledOut(i));
  }
  return count;
}

describe('the probe budget', () => {
  it('reads every message while a quarter or more are ruled out', () => {
    const budget = new ProbeBudget();
    expect(reads(budget, 10 * WINDOW, (i) => i % 4 === 0)).toBe(10 * WINDOW);
  });

  it('reads one message in SAMPLE after a window that ruled out less than a quarter, and every one again after a sampled window that rules out a quarter', () => {
    const budget = new ProbeBudget();
    expect(reads(budget, WINDOW, (i) => i % 5 === 0)).toBe(WINDOW);
    expect(reads(budget, SAMPLE * WINDOW, () => false)).toBe(WINDOW);
    // Resting still: a sampled window that ruled out nothing.
    expect(reads(budget, SAMPLE * WINDOW, () => true)).toBe(WINDOW);
    // That window ruled out every read: every message again.
    expect(reads(budget, WINDOW, () => true)).toBe(WINDOW);
  });
});

describe('a MessagePack stream the query first matches, then does not', () => {
  const messages = [...Array.from({ length: 3000 }, (_, i) => ({ n: 10, i })), ...Array.from({ length: 6000 }, (_, i) => ({ n: 1, i }))].map((value) => binary('in', pack(value)));

  it('is passed over again once the probe rules messages out', () => {
    const parsed = parseDecodedQuery('$.n > 5');
    if (!parsed.ok) throw new Error(parsed.error);
    const rule = queryProbePrefilter('msgpack', parsed.query, 'none');
    if (!rule?.lacks) throw new Error('no probe rule');
    const passed = messages.map((m) => rule.lacks?.(m.bytes, 0, m.bytes.length) === true);
    expect(passed.slice(0, 3000).some(Boolean)).toBe(false);
    // Back to every message within a sampled window (SAMPLE * WINDOW messages), then each passed over.
    expect(passed.slice(3000 + SAMPLE * WINDOW)).toHaveLength(6000 - SAMPLE * WINDOW);
    expect(passed.slice(3000 + SAMPLE * WINDOW).every(Boolean)).toBe(true);
  });

  it('is counted as decoding every frame in order counts', () => {
    for (const { label, expected, got } of compareSearches(messages, 'msgpack', 'ws://h/', () => new MsgpackDecoder(), [{ query: '$.n > 5' }, { query: '$.n < 5' }])) {
      expect(got, label).toEqual(expected);
    }
  });
});
