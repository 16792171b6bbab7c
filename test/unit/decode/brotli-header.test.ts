/**
 * readStoredBrotli (brotli-stored.ts) answers 'refused' only where Node's brotli decoder refuses
 * the message, whatever follows its first bits: checked rule by rule on crafted streams (each
 * beside the same stream made valid, which the decoder reads), and against the decoder itself on
 * random bytes, raw deflate at every level and strategy, and brotli at every quality, whole and
 * cut short. It must also catch the usual raw deflate message, the case it exists for.
 */
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readStoredBrotli } from '../../../src-main/core/decode/brotli-stored';
import { packBits } from '../../support/brotli-bits';

const SCRATCH = Buffer.alloc(64 * 1024);
/** The header read says the decoder refuses it. */
function brotliHeaderRefuses(bytes: Uint8Array, start = 0, end = bytes.byteLength): boolean {
  return readStoredBrotli(bytes, start, end, SCRATCH) === 'refused';
}

function decoderRefuses(bytes: Uint8Array): boolean {
  try {
    zlib.brotliDecompressSync(bytes);
    return false;
  } catch {
    return true;
  }
}

const WINDOW_16: readonly [number, number] = [0, 1];
/** One uncompressed meta-block of 'A' (MLEN − 1 = 0 in four nibbles), its padding given. */
const uncompressedA = (padding: number): Buffer =>
  Buffer.concat([packBits([WINDOW_16, [0, 1], [0, 2], [0, 16], [1, 1], [padding, 3]]), Buffer.from('A'), packBits([[1, 1], [1, 1]])]);

describe('readStoredBrotli: refusals', () => {
  it('an uncompressed meta-block: zero padding is read (here "A"), any other padding refused', () => {
    expect(zlib.brotliDecompressSync(uncompressedA(0)).toString()).toBe('A');
    expect(brotliHeaderRefuses(uncompressedA(0))).toBe(false);
    for (const padding of [1, 2, 4, 7]) {
      expect(decoderRefuses(uncompressedA(padding))).toBe(true);
      expect(brotliHeaderRefuses(uncompressedA(padding)), `padding ${padding}`).toBe(true);
    }
  });

  it.each([
    ['the large window (window bits 1, 000, 001), which Node does not ask for', packBits([[1, 1], [0, 3], [1, 3], [0, 8]])],
    ['a metadata block whose reserved bit is set', packBits([WINDOW_16, [0, 1], [3, 2], [1, 1], [0, 8]])],
    ['a metadata length whose last byte is 0', packBits([WINDOW_16, [0, 1], [3, 2], [0, 1], [2, 2], [5, 8], [0, 8], [0, 8]])],
    ['a metadata block whose padding is not 0', packBits([WINDOW_16, [0, 1], [3, 2], [0, 1], [0, 2], [5, 3]])],
    ['a length in five nibbles whose last is 0', packBits([WINDOW_16, [0, 1], [1, 2], [1, 4], [0, 4], [0, 4], [0, 4], [0, 4], [0, 8]])],
  ])('refuses %s, as the decoder does', (_case, bytes) => {
    expect(decoderRefuses(bytes)).toBe(true);
    expect(brotliHeaderRefuses(bytes)).toBe(true);
  });

  it('leaves to the decoder what its rules cannot settle: empty or cut-short headers, an empty last block, a compressed block', () => {
    const cases = [
      Buffer.alloc(0),
      packBits([[1, 1], [0, 3]]), // the window size cut short
      packBits([WINDOW_16, [0, 1], [0, 2], [0, 4]]), // the length cut short
      packBits([WINDOW_16, [1, 1], [1, 1]]), // an empty last meta-block: a valid empty stream
      zlib.brotliCompressSync('a compressed meta-block'),
    ];
    for (const bytes of cases) expect(brotliHeaderRefuses(bytes), bytes.toString('hex')).toBe(false);
    expect(zlib.brotliDecompressSync(packBits([WINDOW_16, [1, 1], [1, 1]])).length).toBe(0);
  });

  it('reads a message inside a larger buffer by its start and end', () => {
    const refused = uncompressedA(5);
    const slab = Buffer.concat([Buffer.from([0xff, 0xff]), refused, Buffer.from([0xff])]);
    expect(brotliHeaderRefuses(slab, 2, 2 + refused.length)).toBe(true);
    const valid = uncompressedA(0);
    expect(brotliHeaderRefuses(Buffer.concat([Buffer.from([0xff]), valid]), 1)).toBe(false);
  });

  it('never says "refused" of what the decoder reads: random bytes, raw deflate, brotli whole and cut short', () => {
    const random = crypto.createHash('sha256');
    let seed = 0;
    const nextBytes = (length: number): Buffer => {
      const out = Buffer.alloc(length);
      for (let at = 0; at < length; at += 32) {
        const block = random.copy().update(String(seed++)).digest();
        block.copy(out, at, 0, Math.min(32, length - at));
      }
      return out;
    };
    const inputs: Buffer[] = [];
    for (let i = 0; i < 20_000; i++) inputs.push(nextBytes(1 + (i % 40)));
    for (let i = 0; i < 2_000; i++) {
      const text = JSON.stringify({ event: ['tick', 'chat', 'price'][i % 3], seq: i, text: `hello ${i.toString(36).repeat(i % 50)}`, blob: i % 10 === 0 ? nextBytes(i % 3000).toString('base64') : '' });
      inputs.push(zlib.deflateRawSync(text, { level: (i % 9) + 1, strategy: i % 5 }));
      const brotli = zlib.brotliCompressSync(text, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: i % 12, [zlib.constants.BROTLI_PARAM_LGWIN]: 10 + (i % 15) } });
      inputs.push(brotli, brotli.subarray(0, 1 + (i % brotli.length)));
    }
    let refusedByHeader = 0;
    for (const bytes of inputs) {
      if (!brotliHeaderRefuses(bytes)) continue;
      refusedByHeader += 1;
      expect(decoderRefuses(bytes), bytes.toString('hex')).toBe(true);
    }
    // The rules are used, not idle: random bytes and raw deflate fail them often.
    expect(refusedByHeader).toBeGreaterThan(5_000);
  });

  it('catches the usual small raw deflate message (a final fixed-Huffman block) without the decoder', () => {
    for (let i = 0; i < 500; i++) {
      const message = zlib.deflateRawSync(JSON.stringify({ event: 'chat', seq: i, text: `message ${i}` }));
      expect(brotliHeaderRefuses(message), message.toString('hex')).toBe(true);
    }
  });
});
