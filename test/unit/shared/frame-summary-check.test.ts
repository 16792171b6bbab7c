/**
 * The hand-written frame summary check must accept exactly what frameSummarySchema accepts:
 * valid summaries of every opcode, and every kind of broken field one at a time.
 */
import { describe, expect, it } from 'vitest';
import { frameSummaryProblem, isFrameSummary } from '../../../src-main/shared/frame-summary-check';
import { frameSummarySchema } from '../../../src-main/shared/model';

const VALID = { seq: 1, dir: 'in', opcode: 'text', at: 1_700_000_000_000, size: 5, preview: 'hello', truncated: false };

const VALID_FRAMES: [string, unknown][] = [
  ['a text frame', VALID],
  ['an outgoing binary frame', { ...VALID, dir: 'out', opcode: 'binary', preview: '00 ff' }],
  ['a ping of size 0', { ...VALID, opcode: 'ping', size: 0, preview: '' }],
  ['a pong', { ...VALID, opcode: 'pong' }],
  ['a close with code and reason', { ...VALID, opcode: 'close', closeCode: 1000, closeReason: 'bye' }],
  ['a truncated preview', { ...VALID, size: 100_000, truncated: true }],
  ['a fractional time', { ...VALID, at: 1.5 }],
  ['a large seq', { ...VALID, seq: 2 ** 40 }],
  ['an extra field', { ...VALID, extra: 'kept' }],
];

const BAD_VALUES: Record<string, unknown[]> = {
  seq: [undefined, 0, -1, 1.5, '1', null, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60],
  dir: [undefined, 'IN', 'both', 1, null],
  opcode: [undefined, 'continuation', 'TEXT', 1, null],
  at: [undefined, '1', Number.NaN, Number.POSITIVE_INFINITY, null],
  size: [undefined, -1, 1.5, '5', null, Number.NaN],
  preview: [undefined, 5, null, ['a']],
  truncated: [undefined, 'false', 0, null],
  closeCode: [1.5, '1000', null, Number.NaN],
  closeReason: [5, null],
};

describe('frame summary check', () => {
  it.each(VALID_FRAMES)('accepts %s, as zod does', (_name, frame) => {
    expect(frameSummarySchema.safeParse(frame).success).toBe(true);
    expect(isFrameSummary(frame)).toBe(true);
    expect(frameSummaryProblem(frame)).toBeUndefined();
  });

  const broken = Object.entries(BAD_VALUES).flatMap(([field, values]) =>
    values.map((value): [string, string, unknown] => [field, String(value), { ...VALID, [field]: value }]),
  );
  it.each(broken)('rejects %s = %s, as zod does, and names the field', (field, _shown, frame) => {
    expect(frameSummarySchema.safeParse(frame).success).toBe(false);
    expect(isFrameSummary(frame)).toBe(false);
    expect(frameSummaryProblem(frame)).toMatch(new RegExp(`^${field}: `));
  });

  it.each([
    ['null', null],
    ['an array', [VALID]],
    ['a string', 'frame'],
    ['a number', 1],
  ])('rejects %s as not an object', (_name, value) => {
    expect(frameSummarySchema.safeParse(value).success).toBe(false);
    expect(frameSummaryProblem(value)).toBe('not an object');
  });
});
