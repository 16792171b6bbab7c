import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src-main/cli/usage-error';
import { wholeNumberFlag } from '../../../src-main/cli/whole-number-flag';

describe('wholeNumberFlag', () => {
  it('reads a whole number within the bounds (white space around it allowed)', () => {
    expect(wholeNumberFlag(' 42 ', 'repeat', 1, 100, 'sends')).toBe(42);
    expect(wholeNumberFlag('0', 'reconnect-max', 0, 10_000, 'reconnects')).toBe(0);
  });

  it('names the flag, the bounds and the unit when the value does not fit', () => {
    expect(() => wholeNumberFlag('1.5', 'repeat', 1, 100, 'sends')).toThrow('--repeat must be a whole number of sends, got "1.5"');
    expect(() => wholeNumberFlag('20000', 'keep-frames', 1000, 10_000, 'frames')).toThrow('--keep-frames must be between 1,000 and 10,000 frames, got 20000');
    expect(() => wholeNumberFlag('-1', 'repeat', 1, 100, 'sends')).toThrow(UsageError);
  });
});
