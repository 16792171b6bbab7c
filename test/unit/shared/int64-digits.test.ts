// 64-bit integers shown as digits (QA D8): their marks are invisible to everything but a query,
// and a query compares them with numbers exactly, with text as text.
import { describe, expect, it } from 'vitest';
import { compareInt64, decimalFraction, hasInt64, holdsForInt64, int64Selected, isInt64, markInt64, type Int64Test } from '../../../src-main/shared/int64-digits';

const U64_MAX = 2n ** 64n - 1n;
const I64_MIN = -(2n ** 63n);
const OPS = ['==', '!=', '<', '<=', '>', '>='] as const;

/** A number literal's test as the parser makes it (value and text). */
function numberTest(op: (typeof OPS)[number], text: string): Int64Test {
  return { op, value: Number(text), numberText: text };
}

/** The exact answer, from the literal's text as a fraction (reference, written independently of the code). */
function exactly(value: bigint, op: (typeof OPS)[number], text: string): boolean {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new Error(`not a plain decimal: ${text}`);
  const fraction = match[3] ?? '';
  const den = 10n ** BigInt(fraction.length);
  const num = (match[1] === '-' ? -1n : 1n) * BigInt(`${match[2] ?? ''}${fraction}`);
  const left = value * den;
  return { '==': left === num, '!=': left !== num, '<': left < num, '<=': left <= num, '>': left > num, '>=': left >= num }[op];
}

describe('holdsForInt64', () => {
  it('compares with number literals exactly, each operator, small, negative, past 2^53 and at the extremes', () => {
    const values = [0n, 1n, -1n, 4n, 5n, 6n, -5n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 63n - 1n, I64_MIN, U64_MAX];
    const literals = ['0', '5', '-5', '4.5', '5.5', '-5.5', '0.25', '-0.25', '9007199254740991', '9007199254740992', '9007199254740993', '9007199254740993.5', '-9007199254740993', '9223372036854775807', '-9223372036854775808', '18446744073709551615', '18446744073709551616', '18446744073709551614.5', '100000000000000000000000000'];
    for (const value of values) {
      for (const text of literals) {
        for (const op of OPS) expect(holdsForInt64(value, numberTest(op, text)), `${value} ${op} ${text}`).toBe(exactly(value, op, text));
      }
    }
  });

  it('reads exponents and trailing zeros in the literal', () => {
    expect(holdsForInt64(5n, numberTest('==', '5.000'))).toBe(true);
    expect(holdsForInt64(500n, numberTest('==', '5e2'))).toBe(true);
    expect(holdsForInt64(500n, numberTest('==', '5E+2'))).toBe(true);
    expect(holdsForInt64(0n, numberTest('<', '5e-1'))).toBe(true);
    expect(holdsForInt64(1n, numberTest('>', '5e-1'))).toBe(true);
    expect(holdsForInt64(0n, numberTest('>', '-1e-300'))).toBe(true);
    expect(holdsForInt64(U64_MAX, numberTest('<', '1e400'))).toBe(true);
    expect(holdsForInt64(I64_MIN, numberTest('>', '-1e400'))).toBe(true);
    expect(holdsForInt64(0n, numberTest('==', '-0'))).toBe(true);
  });

  it('without the literal text, compares with the number exactly (the double it is)', () => {
    expect(holdsForInt64(2n ** 53n + 1n, { op: '>', value: 2 ** 53 })).toBe(true);
    expect(holdsForInt64(2n ** 53n + 1n, { op: '==', value: 2 ** 53 })).toBe(false);
    expect(holdsForInt64(2n ** 53n, { op: '==', value: 2 ** 53 })).toBe(true);
    expect(holdsForInt64(5n, { op: '<', value: 5.5 })).toBe(true);
    expect(holdsForInt64(-6n, { op: '<', value: -5.5 })).toBe(true);
    expect(holdsForInt64(-5n, { op: '<', value: -5.5 })).toBe(false);
    expect(holdsForInt64(U64_MAX, { op: '<', value: Infinity })).toBe(true);
    expect(holdsForInt64(I64_MIN, { op: '>', value: -Infinity })).toBe(true);
    for (const op of ['<', '<=', '>', '>=', '=='] as const) expect(holdsForInt64(1n, { op, value: Number.NaN })).toBe(false);
    expect(holdsForInt64(1n, { op: '!=', value: Number.NaN })).toBe(true);
  });

  it('compares with text as its digits (== as text, orders text with text), =~ on its digits, never equal to true, false or null', () => {
    expect(holdsForInt64(123n, { op: '==', value: '123' })).toBe(true);
    expect(holdsForInt64(U64_MAX, { op: '==', value: '18446744073709551615' })).toBe(true);
    expect(holdsForInt64(123n, { op: '!=', value: '123' })).toBe(false);
    expect(holdsForInt64(123n, { op: '==', value: '0123' })).toBe(false);
    // Text order, as before: '9' > '10'.
    expect(holdsForInt64(9n, { op: '>', value: '10' })).toBe(true);
    expect(holdsForInt64(-1n, { op: '=~', regex: /^-1$/ })).toBe(true);
    for (const value of [true, false, null]) {
      expect(holdsForInt64(0n, { op: '==', value })).toBe(false);
      expect(holdsForInt64(0n, { op: '!=', value })).toBe(true);
      expect(holdsForInt64(0n, { op: '<', value })).toBe(false);
    }
  });
});

describe('compareInt64 and decimalFraction', () => {
  it('compare exactly', () => {
    expect(compareInt64(2n ** 53n + 1n, 2 ** 53)).toBe(1);
    expect(compareInt64(2n ** 64n - 1n, 2 ** 64)).toBe(-1);
    expect(compareInt64(-(2n ** 63n), -(2 ** 63))).toBe(0);
    expect(compareInt64(3n, 3.5)).toBe(-1);
    expect(decimalFraction('1.50')).toEqual({ num: 15n, den: 10n });
    expect(decimalFraction('-2e3')).toEqual({ num: -2000n, den: 1n });
    expect(decimalFraction('abc')).toBeUndefined();
    expect(decimalFraction('0.000')).toEqual({ num: 0n, den: 1n });
  });
});

describe('marks', () => {
  it('are invisible to JSON, keys, spreading, structured clone and test equality', () => {
    const value = { id: '12', list: ['1', 'x'] };
    markInt64(value, 'id');
    markInt64(value.list, 0);
    expect(JSON.stringify(value)).toBe('{"id":"12","list":["1","x"]}');
    expect(Object.keys(value)).toEqual(['id', 'list']);
    expect(value).toEqual({ id: '12', list: ['1', 'x'] });
    expect(hasInt64({ ...value })).toBe(false);
    expect(hasInt64(structuredClone(value))).toBe(false);
    expect(hasInt64(value)).toBe(true);
    expect(isInt64(value, 'id')).toBe(true);
    expect(isInt64(value, 'list')).toBe(false);
  });

  it('select a marked slot of canonical digits as its integer, anything else as it is', () => {
    const value = { id: '-12', text: '12', odd: '012', number: 5 };
    markInt64(value, 'id');
    markInt64(value, 'odd');
    markInt64(value, 'number');
    expect(int64Selected(value, 'id', value.id)).toBe(-12n);
    expect(int64Selected(value, 'text', value.text)).toBe('12');
    expect(int64Selected(value, 'odd', value.odd)).toBe('012');
    expect(int64Selected(value, 'number', value.number)).toBe(5);
    const list = ['1', '2'];
    markInt64(list, 1);
    expect([int64Selected(list, 0, list[0]), int64Selected(list, 1, list[1])]).toEqual(['1', 2n]);
  });
});
