/**
 * The query walk's use of a match proof (match-proof.ts, in-order-match-walk.ts): a frame the
 * proof accepts is marked matched without being decoded, a frame the prefilter passes over is
 * never shown to the proof, and every other frame is decoded as before. The proof here is a
 * test double (the real ones have their own tests); it is handed each frame's bytes and opcode.
 */
import { pack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { matchesDecodedQuery, parseDecodedQuery } from '../../../src-main/shared/decoded-query';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import type { StreamDecoder } from '../../../src-main/core/decode/decoded-frame';
import { InOrderMatchWalk } from '../../../src-main/core/decode/in-order-match-walk';
import type { MatchProof } from '../../../src-main/core/decode/match-proof';
import { PrefilterScan } from '../../../src-main/core/decode/prefilter-scan';
import type { RawPrefilter } from '../../../src-main/core/decode/raw-prefilter';
import { storeFrameReader } from '../../../src-main/core/decode/store-frame-reader';
import { FrameStore } from '../../../src-main/core/session/frame-store';

const parsed = parseDecodedQuery('$.seq >= 10');
if (!parsed.ok) throw new Error(parsed.error);
const query = parsed.query;

/** 60 MessagePack messages {seq}, a text frame and an empty one among them. */
function store(): FrameStore {
  const frames = new FrameStore();
  for (let seq = 0; seq < 60; seq++) frames.push('in', 'binary', pack({ seq }));
  frames.push('out', 'text', Buffer.from('{"seq":99}'));
  frames.push('in', 'binary', Buffer.alloc(0));
  return frames;
}

/** A decoder counting the frames it decodes. */
function countingDecoder(decoded: number[]): () => StreamDecoder {
  return () => {
    const inner = createDecoder('msgpack');
    return Object.assign(Object.create(inner) as StreamDecoder, {
      decode: (frame: Parameters<StreamDecoder['decode']>[0]) => {
        decoded.push(frame.seq);
        return inner.decode(frame);
      },
    });
  };
}

const seqOf = (slab: Buffer, start: number): number => slab[start + 7] ?? -1;

describe('a match proof in the query walk', () => {
  it('marks proven frames matched undecoded; the count is that of decoding every frame', () => {
    const frames = store();
    const shown: string[] = [];
    // Proves {seq} messages whose seq is a positive fixint of at least 20 (msgpackr writes de 00 01 a3 "seq" <fixint>).
    const proof: MatchProof = (slab, start, end, opcode) => {
      shown.push(opcode);
      return opcode === 'binary' && end - start === 8 && seqOf(slab, start) >= 20 && seqOf(slab, start) < 0x80;
    };
    const nothing: RawPrefilter = { kind: 'self-contained', needles: [], stateless: true, selfContained: () => false };
    const decoded: number[] = [];
    const test = (outcome: Parameters<ConstructorParameters<typeof InOrderMatchWalk>[3]>[0]) => outcome.kind !== 'invalid' && matchesDecodedQuery(query, outcome.value);
    const walk = new InOrderMatchWalk(countingDecoder(decoded), storeFrameReader(frames), frames, test, new PrefilterScan(frames, nothing, proof));
    const matched: number[] = [];
    for (let seq = frames.firstSeq; seq <= frames.lastSeq; seq++) if (walk.matches(seq)) matched.push(seq);

    const reference: number[] = [];
    const decoder = createDecoder('msgpack');
    const read = storeFrameReader(frames);
    for (let seq = frames.firstSeq; seq <= frames.lastSeq; seq++) {
      const frame = read(seq);
      const outcome = frame ? decoder.decode(frame) : undefined;
      if (outcome && test(outcome)) reference.push(seq);
    }
    expect(matched).toEqual(reference);
    expect(reference).toHaveLength(50);
    // seq 20–59 proven (40 frames): never decoded; the 22 others were.
    const proven = Array.from({ length: 40 }, (_, i) => frames.firstSeq + 20 + i);
    expect(decoded.filter((seq) => proven.includes(seq))).toEqual([]);
    expect(decoded).toHaveLength(frames.lastSeq - frames.firstSeq + 1 - 40);
    expect(shown).toContain('text');
  });

  it('in a protocol that keeps state, proves a frame only while the decoder is idle for its direction', () => {
    const frames = store();
    let asked = 0;
    // Everything but the first message ({seq: 0}), so the walk makes its decoder there.
    const proof: MatchProof = (slab, start, end) => {
      asked++;
      return !(end - start === 8 && seqOf(slab, start) === 0);
    };
    const nothing: RawPrefilter = { kind: 'self-contained', needles: [], stateless: true, selfContained: () => false };
    const run = (idle: (dir: 'in' | 'out') => boolean): { matched: number; decoded: number[] } => {
      const decoded: number[] = [];
      const counting = countingDecoder(decoded);
      const makeDecoder = (): StreamDecoder => Object.assign(counting(), { idle });
      const walk = new InOrderMatchWalk(makeDecoder, storeFrameReader(frames), frames, () => false, new PrefilterScan(frames, nothing, proof, false));
      let matched = 0;
      for (let seq = frames.firstSeq; seq <= frames.lastSeq; seq++) if (walk.matches(seq)) matched++;
      return { matched, decoded };
    };
    const all = frames.lastSeq - frames.firstSeq + 1;
    // Busy for 'in' (every frame but the text one): only the text frame ('out') is proven.
    const busyIn = run((dir) => dir === 'out');
    expect(busyIn.matched).toBe(1);
    expect(busyIn.decoded).toHaveLength(all - 1);
    // Idle both ways: every frame after the first proven, none of them decoded.
    asked = 0;
    const idle = run(() => true);
    expect(idle.matched).toBe(all - 1);
    expect(idle.decoded).toEqual([frames.firstSeq]);
    expect(asked).toBe(all);
  });

  it('does not ask the proof of a frame the prefilter passes over', () => {
    const frames = store();
    let asked = 0;
    const proof: MatchProof = () => {
      asked++;
      return true;
    };
    // Passes over everything but the text frame.
    const allButText: RawPrefilter = { kind: 'self-contained', needles: [], stateless: true, selfContained: (_slab, _start, _end, opcode) => opcode !== 'text', lacks: () => true };
    const decoded: number[] = [];
    const walk = new InOrderMatchWalk(countingDecoder(decoded), storeFrameReader(frames), frames, () => true, new PrefilterScan(frames, allButText, proof));
    const matched: number[] = [];
    for (let seq = frames.firstSeq; seq <= frames.lastSeq; seq++) if (walk.matches(seq)) matched.push(seq);
    expect(asked).toBe(1);
    expect(matched).toEqual([frames.firstSeq + 60]);
    expect(decoded).toEqual([]);
  });
});
