/**
 * readStoredBrotli (brotli-stored.ts) answers most streams from their first 32 bits
 * (firstWordAnswer) instead of reading every field with the bit reader. Here it is compared with
 * the reading it replaced (below, as it was: every field by BrotliBitReader) on random starts,
 * raw deflate and zlib streams of JSON at every level, brotli at every quality, and hand-made
 * headers of each form: the same answer and the same bytes copied, for every message.
 */
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BrotliBitReader, readWindowBits } from '../../../src-main/core/decode/brotli-bits';
import { readStoredBrotli, type BrotliStart } from '../../../src-main/core/decode/brotli-stored';
import { BrotliBitWriter } from '../../support/brotli-bits';
import { seeded } from './prefilter-harness';

/** readStoredBrotli before firstWordAnswer (brotli-stored.ts at 7998a5b), the reference. */
function referenceRead(bytes: Uint8Array, start: number, end: number, out: Uint8Array): BrotliStart {
  const bits = new BrotliBitReader(bytes, start, end);
  const window = readWindowBits(bits);
  if (window !== 'read') return window;
  let written = 0;
  for (;;) {
    const isLast = bits.take(1);
    if (isLast === undefined) return undefined;
    if (isLast === 1) {
      const isLastEmpty = bits.take(1);
      if (isLastEmpty !== 0) {
        if (isLastEmpty === undefined) return undefined;
        break;
      }
    }
    const nibbleCode = bits.take(2);
    if (nibbleCode === undefined) return undefined;
    if (nibbleCode === 3) {
      const reserved = bits.take(1);
      if (reserved !== 0) return reserved === undefined ? undefined : 'refused';
      const lengthBytes = bits.take(2);
      if (lengthBytes === undefined) return undefined;
      const lengthLessOne = units(bits, lengthBytes, 8, lengthBytes > 1);
      if (typeof lengthLessOne !== 'number') return lengthLessOne;
      const length = lengthBytes > 0 ? lengthLessOne + 1 : 0;
      const padding = bits.takeToByteBoundary();
      if (padding !== 0) return padding === undefined ? undefined : 'refused';
      if (bits.bytePosition() + length > end) return undefined;
      bits.skipBytes(length);
    } else {
      const nibbles = nibbleCode + 4;
      const lengthLessOne = units(bits, nibbles, 4, nibbles > 4);
      if (typeof lengthLessOne !== 'number') return lengthLessOne;
      const length = lengthLessOne + 1;
      if (isLast === 1) return undefined;
      if (bits.take(1) !== 1) return undefined;
      const padding = bits.takeToByteBoundary();
      if (padding !== 0) return padding === undefined ? undefined : 'refused';
      const from = bits.bytePosition();
      if (from + length > end || written + length > out.length) return undefined;
      out.set(bytes.subarray(from, from + length), written);
      written += length;
      bits.skipBytes(length);
    }
    if (isLast === 1) break;
  }
  const padding = bits.takeToByteBoundary();
  if (padding !== 0) return padding === undefined ? undefined : 'refused';
  return bits.bytePosition() === end ? written : undefined;
}

function units(bits: BrotliBitReader, count: number, width: number, lastNotZero: boolean): BrotliStart {
  let value = 0;
  for (let i = 0; i < count; i++) {
    const unit = bits.take(width);
    if (unit === undefined) return undefined;
    if (lastNotZero && i + 1 === count && unit === 0) return 'refused';
    value |= unit << (i * width);
  }
  return value;
}

const OUT = Buffer.alloc(4096);
const REFERENCE_OUT = Buffer.alloc(4096);

/** The answer of both readings for bytes[start, end) (and the bytes copied), or a difference. */
function compare(bytes: Uint8Array, start = 0, end = bytes.length): { same: boolean; answer: BrotliStart } {
  const answer = readStoredBrotli(bytes, start, end, OUT);
  const reference = referenceRead(bytes, start, end, REFERENCE_OUT);
  const same = answer === reference && (typeof answer !== 'number' || OUT.subarray(0, answer).equals(REFERENCE_OUT.subarray(0, answer)));
  return { same, answer };
}

describe('readStoredBrotli from its first 32 bits', () => {
  it('answers as the full reading on random starts of 0 to 40 bytes, in a larger buffer too', () => {
    const random = seeded(7932);
    const tally = new Map<string, number>();
    const differ: string[] = [];
    for (let i = 0; i < 400_000; i++) {
      const length = i % 10 === 0 ? random(4) : 4 + random(i % 3 === 0 ? 37 : 5);
      const bytes = Buffer.from(Array.from({ length }, () => random(256)));
      // Every kind of header: most starts are a few bits from one that is read to the end.
      if (length > 0 && random(2) === 0) bytes[0] = (bytes[0] ?? 0) & pick8(random);
      const { same, answer } = compare(bytes);
      tally.set(String(answer), (tally.get(String(answer)) ?? 0) + 1);
      if (!same && differ.length < 5) differ.push(bytes.toString('hex'));
    }
    for (let i = 0; i < 20_000; i++) {
      const bytes = Buffer.from(Array.from({ length: 4 + random(30) }, () => random(256)));
      const start = random(3);
      const end = start + random(bytes.length - start + 1);
      if (!compare(bytes, start, end).same && differ.length < 5) differ.push(`${bytes.toString('hex')} [${start}, ${end})`);
    }
    expect(differ).toEqual([]);
    // Not vacuous: each answer is met many times.
    expect(tally.get('refused')).toBeGreaterThan(50_000);
    expect(tally.get('undefined')).toBeGreaterThan(50_000);
    expect([...tally.keys()].filter((key) => /^\d+$/.test(key)).length).toBeGreaterThan(0);
  });

  it('answers as the full reading on raw deflate, zlib and brotli streams of JSON, and their prefixes', () => {
    const random = seeded(1951);
    let refused = 0;
    let count = 0;
    for (let i = 0; i < 600; i++) {
      const json = JSON.stringify({ event: ['chat', 'join', 'x'][i % 3], seq: i, room: `r${random(10)}`, text: 'a'.repeat(random(40)) });
      const input = i % 4 === 0 ? `[${json}]` : json;
      const streams = [
        zlib.deflateRawSync(input, { level: i % 10 }),
        zlib.deflateSync(input, { level: i % 10 }),
        zlib.deflateRawSync(input, { strategy: zlib.constants.Z_FIXED }),
        zlib.deflateRawSync(input, { strategy: zlib.constants.Z_HUFFMAN_ONLY }),
        zlib.brotliCompressSync(input, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: i % 12, [zlib.constants.BROTLI_PARAM_LGWIN]: 10 + (i % 15) } }),
      ];
      for (const stream of streams) {
        for (const end of [stream.length, 4, 5, 3 + random(stream.length)]) {
          const { same, answer } = compare(stream, 0, Math.min(end, stream.length));
          expect(same, `${stream.toString('hex')} to ${end}`).toBe(true);
          if (answer === 'refused') refused++;
          count++;
        }
      }
    }
    expect(refused).toBeGreaterThan(count / 4);
  });

  it('answers as the full reading for each header form with every window, padding and 5th nibble', () => {
    const windows = [(w: BrotliBitWriter) => w.put(0, 1), (w: BrotliBitWriter) => w.put(1, 1).put(5, 3), (w: BrotliBitWriter) => w.put(1, 1).put(0, 3).put(0, 3), (w: BrotliBitWriter) => w.put(1, 1).put(0, 3).put(1, 3), (w: BrotliBitWriter) => w.put(1, 1).put(0, 3).put(7, 3)];
    const data = Buffer.from('{"a":1}');
    let checked = 0;
    for (const window of windows) {
      for (const padding of [0, 1, 2, 64]) {
        for (const nibbles of [4, 5, 6]) {
          for (const last of [0, 1, 5, 15]) {
            const length = nibbles === 4 ? data.length - 1 : (data.length - 1) + last * 16 ** (nibbles - 1);
            const w = window(new BrotliBitWriter()).put(0, 1).put(nibbles - 4, 2).put(length, nibbles * 4).put(1, 1).align(padding).putBytes(data).put(1, 1).put(1, 1).align();
            const stream = w.toBuffer();
            expect(compare(stream).same, stream.toString('hex')).toBe(true);
            const compressed = window(new BrotliBitWriter()).put(0, 1).put(nibbles - 4, 2).put(length, nibbles * 4).put(0, 1).put(0xff, 16).toBuffer();
            expect(compare(compressed).same, compressed.toString('hex')).toBe(true);
            checked += 2;
          }
        }
        const empty = window(new BrotliBitWriter()).put(1, 1).put(1, 1).align(padding).toBuffer();
        expect(compare(Buffer.concat([empty, Buffer.alloc(4)])).same).toBe(true);
        expect(compare(Buffer.concat([empty, Buffer.alloc(4)]), 0, empty.length).same).toBe(true);
        const metadata = window(new BrotliBitWriter()).put(0, 1).put(3, 2).put(0, 1).put(1, 2).put(3, 8).align(padding).putBytes(Buffer.from('abcd')).put(1, 1).put(1, 1).align().toBuffer();
        expect(compare(metadata).same, metadata.toString('hex')).toBe(true);
        checked += 3;
      }
    }
    expect(checked).toBe(windows.length * 4 * (3 * 4 * 2 + 3));
  });
});

/** A mask that clears some of a byte's bits (more zero bits: more window and header forms met). */
function pick8(random: (n: number) => number): number {
  return [0xff, 0xfe, 0xf1, 0x8f, 0x71, 0x0f][random(6)] ?? 0xff;
}
