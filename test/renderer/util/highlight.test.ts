import { describe, expect, it } from 'vitest';
import { highlightPattern, highlightSegments } from '../../../src-renderer/src/util/highlight';
import { niceCeiling, sparklinePath } from '../../../src-renderer/src/util/sparkline';

const text = (query: string, caseSensitive = false) => highlightPattern({ query, mode: 'text', caseSensitive });
const regex = (query: string, caseSensitive = false) => highlightPattern({ query, mode: 'regex', caseSensitive });

describe('highlighting a search in a preview', () => {
  it('marks every hit of a plain text, case-insensitively by default, with regex characters taken literally', () => {
    expect(highlightSegments('Error: error (x.y)', text('error'))).toEqual([
      { text: 'Error', match: true },
      { text: ': ', match: false },
      { text: 'error', match: true },
      { text: ' (x.y)', match: false },
    ]);
    expect(highlightSegments('a.b axb', text('a.b'))).toEqual([
      { text: 'a.b', match: true },
      { text: ' axb', match: false },
    ]);
    expect(highlightSegments('Error error', text('error', true))).toEqual([
      { text: 'Error ', match: false },
      { text: 'error', match: true },
    ]);
  });

  it('marks what a regular expression matches', () => {
    expect(highlightSegments('{"op":"tick","n":12}', regex('"n":\\d+'))).toEqual([
      { text: '{"op":"tick",', match: false },
      { text: '"n":12', match: true },
      { text: '}', match: false },
    ]);
  });

  it('leaves the text whole when nothing matches, for JSONPath, a bad pattern, or empty matches', () => {
    expect(highlightSegments('hello', text('bye'))).toEqual([{ text: 'hello', match: false }]);
    expect(highlightPattern({ query: '$.op', mode: 'jsonpath', caseSensitive: false })).toBeNull();
    expect(regex('(')).toBeNull();
    expect(highlightSegments('hello', regex('x*'))).toEqual([{ text: 'hello', match: false }]);
    expect(highlightSegments('', text('a'))).toEqual([{ text: '', match: false }]);
  });

  it('marks at most 20 hits in one preview', () => {
    const segments = highlightSegments('a'.repeat(50), text('a'));
    expect(segments.filter((s) => s.match)).toHaveLength(20);
    expect(segments.map((s) => s.text).join('')).toBe('a'.repeat(50));
  });
});

describe('the throughput sparkline', () => {
  it('rounds the scale up to 1, 2 or 5 × 10ⁿ', () => {
    expect(niceCeiling(0)).toBe(1);
    expect(niceCeiling(3)).toBe(5);
    expect(niceCeiling(49_000)).toBe(50_000);
    expect(niceCeiling(50_001)).toBe(100_000);
    expect(niceCeiling(120)).toBe(200);
  });

  it('draws the values left to right, the maximum at the top', () => {
    expect(sparklinePath([0, 5, 10], 100, 21, 10)).toBe('M0,20.5L50,10.5L100,0.5');
    expect(sparklinePath([], 100, 20, 10)).toBe('');
    expect(sparklinePath([4], 100, 21, 0)).toBe('M100,20.5');
  });
});
