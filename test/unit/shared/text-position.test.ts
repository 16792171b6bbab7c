import { describe, expect, it } from 'vitest';
import { lineAndColumn } from '../../../src-main/shared/text-position';

describe('lineAndColumn', () => {
  it('counts lines from 1 and columns from 1 after the last line feed', () => {
    expect(lineAndColumn('abc', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('abc', 2)).toEqual({ line: 1, column: 3 });
    expect(lineAndColumn('a\nbc\r\nd', 3)).toEqual({ line: 2, column: 2 });
    expect(lineAndColumn('a\nbc\r\nd', 6)).toEqual({ line: 3, column: 1 });
  });

  it('places the end of the text after its last character', () => {
    expect(lineAndColumn('{\n', 2)).toEqual({ line: 2, column: 1 });
  });
});
