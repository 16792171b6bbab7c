/**
 * PrefilterScan (prefilter-scan.ts) finds a slab's needle hits only when a frame's needles are
 * first asked (a frame the proof takes first never needs them), and afresh for each slab: asked in
 * any order, over frames in several slabs (a frame over a quarter of a slab gets its own), with the
 * proof asked before the prefilter or not, a frame holds a needle exactly when its bytes do.
 */
import { describe, expect, it } from 'vitest';
import type { MatchProof } from '../../../src-main/core/decode/match-proof';
import { PrefilterScan } from '../../../src-main/core/decode/prefilter-scan';
import type { RawPrefilter } from '../../../src-main/core/decode/raw-prefilter';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { seeded } from './prefilter-harness';

const NEEDLE = Buffer.from('hit', 'latin1');

/** Small frames, then one in its own slab, then small frames in a new slab; about one in four holds the needle, anywhere in it. */
function store(random: (n: number) => number): { frames: FrameStore; payloads: Buffer[] } {
  const frames = new FrameStore();
  const payloads: Buffer[] = [];
  const push = (payload: Buffer): void => {
    frames.push('in', 'text', payload);
    payloads.push(payload);
  };
  const small = (): Buffer => {
    const text = 'x'.repeat(1 + random(40));
    const at = random(text.length);
    return Buffer.from(random(4) === 0 ? `${text.slice(0, at)}hit${text.slice(at)}` : text, 'latin1');
  };
  for (let i = 0; i < 300; i++) push(small());
  push(Buffer.alloc(300 * 1024, 'y'));
  for (let i = 0; i < 300; i++) push(small());
  return { frames, payloads };
}

describe('PrefilterScan', () => {
  it('says a frame holds a needle exactly when its bytes do, asked in any order, across slabs, with the proof asked first or not', () => {
    const random = seeded(11);
    for (let round = 0; round < 6; round++) {
      const { frames, payloads } = store(random);
      const holdsNone: RawPrefilter = { kind: 'self-contained', needles: [NEEDLE], stateless: true, selfContained: () => true };
      const never: MatchProof = () => false;
      const scan = new PrefilterScan(frames, holdsNone, never);
      scan.current();
      const seqs = payloads.map((_, i) => frames.firstSeq + i);
      // In order, backward, and shuffled.
      const orders = [seqs, [...seqs].reverse(), [...seqs].sort(() => random(3) - 1)];
      for (const order of orders) {
        for (const seq of order) {
          const payload = payloads[seq - frames.firstSeq] ?? Buffer.alloc(0);
          const holds = payload.includes(NEEDLE);
          // The proof first now and then: the slab is loaded without its hits.
          if (random(2) === 0) expect(scan.proven(seq, undefined)).toBe(false);
          expect(scan.passable(seq, undefined), `seq ${seq}`).toBe(!holds);
          expect(scan.holdsNeedle(seq)).toBe(holds);
        }
      }
    }
  });
});
