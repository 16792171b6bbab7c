/**
 * brotliDictionary (brotli-dictionary.ts) is the static dictionary of RFC 7932 as Node's own
 * decoder holds it: its length, its layout by word length (the RFC's NDBITS and DOFFSET), the
 * words the RFC lists first, a SHA-256 computed once from it, and words asked of the decoder
 * one stream each (not through the one stream that makes the dictionary). wordReferenceStream
 * (brotli-word-stream.ts) refuses what it cannot write; through it, every word gives the same dictionary.
 */
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  DICTIONARY_OFFSETS_BY_LENGTH,
  DICTIONARY_SIZE_BITS_BY_LENGTH,
  brotliDictionary,
  isDictionary,
} from '../../../src-main/core/decode/brotli-dictionary';
import { dictionaryWordsStream, wordReferenceStream } from '../../../src-main/core/decode/brotli-word-stream';

const SHA256 = '20e42eb1b511c21806d4d227d07e5dd06877d8ce7b3a817f378f313653f35c70';

function dictionary(): Uint8Array {
  const made = brotliDictionary();
  if (made === undefined) throw new Error('no dictionary');
  return made;
}

function word(length: number, index: number): string {
  const at = (DICTIONARY_OFFSETS_BY_LENGTH[length] ?? 0) + index * length;
  return Buffer.from(dictionary().subarray(at, at + length)).toString('latin1');
}

describe('brotliDictionary', () => {
  it('has the RFC layout: NDBITS and DOFFSET per length', () => {
    expect([...DICTIONARY_SIZE_BITS_BY_LENGTH]).toEqual([
      0, 0, 0, 0, 10, 10, 11, 11, 10, 10, 10, 10, 10, 9, 9, 8, 7, 7, 8, 7, 7, 6, 6, 5, 5,
    ]);
    expect([...DICTIONARY_OFFSETS_BY_LENGTH]).toEqual([
      0, 0, 0, 0, 0, 4096, 9216, 21504, 35840, 44032, 53248, 63488, 74752, 87040, 93696, 100864, 104704,
      106752, 108928, 113536, 115968, 118528, 119872, 121280, 122016,
    ]);
  });

  it('is 122,784 bytes with the SHA-256 taken once from Node’s decoder, made once', () => {
    const bytes = dictionary();
    expect(bytes.length).toBe(122_784);
    expect(crypto.createHash('sha256').update(bytes).digest('hex')).toBe(SHA256);
    expect(brotliDictionary()).toBe(bytes);
  });

  it('starts each length with the words the RFC lists', () => {
    expect([word(4, 0), word(4, 1), word(4, 2), word(4, 3)]).toEqual(['time', 'down', 'life', 'left']);
    expect(word(5, 0)).toBe('first');
    expect(word(9, 0)).toBe('resources');
    expect(word(24, 0)).toBe('<script type="text/javas');
  });

  it('holds each word the decoder gives for a stream of that word alone', () => {
    const bytes = dictionary();
    for (let length = 4; length <= 24; length++) {
      const count = 1 << (DICTIONARY_SIZE_BITS_BY_LENGTH[length] ?? 0);
      for (const index of [0, 1, 7, count >> 1, count - 2, count - 1]) {
        const stream = wordReferenceStream({ lengths: [length], wordIndexes: [index], outputLengths: [length] });
        if (stream === undefined) throw new Error('not written');
        const at = (DICTIONARY_OFFSETS_BY_LENGTH[length] ?? 0) + index * length;
        expect(Buffer.from(zlib.brotliDecompressSync(stream))).toEqual(Buffer.from(bytes.subarray(at, at + length)));
      }
    }
  });

  it('is what Node gives for every word through the general writer too (meta-blocks of two symbols, not one)', () => {
    const lengths: number[] = [];
    const wordIndexes: number[] = [];
    for (let length = 4; length <= 24; length++) {
      for (let index = 0; index < 2 ** (DICTIONARY_SIZE_BITS_BY_LENGTH[length] ?? 0); index++) {
        lengths.push(length);
        wordIndexes.push(index);
      }
    }
    expect(lengths.length).toBe(13_504);
    const stream = wordReferenceStream({ lengths, wordIndexes, outputLengths: lengths });
    if (stream === undefined) throw new Error('not written');
    expect(stream).not.toEqual(dictionaryWordsStream(DICTIONARY_SIZE_BITS_BY_LENGTH));
    expect(Buffer.from(zlib.brotliDecompressSync(stream)).equals(dictionary())).toBe(true);
  });

  it('is refused by the check when one byte differs or a byte is missing', () => {
    const bytes = Uint8Array.from(dictionary());
    expect(isDictionary(bytes)).toBe(true);
    bytes[60_000] = (bytes[60_000] ?? 0) ^ 1;
    expect(isDictionary(bytes)).toBe(false);
    expect(isDictionary(dictionary().subarray(1))).toBe(false);
  });
});

describe('wordReferenceStream', () => {
  it('refuses copy lengths outside 4–24, a meta-block of no bytes, arrays of unequal length and windows outside 10–24', () => {
    expect(wordReferenceStream({ lengths: [3], wordIndexes: [0], outputLengths: [3] })).toBeUndefined();
    expect(wordReferenceStream({ lengths: [25], wordIndexes: [0], outputLengths: [25] })).toBeUndefined();
    expect(wordReferenceStream({ lengths: [4], wordIndexes: [0], outputLengths: [0] })).toBeUndefined();
    expect(wordReferenceStream({ lengths: [4, 4], wordIndexes: [0], outputLengths: [4, 4] })).toBeUndefined();
    for (const windowBits of [9, 25, 16.5]) {
      expect(wordReferenceStream({ lengths: [4], wordIndexes: [0], outputLengths: [4] }, windowBits)).toBeUndefined();
    }
  });

  it('writes two command and two distance symbols in one meta-block as Node reads them', () => {
    // 'time' at 0, then word 5 of length 10 at 4 (distance 4 + 1 + 5), then 'down' at 14 (distance 14 + 1 + 1).
    const stream = wordReferenceStream({ lengths: [4, 10, 4], wordIndexes: [0, 5, 1], outputLengths: [4, 10, 4] });
    if (stream === undefined) throw new Error('not written');
    expect(Buffer.from(zlib.brotliDecompressSync(stream)).toString('latin1')).toBe(`time${word(10, 5)}down`);
  });
});
