/**
 * NeedleCursor (needle-cursor.ts) says a needle lies wholly inside a range exactly when the
 * range's bytes (in the slab's used part) hold it, as finding every hit of the slab first
 * (frame-scanner.ts bufferHits, then hitInside) says too: over random slabs of a few letters and quotes,
 * needles with and without leading quotes, hits that straddle a frame's end, a slab used only in
 * part, and frames asked in order, with frames skipped (the proof took them), backward and at
 * random, with ranges inside a frame asked again.
 */
import { describe, expect, it } from 'vitest';
import { NeedleCursor } from '../../../src-main/core/decode/needle-cursor';
import { bufferHits, hitInside } from '../../../src-main/core/search/frame-scanner';
import { seeded } from './prefilter-harness';

const LETTERS = 'ab"';

function randomSlab(random: (n: number) => number): Buffer {
  const length = 1 + random(600);
  let text = '';
  for (let i = 0; i < length; i++) text += LETTERS[random(LETTERS.length)];
  return Buffer.from(text, 'latin1');
}

function randomNeedle(random: (n: number) => number): Buffer {
  let text = '"'.repeat(random(3));
  const length = 1 + random(3);
  for (let i = 0; i < length; i++) text += LETTERS[random(LETTERS.length)];
  return Buffer.from(text, 'latin1');
}

/** Frames cut from [0, used): consecutive ranges of 0–12 bytes. */
function framesOf(used: number, random: (n: number) => number): [number, number][] {
  const frames: [number, number][] = [];
  for (let start = 0; start < used; ) {
    const end = Math.min(used, start + random(13));
    frames.push([start, end]);
    start = end === start ? start + 1 : end;
  }
  return frames;
}

describe('NeedleCursor', () => {
  it('says a needle lies inside a range exactly when its bytes hold it, as bufferHits and hitInside do, asked in any order', () => {
    const random = seeded(2024);
    let asked = 0;
    let inside = 0;
    let straddling = 0;
    for (let round = 0; round < 400; round++) {
      const slab = randomSlab(random);
      const used = random(4) === 0 ? random(slab.length + 1) : slab.length;
      const needle = randomNeedle(random);
      const hits = bufferHits(slab, used, needle);
      const frames = framesOf(used, random);
      const inOrderSkipping = frames.filter(() => random(3) !== 0);
      const orders = [frames, inOrderSkipping, [...frames].reverse(), [...frames].sort(() => random(3) - 1)];
      for (const order of orders) {
        const cursor = new NeedleCursor(slab, used, needle);
        for (const [start, end] of order) {
          // A prefilter may ask a part of the frame too (its body), before the whole.
          const ranges: [number, number][] = random(4) === 0 ? [[start + random(end - start + 1), end], [start, end]] : [[start, end]];
          for (const [from, to] of ranges) {
            const expected = slab.subarray(from, Math.min(to, used)).includes(needle);
            expect(hitInside(hits, from, to)).toBe(expected);
            expect(cursor.inside(from, to), `${JSON.stringify(slab.toString('latin1', 0, used))} ${JSON.stringify(needle.toString('latin1'))} [${from}, ${to})`).toBe(expected);
            asked++;
            if (expected) inside++;
            else if (slab.subarray(from, used).indexOf(needle) === 0 && from + needle.length > to) straddling++;
          }
        }
      }
    }
    // Not vacuous: many answers of each kind, straddling hits among the misses.
    expect(asked).toBeGreaterThan(50_000);
    expect(inside).toBeGreaterThan(5_000);
    expect(asked - inside).toBeGreaterThan(5_000);
    expect(straddling).toBeGreaterThan(500);
  });

  it('finds nothing without a slab, and nothing past the bytes in use', () => {
    expect(new NeedleCursor(undefined, 0, Buffer.from('a')).inside(0, 10)).toBe(false);
    const slab = Buffer.from('xx"ab"yy"ab"', 'latin1');
    const cursor = new NeedleCursor(slab, 9, Buffer.from('"ab"', 'latin1'));
    expect(cursor.inside(0, 6)).toBe(true);
    expect(cursor.inside(1, 5)).toBe(false);
    expect(cursor.inside(6, 12)).toBe(false);
    // A quote before the rest is needed: `ab"` alone is no hit of `"ab"`.
    expect(new NeedleCursor(Buffer.from('xab"', 'latin1'), 4, Buffer.from('"ab"', 'latin1')).inside(0, 4)).toBe(false);
  });
});
