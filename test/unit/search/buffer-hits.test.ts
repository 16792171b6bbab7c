/**
 * bufferHits (frame-scanner.ts) finds every occurrence of a needle in the used part of a slab,
 * overlapping ones too; needles that start with quotes are searched without them and checked.
 */
import { describe, expect, it } from 'vitest';
import { bufferHits } from '../../../src-main/core/search/frame-scanner';

function naive(slab: Buffer, used: number, needle: Buffer): number[] {
  const found: number[] = [];
  for (let at = 0; at + needle.length <= used; at++) if (slab.subarray(at, at + needle.length).equals(needle)) found.push(at);
  return found;
}

function hitsOf(slab: Buffer, used: number, needle: Buffer): number[] {
  const hits = bufferHits(slab, used, needle);
  return Array.from(hits.at.subarray(0, hits.count));
}

describe('bufferHits', () => {
  it('finds quoted needles at the slab start, overlapping, and not past the used bytes', () => {
    const slab = Buffer.from('"a""a""a" ""x"" "a"');
    expect(hitsOf(slab, slab.length, Buffer.from('"a"'))).toEqual([0, 3, 6, 16]);
    expect(hitsOf(slab, slab.length, Buffer.from('""'))).toEqual([2, 5, 10, 13]);
    expect(hitsOf(slab, 18, Buffer.from('"a"'))).toEqual([0, 3, 6]);
    expect(hitsOf(slab, slab.length, Buffer.from('"'))).toEqual(naive(slab, slab.length, Buffer.from('"')));
  });

  it('agrees with a byte-by-byte search on random slabs and needles', () => {
    let state = 99;
    const random = (n: number): number => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state % n;
    };
    const alphabet = Buffer.from('"a7\\:');
    for (let round = 0; round < 300; round++) {
      const slab = Buffer.from(Array.from({ length: 1 + random(60) }, () => alphabet[random(alphabet.length)] ?? 0));
      const needle = Buffer.from(Array.from({ length: 1 + random(4) }, () => alphabet[random(alphabet.length)] ?? 0));
      const used = random(slab.length + 1);
      expect(hitsOf(slab, used, needle), `${slab.toString()} / ${needle.toString()} / ${used}`).toEqual(naive(slab, used, needle));
    }
  });
});
