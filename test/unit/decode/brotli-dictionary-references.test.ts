/**
 * How Node's brotli decoder treats dictionary references at their edges (RFC 7932 §4, §8), for a
 * decoder of ours that must answer exactly as it does: streams built bit by bit, one compressed
 * meta-block of one command symbol and one distance symbol each (zero-bit prefix codes).
 * - A copy past the farthest backward distance is a dictionary word only for lengths 4–24;
 *   3 or 25 there is refused, and so is transform 121.
 * - The last-distance codes (0–15) take part: at the start the ring of last distances is
 *   16, 15, 11, 4, so code 0 (4) at position 0 is word 3 ('left'), code 1 (11) word 10.
 * - A dictionary reference does not enter the ring of last distances: after 'time' at distance 1,
 *   code 0 is still 4, a backward copy at position 4.
 * - The farthest distance is the output so far up to the window less 16: with a window of 2^10,
 *   from position 1008 on, distance 1009 + i is word i.
 * - A meta-block ends as soon as its length is written: a reference that writes nothing (an
 *   OmitFirst9 of a 4-byte word) is read before the last byte, never after it.
 */
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DICTIONARY_OFFSETS_BY_LENGTH, brotliDictionary } from '../../../src-main/core/decode/brotli-dictionary';
import { wordReferenceStream } from '../../../src-main/core/decode/brotli-word-stream';
import { BrotliBitWriter } from '../../support/brotli-bits';

interface Command {
  /** Insert-and-copy symbol: insert code 0 here, so no literals; under 128 the distance is code 0, implicit. */
  readonly symbol: number;
  readonly copyExtra?: readonly [number, number];
  /** Distance symbol and its extra bits, for symbols from 128. */
  readonly distance?: readonly [number, number, number];
}

/** Window 2^24; one non-last meta-block per command group (same symbols), then an empty last one. */
function stream(metaBlocks: readonly { length: number; commands: readonly Command[] }[]): Buffer {
  const w = new BrotliBitWriter().put(1, 1).put(7, 3);
  for (const { length, commands } of metaBlocks) {
    const first = commands[0];
    if (first === undefined) throw new Error('no command');
    // ISLAST 0, MNIBBLES 4, MLEN - 1, ISUNCOMPRESSED 0; one block type each; NPOSTFIX, NDIRECT 0;
    // context mode; one tree each.
    w.put(0, 1).put(0, 2).put(length - 1, 16).put(0, 1).put(0, 3).put(0, 6).put(0, 2).put(0, 2);
    // Simple codes of one symbol: literal 0, the command symbol, the distance symbol (16 when none is read).
    w.put(1, 2).put(0, 2).put(0, 8);
    w.put(1, 2).put(0, 2).put(first.symbol, 10);
    w.put(1, 2).put(0, 2).put(first.distance?.[0] ?? 16, 6);
    for (const command of commands) {
      if (command.copyExtra) w.put(...command.copyExtra);
      if (command.distance) w.put(command.distance[1], command.distance[2]);
    }
  }
  return w.put(1, 1).put(1, 1).toBuffer();
}

function decoded(bytes: Buffer): string {
  try {
    return zlib.brotliDecompressSync(bytes).toString('latin1');
  } catch {
    return 'refused';
  }
}

function word(length: number, index: number): string {
  const dictionary = brotliDictionary();
  if (dictionary === undefined) throw new Error('no dictionary');
  const at = (DICTIONARY_OFFSETS_BY_LENGTH[length] ?? 0) + index * length;
  return Buffer.from(dictionary.subarray(at, at + length)).toString('latin1');
}

/** Insert 0, copy 4 (symbol 130) from an explicit distance: code 16 + 2(n - 1) + high, n extra bits (distance + 3 = ((2 | high) << n) + extra). */
function copy4At(distance: number): Command {
  const shifted = distance + 3;
  const bits = 30 - Math.clz32(shifted);
  const high = (shifted >> bits) & 1;
  return { symbol: 130, distance: [16 + 2 * (bits - 1) + high, shifted - ((2 | high) << bits), bits] };
}

describe('dictionary references in Node’s decoder', () => {
  it('copies a word only for lengths 4–24 past the farthest distance', () => {
    // Symbol 129: copy 3; 128 + 7: copy 9. Distance 1 at position 0 is word 0.
    expect(decoded(stream([{ length: 4, commands: [copy4At(1)] }]))).toBe('time');
    expect(decoded(stream([{ length: 3, commands: [{ symbol: 129, distance: [16, 0, 1] }] }]))).toBe('refused');
    // Copy code 12 (22–29, 3 extra bits): 24 is taken, 25 refused.
    const copy = (length: number): Command => ({ symbol: 196, copyExtra: [length - 22, 3], distance: [16, 0, 1] });
    expect(decoded(stream([{ length: 24, commands: [copy(24)] }]))).toBe(word(24, 0));
    expect(decoded(stream([{ length: 25, commands: [copy(25)] }]))).toBe('refused');
  });

  it('makes last-distance codes dictionary words where they reach past the output', () => {
    // Symbol 2: insert 0, copy 4, distance code 0 (the last distance, 4 at the start): word 4 - 0 - 1.
    expect(decoded(stream([{ length: 4, commands: [{ symbol: 2 }] }]))).toBe(word(4, 3));
    expect(word(4, 3)).toBe('left');
    // Code 1 (the one before, 11): word 10; code 4 (last - 1 = 3): word 2.
    const withCode = (code: number): Buffer => stream([{ length: 4, commands: [{ symbol: 130, distance: [code, 0, 0] }] }]);
    expect(decoded(withCode(1))).toBe(word(4, 10));
    expect(decoded(withCode(4))).toBe(word(4, 2));
    expect(decoded(withCode(3))).toBe(word(4, 15));
  });

  it('leaves the ring of last distances as it was after a dictionary word', () => {
    // 'time' (distance 1, a word), then code 0 at position 4: still 4, a backward copy of 'time'.
    expect(
      decoded(stream([{ length: 4, commands: [copy4At(1)] }, { length: 4, commands: [{ symbol: 2 }] }])),
    ).toBe('timetime');
    // A backward copy does enter it: 'time', distance 4 at position 4 ('time' again), then code 0 is 4.
    expect(
      decoded(
        stream([
          { length: 4, commands: [copy4At(1)] },
          { length: 4, commands: [copy4At(4)] },
          { length: 4, commands: [{ symbol: 2 }] },
        ]),
      ),
    ).toBe('timetimetime');
  });

  it('reads two commands in a meta-block of both lengths: word 4 at position 0, then distance 5 at 4 (word 0) or 6 (word 1)', () => {
    expect(decoded(stream([{ length: 8, commands: [copy4At(5), copy4At(5)] }]))).toBe(`${word(4, 4)}time`);
    expect(decoded(stream([{ length: 8, commands: [copy4At(5), copy4At(6)] }]))).toBe(`${word(4, 4)}down`);
  });

  it('counts the farthest distance up to the window less 16, then no further (windows 10, 12, 16, 17, 24)', () => {
    const dictionary = brotliDictionary();
    if (dictionary === undefined) throw new Error('no dictionary');
    // 400 four-byte words, 1,600 bytes: past 1,008 (2^10 − 16) and 4,080 for larger windows.
    const wordIndexes = Array.from({ length: 400 }, (_, i) => (i * 37) % 1024);
    const lengths = wordIndexes.map(() => 4);
    const expected = Buffer.concat(wordIndexes.map((i) => dictionary.subarray(i * 4, i * 4 + 4)));
    for (const windowBits of [10, 12, 16, 17, 24]) {
      const bytes = wordReferenceStream({ lengths, wordIndexes, outputLengths: lengths }, windowBits);
      if (bytes === undefined) throw new Error('not written');
      expect(zlib.brotliDecompressSync(bytes).equals(expected), `window ${windowBits}`).toBe(true);
    }
  });

  it('ends a meta-block as soon as its length is written, before a reference that writes nothing', () => {
    // OmitFirst9 (transform 54) of a 4-byte word writes nothing; 'time' is word 0.
    const nothing = 54 * 1024;
    const first = wordReferenceStream({ lengths: [4, 4], wordIndexes: [nothing, 0], outputLengths: [0, 4] });
    const last = wordReferenceStream({ lengths: [4, 4], wordIndexes: [0, nothing], outputLengths: [4, 0] });
    if (first === undefined || last === undefined) throw new Error('not written');
    expect(decoded(Buffer.from(first))).toBe('time');
    // The meta-block of 4 ends after 'time': the empty reference's bits are read as the next header.
    expect(decoded(Buffer.from(last))).toBe('refused');
  });
});
