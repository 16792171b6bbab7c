import { describe, expect, it } from 'vitest';
import { checkCloseCode, closeCodeName, closeReasonError } from '../../../src-renderer/src/util/close-code';

describe('close codes', () => {
  it.each(['1000', '1003', '1007', '1014', '3000', '4999', ' 1001 '])('accepts %j', (input) => {
    expect(checkCloseCode(input)).toEqual({ ok: true, code: Number(input.trim()) });
  });

  it.each([
    ['', 'Enter a close code'],
    ['abc', '“abc” is not a number'],
    ['10.5', 'is not a number'],
    ['1005', '1005 (No Status Received) is reserved'],
    ['1006', 'is reserved'],
    ['1015', 'is reserved'],
    ['1004', 'is reserved'],
    ['999', '999 cannot be sent'],
    ['2000', 'cannot be sent'],
    ['5000', 'cannot be sent'],
  ])('rejects %j', (input, message) => {
    const check = checkCloseCode(input);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.error).toContain(message);
  });

  it('names codes', () => {
    expect(closeCodeName(1000)).toBe('Normal Closure');
    expect(closeCodeName(1011)).toBe('Internal Error');
    expect(closeCodeName(4001)).toBe('application code');
    expect(closeCodeName(3001)).toBe('library/framework code');
  });

  it('limits the reason to 123 bytes of UTF-8', () => {
    expect(closeReasonError('a'.repeat(123))).toBeNull();
    expect(closeReasonError('a'.repeat(124))).toContain('124 bytes');
    // 62 two-byte characters are 124 bytes though only 62 characters.
    expect(closeReasonError('é'.repeat(62))).toContain('124 bytes');
  });
});
