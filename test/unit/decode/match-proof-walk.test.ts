/**
 * The query walk's use of a match proof (match-proof.ts, in-order-match-walk.ts): a frame the
 * proof accepts is marked matched without being decoded, a frame the prefilter passes over is
 * never shown to the proof, and every other frame is decoded as before. The proof here is a
 * test double (the real ones have their own tests); it is handed each frame's bytes and opcode.
 * Through a run of proven frames the walk asks the proof first, and the prefilter first again
 * after a few frames the proof does not take: the order changes no answer (both are exact).
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

  describe('the order of proof and prefilter', () => {
    /** {seq, n} messages (msgpackr: de 00 02 a3 "seq" <seq> a1 "n" <n>), n counting from 0; `text` marks a text frame. */
    function orderStore(seqs: readonly (number | 'text')[]): FrameStore {
      const frames = new FrameStore();
      seqs.forEach((seq, n) => (seq === 'text' ? frames.push('in', 'text', Buffer.from(`{"n":${n}}`)) : frames.push('in', 'binary', pack({ seq, n }))));
      return frames;
    }
    const nOf = (slab: Buffer, start: number, end: number): number => (end - start === 11 ? (slab[start + 10] ?? -1) : (JSON.parse(slab.toString('utf8', start, end)) as { n: number }).n);
    const seqIn = (slab: Buffer, start: number, end: number): number => (end - start === 11 ? (slab[start + 7] ?? -1) : -1);
    const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

    /** Walks the store with a proof of seq >= 10 and a prefilter passing over seq < 10, noting which frame (n) each was asked about and which were decoded. */
    function walkNoting(frames: FrameStore, proofStateless: boolean, busyAfterText = false) {
      const proofAsked: number[] = [];
      const prefilterAsked: number[] = [];
      const proof: MatchProof = (slab, start, end, opcode) => {
        proofAsked.push(nOf(slab, start, end));
        const seq = seqIn(slab, start, end);
        return opcode === 'binary' && seq >= 10 && seq < 0x80;
      };
      const belowTen: RawPrefilter = {
        kind: 'self-contained',
        needles: [],
        stateless: true,
        selfContained: (slab, start, end, opcode) => {
          prefilterAsked.push(nOf(slab, start, end));
          return opcode === 'binary' && end - start === 11;
        },
        lacks: (slab, start, end) => seqIn(slab, start, end) < 10,
      };
      const decoded: number[] = [];
      const counting = countingDecoder(decoded);
      // busyAfterText: the decoder keeps something for 'in' after a text frame, until it decodes a binary one.
      let busy = false;
      const makeDecoder = (): StreamDecoder => {
        const inner = counting();
        if (!busyAfterText) return inner;
        const decode = inner.decode;
        return Object.assign(inner, {
          idle: () => !busy,
          decode: (frame: Parameters<StreamDecoder['decode']>[0]) => {
            busy = frame.opcode === 'text';
            return decode(frame);
          },
        });
      };
      const test = (outcome: Parameters<ConstructorParameters<typeof InOrderMatchWalk>[3]>[0]) => outcome.kind !== 'invalid' && matchesDecodedQuery(query, outcome.value);
      const walk = new InOrderMatchWalk(makeDecoder, storeFrameReader(frames), frames, test, new PrefilterScan(frames, belowTen, proof, proofStateless));
      const matched: number[] = [];
      for (let seq = frames.firstSeq; seq <= frames.lastSeq; seq++) if (walk.matches(seq)) matched.push(seq - frames.firstSeq);
      const reference: number[] = [];
      const decoder = createDecoder('msgpack');
      const read = storeFrameReader(frames);
      for (let seq = frames.firstSeq; seq <= frames.lastSeq; seq++) {
        const frame = read(seq);
        const outcome = frame ? decoder.decode(frame) : undefined;
        if (outcome && test(outcome)) reference.push(seq - frames.firstSeq);
      }
      return { matched, reference, proofAsked, prefilterAsked, decoded: decoded.map((seq) => seq - frames.firstSeq) };
    }

    // n 0–4 passed over; 5–34 proven (the prefilter asked of the first 16 only); 35–42 passed over
    // (the proof asked of the first 4, then the prefilter first again); 43 decoded; 44–63 proven.
    const seqs: (number | 'text')[] = [...range(0, 5), ...range(20, 50), ...range(0, 8), 'text', ...range(20, 40)];

    it('asks the proof first through a run of proven frames, the prefilter first again after frames the proof does not take', () => {
      const walked = walkNoting(orderStore(seqs), true);
      expect(walked.matched).toEqual(walked.reference);
      expect(walked.matched).toEqual([...range(5, 35), ...range(44, 64)]);
      expect(walked.decoded).toEqual([43]);
      expect(walked.prefilterAsked).toEqual([...range(0, 5), ...range(5, 21), ...range(35, 43), 43, ...range(44, 60)]);
      expect(walked.proofAsked).toEqual([...range(5, 35), ...range(35, 39), 43, ...range(44, 64)]);
    });

    it('a frame passed over does not end a run of proven ones: the proof goes first, and stays first while most frames are proven', () => {
      // Every fifth frame passed over (n 0) between proven ones: after 16 proven the proof goes
      // first (the prefilter asked only of what it does not take), and a frame passed over now and
      // then does not send the walk back.
      const mixed: number[] = [];
      for (let i = 0; i < 60; i++) mixed.push(i % 5 === 0 ? 0 : 20 + i);
      const walked = walkNoting(orderStore(mixed), true);
      expect(walked.matched).toEqual(walked.reference);
      expect(walked.decoded).toEqual([]);
      const proven = range(0, 60).filter((i) => i % 5 !== 0);
      const switchAt = proven[15] ?? -1;
      expect(walked.prefilterAsked).toEqual(range(0, 60).filter((i) => i <= switchAt || i % 5 === 0));
      expect(walked.proofAsked).toEqual(range(0, 60).filter((i) => i % 5 !== 0 || i > switchAt));
    });

    it('asked first, still proves only while the decoder is idle for the direction', () => {
      // Busy after decoding the text frame (20) until it decodes a binary one: 21 is decoded, not proven.
      const walked = walkNoting(orderStore([...range(20, 40), 'text', ...range(20, 30)]), false, true);
      expect(walked.decoded).toEqual([20, 21]);
      expect(walked.matched).toEqual(walked.reference);
      expect(walked.matched).toEqual([...range(0, 20), ...range(21, 31)]);
    });
  });
});

