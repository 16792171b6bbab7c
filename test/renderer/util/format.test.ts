import { describe, expect, it } from 'vitest';
import { formatBytes, formatClock, formatCount, formatTimestamp, plural, utf8ByteLength } from '../../../src-renderer/src/util/format';

describe('format', () => {
  it.each([
    [0, '0 B'],
    [212, '212 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [90_112, '88.0 KiB'],
    [24_177_791, '23.1 MiB'],
    [3.4 * 1024 * 1024, '3.4 MiB'],
    [5 * 1024 ** 3, '5.0 GiB'],
  ])('formats %d bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('groups thousands and pluralizes', () => {
    expect(formatCount(1204)).toBe('1,204');
    expect(plural(1, 'frame')).toBe('1 frame');
    expect(plural(1204, 'frame')).toBe('1,204 frames');
    expect(plural(2, 'match', 'matches')).toBe('2 matches');
  });

  it('shows a clock time with milliseconds, in local time', () => {
    const at = new Date(2024, 4, 1, 9, 3, 41, 7).getTime();
    expect(formatClock(at)).toBe('09:03:41.007');
    expect(formatTimestamp(at)).toMatch(/^2024-05-01 09:03:41\.007 \(UTC[+-]\d\d:\d\d\)$/);
  });

  it('counts UTF-8 bytes, not characters', () => {
    expect(utf8ByteLength('abc')).toBe(3);
    expect(utf8ByteLength('é')).toBe(2);
    expect(utf8ByteLength('😀')).toBe(4);
  });
});
