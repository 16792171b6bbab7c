/**
 * brotliDictionary (brotli-dictionary.ts) gives no dictionary rather than a wrong one: when Node's
 * decoder refuses the stream, or gives bytes of the right length that are not the dictionary
 * (zlib stubbed; each case a fresh copy of the module, which otherwise keeps its first answer).
 */
import zlib from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';

async function freshDictionary(decompress: (stream: Uint8Array) => Buffer): Promise<Uint8Array | undefined> {
  vi.resetModules();
  vi.doMock('node:zlib', () => ({ default: { ...zlib, brotliDecompressSync: decompress } }));
  const { brotliDictionary } = await import('../../../src-main/core/decode/brotli-dictionary');
  return brotliDictionary();
}

afterEach(() => {
  vi.doUnmock('node:zlib');
  vi.resetModules();
});

describe('brotliDictionary when the decoder does not give it', () => {
  it('is undefined when the decoder refuses, and asks only once', async () => {
    const refuse = vi.fn((): Buffer => {
      throw new Error('refused');
    });
    vi.resetModules();
    vi.doMock('node:zlib', () => ({ default: { ...zlib, brotliDecompressSync: refuse } }));
    const { brotliDictionary } = await import('../../../src-main/core/decode/brotli-dictionary');
    expect(brotliDictionary()).toBeUndefined();
    expect(brotliDictionary()).toBeUndefined();
    expect(refuse).toHaveBeenCalledTimes(1);
  });

  it('is undefined for bytes of the right length that are wrong: zeros, one byte changed, words out of order', async () => {
    expect(await freshDictionary(() => Buffer.alloc(122_784))).toBeUndefined();
    const real = zlib.brotliDecompressSync.bind(zlib);
    expect(
      await freshDictionary((stream) => {
        const bytes = real(stream);
        bytes[100_000] = (bytes[100_000] ?? 0) ^ 0x20;
        return bytes;
      }),
    ).toBeUndefined();
    expect(
      await freshDictionary((stream) => {
        const bytes = real(stream);
        // 'time' and 'down' swapped: the first words the RFC lists.
        return Buffer.concat([bytes.subarray(4, 8), bytes.subarray(0, 4), bytes.subarray(8)]);
      }),
    ).toBeUndefined();
    expect(await freshDictionary((stream) => real(stream).subarray(1))).toBeUndefined();
    expect(await freshDictionary((stream) => real(stream))).toHaveLength(122_784);
  });
});
