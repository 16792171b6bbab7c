/**
 * readStoredBrotli (brotli-stored.ts) gives bytes only for a brotli stream made of stored and
 * metadata meta-blocks, and then exactly what Node's brotli decoder gives; 'refused' only where
 * the decoder refuses (more in brotli-header.test.ts). Checked on
 * streams built by hand (every header form, beside the same stream broken in one way, which the
 * decoder refuses), on what Node's encoder stores (incompressible bytes at every quality and
 * window), and on thousands of damaged streams: whatever it answers, the decoder answers the
 * same; wherever the decoder refuses, it gives no answer.
 */
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readStoredBrotli } from '../../../src-main/core/decode/brotli-stored';
import { BrotliBitWriter } from '../../support/brotli-bits';

type Outcome = Buffer | 'refused';

function decoderOutcome(bytes: Uint8Array): Outcome {
  try {
    return zlib.brotliDecompressSync(bytes);
  } catch {
    return 'refused';
  }
}

const OUT = Buffer.alloc(64 * 1024);

/** The bytes it copies, 'refused', or undefined (left to the decoder). */
function stored(bytes: Uint8Array): Buffer | 'refused' | undefined {
  const length = readStoredBrotli(bytes, 0, bytes.length, OUT);
  return typeof length === 'number' ? Buffer.from(OUT.subarray(0, length)) : length;
}

/** Window size codes (§9.1): 16, 17 + n, 17, 8 + m. */
const WINDOWS: Record<string, (w: BrotliBitWriter) => BrotliBitWriter> = {
  16: (w) => w.put(0, 1),
  22: (w) => w.put(1, 1).put(5, 3),
  24: (w) => w.put(1, 1).put(7, 3),
  17: (w) => w.put(1, 1).put(0, 3).put(0, 3),
  10: (w) => w.put(1, 1).put(0, 3).put(2, 3),
  15: (w) => w.put(1, 1).put(0, 3).put(7, 3),
};

/** A non-last uncompressed meta-block holding `data`, its length in `nibbles` nibbles. */
function putStored(w: BrotliBitWriter, data: Uint8Array, nibbles = 4, padding = 0): BrotliBitWriter {
  return w.put(0, 1).put(nibbles - 4, 2).put(data.length - 1, nibbles * 4).put(1, 1).align(padding).putBytes(data);
}

/** A metadata meta-block skipping `skipped` (its length in `lengthBytes` bytes; 0 bytes means empty). */
function putMetadata(w: BrotliBitWriter, skipped: Uint8Array, isLast: boolean, lengthBytes = skipped.length === 0 ? 0 : 1): BrotliBitWriter {
  w.put(isLast ? 1 : 0, 1);
  if (isLast) w.put(0, 1);
  w.put(3, 2).put(0, 1).put(lengthBytes, 2);
  if (lengthBytes > 0) w.put(skipped.length - 1, lengthBytes * 8);
  return w.align().putBytes(skipped);
}

const endEmpty = (w: BrotliBitWriter, padding = 0): BrotliBitWriter => w.put(1, 1).put(1, 1).align(padding);
const text = (s: string): Buffer => Buffer.from(s, 'utf8');

/** Same answer as the decoder, and an answer at all. */
function expectRead(bytes: Buffer, expected: Buffer): void {
  expect(decoderOutcome(bytes)).toEqual(expected);
  expect(stored(bytes), bytes.toString('hex')).toEqual(expected);
}

/** The decoder refuses it; the reader says so, or (`leftToDecoder`) leaves it to the decoder. */
function expectRefusedByBoth(bytes: Buffer, leftToDecoder: boolean): void {
  expect(decoderOutcome(bytes), bytes.toString('hex')).toBe('refused');
  expect(stored(bytes), bytes.toString('hex')).toBe(leftToDecoder ? undefined : 'refused');
}

describe('inflateStoredBrotli', () => {
  it.each(Object.keys(WINDOWS))('reads a stored stream with window size %s', (window) => {
    const data = text(`{"event":"chat","window":${window}}`);
    expectRead(endEmpty(putStored(WINDOWS[window]!(new BrotliBitWriter()), data)).toBuffer(), data);
  });

  it('reads several stored meta-blocks, lengths in 4, 5 and 6 nibbles, metadata between and last, and the empty stream', () => {
    const a = text('first part, ');
    const b = crypto.randomBytes(70_000); // MLEN - 1 needs 5 nibbles
    const c = crypto.randomBytes(1_100_000); // and 6
    const w = WINDOWS[22]!(new BrotliBitWriter());
    putStored(w, a);
    putMetadata(w, text('skipped'), false);
    putMetadata(w, new Uint8Array(0), false);
    putStored(w, b, 5);
    putMetadata(w, crypto.randomBytes(300), false, 2);
    putMetadata(w, crypto.randomBytes(70_000), false, 3);
    putStored(w, c, 6);
    const bytes = endEmpty(w).toBuffer();
    const whole = Buffer.concat([a, b, c]);
    expect(Buffer.from(zlib.brotliDecompressSync(bytes)).equals(whole)).toBe(true);
    const out = Buffer.alloc(whole.length);
    expect(readStoredBrotli(bytes, 0, bytes.length, out)).toBe(whole.length);
    expect(out.equals(whole)).toBe(true);
    // One byte short of room: no answer (the decoder is asked).
    expect(readStoredBrotli(bytes, 0, bytes.length, Buffer.alloc(whole.length - 1))).toBeUndefined();
    const lastMetadata = putMetadata(putStored(WINDOWS[16]!(new BrotliBitWriter()), a), text('meta'), true).toBuffer();
    expectRead(lastMetadata, a);
    expectRead(endEmpty(WINDOWS[16]!(new BrotliBitWriter())).toBuffer(), Buffer.alloc(0));
  });

  it.each<[string, () => Buffer]>([
    ['padding after a stored header not zero', () => endEmpty(putStored(WINDOWS[16]!(new BrotliBitWriter()), text('abc'), 4, 0b101)).toBuffer()],
    ['padding after the last meta-block not zero', () => endEmpty(putStored(WINDOWS[16]!(new BrotliBitWriter()), text('abc')), 0b1).toBuffer()],
    ['a 5-nibble length ending in a 0 nibble', () => endEmpty(putStored(WINDOWS[16]!(new BrotliBitWriter()), text('abc'), 5)).toBuffer()],
    ['the large window code', () => endEmpty(putStored(new BrotliBitWriter().put(1, 1).put(0, 3).put(1, 3), text('abc'))).toBuffer()],
    ['a metadata block with its reserved bit set', () => endEmpty(new BrotliBitWriter().put(0, 1).put(0, 1).put(3, 2).put(1, 1).put(0, 2).align()).toBuffer()],
    ['a 2-byte metadata length whose last byte is 0', () => endEmpty(putMetadata(WINDOWS[16]!(new BrotliBitWriter()), crypto.randomBytes(200), false, 2)).toBuffer()],
    ['a second stored block whose padding is not zero', () => endEmpty(putStored(putStored(WINDOWS[16]!(new BrotliBitWriter()), text('abc')), text('def'), 4, 0b11)).toBuffer()],
  ])('says "refused" where the decoder refuses whatever follows: %s', (_case, make) => {
    expectRefusedByBoth(make(), false);
  });

  it.each<[string, () => Buffer]>([
    ['no last meta-block', () => putStored(WINDOWS[16]!(new BrotliBitWriter()), text('abc')).toBuffer()],
    ['a stored block longer than the message', () => putStored(WINDOWS[16]!(new BrotliBitWriter()), text('abcdef')).toBuffer().subarray(0, 8)],
    ['metadata longer than the message', () => putMetadata(WINDOWS[16]!(new BrotliBitWriter()), text('abcdef'), true).toBuffer().subarray(0, 5)],
  ])('leaves a stream cut short to the decoder (which refuses it): %s', (_case, make) => {
    expectRefusedByBoth(make(), true);
  });

  it('leaves a compressed meta-block, bytes after the stream (which Node ignores) and output longer than its buffer to the decoder', () => {
    const trailing = Buffer.concat([endEmpty(putStored(WINDOWS[16]!(new BrotliBitWriter()), text('abc'))).toBuffer(), Buffer.from([0])]);
    expect(decoderOutcome(trailing)).toEqual(text('abc'));
    expect(stored(trailing)).toBeUndefined();
    const compressed = zlib.brotliCompressSync(text('hello hello hello hello hello hello hello'));
    expect(decoderOutcome(compressed)).toBeInstanceOf(Buffer);
    expect(stored(compressed)).toBeUndefined();
    // A last meta-block has no ISUNCOMPRESSED bit: this is a compressed one whose first bit is 1, not stored "abc".
    const lastLooksStored = new BrotliBitWriter().put(0, 1).put(1, 1).put(0, 1).put(0, 2).put(2, 16).put(1, 1).align().putBytes(text('abc')).toBuffer();
    expect(decoderOutcome(lastLooksStored)).not.toEqual(text('abc'));
    expect(stored(lastLooksStored)).toBeUndefined();
    const big = crypto.randomBytes(70_000);
    const bigStream = zlib.brotliCompressSync(big);
    expect(decoderOutcome(bigStream)).toEqual(big);
    expect(stored(bigStream)).toBeUndefined();
    const small = Buffer.alloc(10);
    const fits = zlib.brotliCompressSync(crypto.randomBytes(11));
    expect(readStoredBrotli(fits, 0, fits.length, small)).toBeUndefined();
  });

  it('reads a message inside a larger buffer by its start and end', () => {
    const data = text('{"event":"chat"}');
    const message = endEmpty(putStored(WINDOWS[22]!(new BrotliBitWriter()), data)).toBuffer();
    const slab = Buffer.concat([Buffer.from([0xff, 0x01]), message, Buffer.from([0x7f])]);
    const length = readStoredBrotli(slab, 2, 2 + message.length, OUT);
    expect(length).toBe(data.length);
    expect(OUT.subarray(0, data.length).equals(data)).toBe(true);
  });

  it("answers exactly as the decoder for what Node's encoder stores, at every quality and window, and for every shorter prefix gives no answer", () => {
    let answered = 0;
    for (let i = 0; i < 600; i++) {
      const input = crypto.randomBytes(i % 3 === 0 ? i : (i * 97) % 20_000);
      const bytes = zlib.brotliCompressSync(input, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: i % 12, [zlib.constants.BROTLI_PARAM_LGWIN]: 10 + (i % 15) } });
      const fast = stored(bytes);
      expect(fast, `input ${i}`).not.toBe('refused');
      if (fast instanceof Buffer) {
        answered += 1;
        expect(fast.equals(input), `input ${i}`).toBe(true);
      }
      const cut = bytes.subarray(0, (i * 31) % bytes.length);
      expect(decoderOutcome(cut)).toBe('refused');
      expect(stored(cut), `prefix of ${cut.length} of input ${i}`).toBeUndefined();
    }
    // Random bytes cannot be made smaller: the encoder stores nearly all of them.
    expect(answered).toBeGreaterThan(500);
  });

  it('agrees with the decoder on damaged streams: one bit flipped, bytes added or cut; "refused" only where it refuses', () => {
    let seed = 1;
    const random = (below: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % below;
    };
    let answered = 0;
    let refusedByDecoder = 0;
    let refusedByReader = 0;
    for (let i = 0; i < 6_000; i++) {
      const w = WINDOWS[Object.keys(WINDOWS)[i % 6]!]!(new BrotliBitWriter());
      const parts: Buffer[] = [];
      for (let block = 0; block < 1 + (i % 3); block++) {
        const data = crypto.randomBytes(1 + random(40));
        if (random(4) === 0) putMetadata(w, data, false);
        else {
          putStored(w, data);
          parts.push(data);
        }
      }
      const bytes = endEmpty(w).toBuffer();
      const damaged = Buffer.from(bytes);
      const damage = i % 3;
      let input: Buffer;
      if (damage === 0) {
        const bit = random(damaged.length * 8);
        damaged[bit >> 3] = (damaged[bit >> 3] ?? 0) ^ (1 << (bit & 7));
        input = damaged;
      } else if (damage === 1) input = Buffer.concat([damaged, Buffer.from([random(256)])]);
      else input = damaged.subarray(0, random(damaged.length));
      const decoder = decoderOutcome(input);
      const fast = stored(input);
      if (decoder === 'refused') {
        refusedByDecoder += 1;
        expect(fast, input.toString('hex')).not.toBeInstanceOf(Buffer);
        if (fast === 'refused') refusedByReader += 1;
      } else {
        expect(fast, input.toString('hex')).not.toBe('refused');
        if (fast instanceof Buffer) {
          answered += 1;
          expect(fast.equals(decoder), input.toString('hex')).toBe(true);
        }
      }
    }
    // Every side is exercised: flips inside the data leave valid streams, most other damage does
    // not, and flips in a header or padding are often refused without the decoder.
    expect(answered).toBeGreaterThan(500);
    expect(refusedByDecoder).toBeGreaterThan(2_000);
    expect(refusedByReader).toBeGreaterThan(30);
  });
});
