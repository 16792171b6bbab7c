/**
 * boundDecodedValue (frames:decode values, the detail pane): long strings keep their start,
 * containers past the budget their first entries, each cut listed with its path and what was
 * left out; a value within bounds is the same object.
 */
import { describe, expect, it } from 'vitest';
import { boundDecodedValue } from '../../../src-main/core/decoded-value-bound';
import type { DecodedJson } from '../../../src-main/shared/decoding';
import { DECODED_STRING_CAP, DECODED_VALUE_BUDGET } from '../../../src-main/shared/value-cuts';

describe('boundDecodedValue', () => {
  it('returns a value within bounds as it is, with no cuts', () => {
    const value: DecodedJson = { command: 'MESSAGE', headers: { destination: '/topic/x' }, body: 'hello', n: [1, 2, null, true] };
    const bounded = boundDecodedValue(value);
    expect(bounded.value).toBe(value);
    expect(bounded.cuts).toEqual([]);
  });

  it('cuts a 20 MiB string to its start and says how many UTF-8 bytes are left out, at its path', () => {
    const body = 'a'.repeat(20 * 1024 * 1024 - 3) + 'zzz';
    const value: DecodedJson = { frames: [{ command: 'CONNECTED' }, { command: 'MESSAGE', body, after: 1 }] };
    const { value: out, cuts } = boundDecodedValue(value);
    expect(cuts).toEqual([{ path: ['frames', 1, 'body'], kind: 'string', more: body.length - DECODED_STRING_CAP }]);
    expect(out).toEqual({ frames: [{ command: 'CONNECTED' }, { command: 'MESSAGE', body: body.slice(0, DECODED_STRING_CAP), after: 1 }] });
    // The original is not touched.
    expect(value).toEqual({ frames: [{ command: 'CONNECTED' }, { command: 'MESSAGE', body, after: 1 }] });
    expect(JSON.stringify(out).length).toBeLessThan(DECODED_STRING_CAP + 200);
  });

  it('counts what is left out in UTF-8 bytes and never splits a surrogate pair', () => {
    const text = `${'x'.repeat(9)}😀é${'ü'.repeat(20)}`; // the pair at 9–10
    const { value, cuts } = boundDecodedValue(text, { stringCap: 10, budget: 1000 });
    expect(value).toBe('x'.repeat(9));
    expect(cuts).toEqual([{ path: [], kind: 'string', more: Buffer.byteLength(text) - 9 }]);
  });

  it('cuts the containers open when the budget is spent, keeping the entries before', () => {
    const items = Array.from({ length: 1000 }, (_, i) => ({ id: i, name: `item-${i}` }));
    const { value, cuts } = boundDecodedValue({ items, tail: 'end' }, { stringCap: 100, budget: 500 });
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    const kept = value.items;
    if (!Array.isArray(kept)) throw new Error('items not an array');
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(1000);
    expect(kept).toEqual(items.slice(0, kept.length));
    expect(cuts).toEqual([
      { path: ['items'], kind: 'entries', more: 1000 - kept.length },
      { path: [], kind: 'entries', more: 1 },
    ]);
  });

  it('keeps an own __proto__ key as data when it copies an object', () => {
    const value = JSON.parse('{"__proto__": "p", "long": "' + 'q'.repeat(50) + '"}') as DecodedJson;
    const { value: out } = boundDecodedValue(value, { stringCap: 10, budget: 1000 });
    expect(JSON.stringify(out)).toBe(`{"__proto__":"p","long":"${'q'.repeat(10)}"}`);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it('keeps a value of many short strings within about the budget', () => {
    const value: DecodedJson = Array.from({ length: 100_000 }, (_, i) => `s-${i}-${'w'.repeat(40)}`);
    const { value: out, cuts } = boundDecodedValue(value);
    expect(JSON.stringify(out).length).toBeLessThan(DECODED_VALUE_BUDGET * 1.1);
    expect(cuts).toHaveLength(1);
    expect(cuts[0]?.kind).toBe('entries');
  });
});
