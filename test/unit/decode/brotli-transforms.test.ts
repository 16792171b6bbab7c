/**
 * writeTransformedWord (brotli-transforms.ts) writes what Node's brotli decoder writes for a
 * dictionary word under each of the 121 transforms of RFC 7932: every transform, on words of
 * every length, ASCII and UTF-8 words of one-, two- and three-byte characters, words that end
 * inside a character, words shorter than what is omitted. Each case is a stream
 * (brotli-word-stream.ts) copying the word under the transform, then 'time'; the decoder's bytes
 * before 'time' must be ours. A transform id from 121 on is refused by the decoder (a decoder of
 * ours must leave it to Node's or refuse too).
 */
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  DICTIONARY_OFFSETS_BY_LENGTH,
  DICTIONARY_SIZE_BITS_BY_LENGTH,
  brotliDictionary,
} from '../../../src-main/core/decode/brotli-dictionary';
import { TRANSFORM_COUNT, writeTransformedWord } from '../../../src-main/core/decode/brotli-transforms';
import { wordReferenceStream } from '../../../src-main/core/decode/brotli-word-stream';

function dictionary(): Uint8Array {
  const made = brotliDictionary();
  if (made === undefined) throw new Error('no dictionary');
  return made;
}

interface Word {
  readonly length: number;
  readonly index: number;
}

function wordOffset({ length, index }: Word): number {
  return (DICTIONARY_OFFSETS_BY_LENGTH[length] ?? 0) + index * length;
}

function wordBytes(word: Word): Uint8Array {
  return dictionary().subarray(wordOffset(word), wordOffset(word) + word.length);
}

/** Ours: the bytes, or undefined when the writer refuses. */
function ours(word: Word, id: number): Buffer | undefined {
  const out = new Uint8Array(64);
  const written = writeTransformedWord(out, 0, dictionary(), wordOffset(word), word.length, id);
  return written < 0 ? undefined : Buffer.from(out.subarray(0, written));
}

/**
 * Node's decoder on the word under transform `id` (`outputLength` bytes by our count), then
 * 'time': the bytes before 'time', or 'refused'. The word comes first because a meta-block ends
 * as soon as its length is written: a reference writing nothing would not be read after 'time'.
 */
function nodes(word: Word, id: number, outputLength: number): Buffer | 'refused' {
  const wordIndex = word.index + id * 2 ** (DICTIONARY_SIZE_BITS_BY_LENGTH[word.length] ?? 0);
  const stream = wordReferenceStream({
    lengths: [word.length, 4],
    wordIndexes: [wordIndex, 0],
    outputLengths: [outputLength, 4],
  });
  if (stream === undefined) throw new Error('not written');
  try {
    const bytes = zlib.brotliDecompressSync(stream);
    expect(bytes.subarray(-4).toString('latin1')).toBe('time');
    return bytes.subarray(0, -4);
  } catch {
    return 'refused';
  }
}

/** Words for the cases: the first and last of each length, and the first of each kind of UTF-8 shape. */
function testWords(): Word[] {
  const words: Word[] = [];
  const shapes: ((bytes: Uint8Array) => boolean)[] = [
    (b) => (b[0] ?? 0) >= 0xc0 && (b[0] ?? 0) < 0xe0, // starts with a two-byte character
    (b) => (b[0] ?? 0) >= 0xe0, // starts with a three-byte character
    (b) => (b[0] ?? 0) >= 0x61 && (b[0] ?? 0) <= 0x7a && b.some((x) => x >= 0xc0 && x < 0xe0), // ASCII, then a two-byte one
    (b) => (b[0] ?? 0) < 0x80 && b.some((x) => x >= 0xe0), // ASCII, then a three-byte one
    (b) => b.some((x) => x >= 0xc0 && x < 0xe0) && b.some((x) => x >= 0xe0), // both
    (b) => (b[0] ?? 0) >= 0x41 && (b[0] ?? 0) <= 0x5a, // starts uppercase
    (b) => (b.at(-1) ?? 0) >= 0xc0 || (b.at(-2) ?? 0) >= 0xe0, // ends inside a character (10 words do, 'zh:\xe5')
  ];
  for (let length = 4; length <= 24; length++) {
    const count = 2 ** (DICTIONARY_SIZE_BITS_BY_LENGTH[length] ?? 0);
    words.push({ length, index: 0 }, { length, index: count - 1 });
    for (const [shape, test] of shapes.entries()) {
      if (length > 12 && shape > 1) continue;
      for (let index = 0; index < count; index++) {
        if (test(wordBytes({ length, index }))) {
          words.push({ length, index });
          break;
        }
      }
    }
  }
  return words;
}

describe('writeTransformedWord', () => {
  it('writes what the RFC’s table says for a few words (without Node)', () => {
    const time = { length: 4, index: 0 };
    const text = (id: number): string | undefined => ours(time, id)?.toString('latin1');
    expect(text(0)).toBe('time');
    expect(text(1)).toBe('time ');
    expect(text(3)).toBe('ime');
    expect(text(9)).toBe('Time');
    expect(text(44)).toBe('TIME');
    expect(text(49)).toBe('timing ');
    expect(text(54)).toBe(''); // OmitFirst9 of 4 bytes
    expect(text(64)).toBe(''); // OmitLast9 of 4 bytes
    expect(text(73)).toBe(' the time of the ');
    expect(text(102)).toBe('\xc2\xa0time');
    expect(text(120)).toBe(" Time='");
  });

  it('uppercases UTF-8 as the RFC does: a–z, bit 5 of a two-byte character’s second byte, a three-byte character’s third byte XOR 5', () => {
    const words = Uint8Array.from([0x61, 0xc3, 0xa9, 0xe4, 0xb8, 0x80, 0x7a, 0x31]);
    const out = new Uint8Array(16);
    expect(writeTransformedWord(out, 0, words, 0, 8, 44)).toBe(8);
    expect([...out.subarray(0, 8)]).toEqual([0x41, 0xc3, 0x89, 0xe4, 0xb8, 0x85, 0x5a, 0x31]);
    expect(writeTransformedWord(out, 0, words, 1, 4, 9)).toBe(4);
    expect([...out.subarray(0, 4)]).toEqual([0xc3, 0x89, 0xe4, 0xb8]);
    // A character cut by the word's end: nothing past the word changes (the suffix follows).
    expect(writeTransformedWord(out, 0, words, 0, 5, 68)).toBe(6);
    expect([...out.subarray(0, 6)]).toEqual([0x41, 0xc3, 0x89, 0xe4, 0xb8, 0x20]);
    // ... nor past what it writes when no suffix follows.
    out.fill(0x11);
    expect(writeTransformedWord(out, 0, words, 0, 5, 44)).toBe(5);
    expect([...out.subarray(0, 7)]).toEqual([0x41, 0xc3, 0x89, 0xe4, 0xb8, 0x11, 0x11]);
    out.fill(0x11);
    expect(writeTransformedWord(out, 0, words, 0, 2, 44)).toBe(2);
    expect([...out.subarray(0, 3)]).toEqual([0x41, 0xc3, 0x11]);
  });

  it('writes nothing and returns -1 when the bytes would pass the end of out', () => {
    const dict = dictionary();
    const out = new Uint8Array(20).fill(7);
    expect(writeTransformedWord(out, 4, dict, 0, 4, 73)).toBe(-1); // 17 bytes from 4
    expect(out.every((byte) => byte === 7)).toBe(true);
    expect(writeTransformedWord(out, 3, dict, 0, 4, 73)).toBe(17);
    expect(writeTransformedWord(out, 20, dict, 0, 4, 54)).toBe(0);
  });

  it('throws a RangeError for an id that is not 0–120 or a word outside the dictionary', () => {
    const dict = dictionary();
    const out = new Uint8Array(64);
    expect(() => writeTransformedWord(out, 0, dict, 0, 4, TRANSFORM_COUNT)).toThrow(RangeError);
    expect(() => writeTransformedWord(out, 0, dict, 0, 4, -1)).toThrow(RangeError);
    expect(() => writeTransformedWord(out, 0, dict, 0, 4, 1.5)).toThrow(RangeError);
    expect(() => writeTransformedWord(out, 0, dict, 0, 4, Number.NaN)).toThrow(RangeError);
    expect(() => writeTransformedWord(out, 0, dict, -4, 4, 0)).toThrow(RangeError);
    expect(() => writeTransformedWord(out, -1, dict, 0, 4, 0)).toThrow(RangeError);
    expect(() => writeTransformedWord(out, 0, dict, dict.length - 3, 4, 0)).toThrow(RangeError);
  });

  it('writes what Node’s decoder writes, for every transform on every kind of word', () => {
    const words = testWords();
    expect(words.length).toBeGreaterThan(60);
    let cases = 0;
    for (const word of words) {
      for (let id = 0; id < TRANSFORM_COUNT; id++) {
        const mine = ours(word, id);
        if (mine === undefined) throw new Error('out too small');
        const theirs = nodes(word, id, mine.length);
        const label = `word ${word.length}/${word.index} (${JSON.stringify(Buffer.from(wordBytes(word)).toString('latin1'))}) transform ${id}`;
        expect(theirs === 'refused' ? 'refused' : theirs.toString('hex'), label).toBe(mine.toString('hex'));
        cases++;
      }
    }
    expect(cases).toBe(words.length * 121);
  });

  it('gives lengths that Node agrees with: one byte more or less is refused', () => {
    for (const id of [0, 3, 44, 49, 54, 73, 102]) {
      const word = { length: 6, index: 3 };
      const length = ours(word, id)?.length ?? 0;
      expect(nodes(word, id, length + 1)).toBe('refused');
      if (length > 0) expect(nodes(word, id, length - 1)).toBe('refused');
    }
  });
});

describe('Node’s decoder and transform ids', () => {
  it('takes transform 120 of the last word of each length and refuses 121 (the first word index past the table)', () => {
    for (let length = 4; length <= 24; length++) {
      const last = { length, index: 2 ** (DICTIONARY_SIZE_BITS_BY_LENGTH[length] ?? 0) - 1 };
      const mine = ours(last, 120);
      expect(mine).toBeDefined();
      expect(nodes(last, 120, mine?.length ?? 0)).toEqual(mine);
      for (const outputLength of [1, 4, length, length + 8]) {
        expect(nodes({ length, index: 0 }, 121, outputLength)).toBe('refused');
        expect(nodes({ length, index: 5 }, 127, outputLength)).toBe('refused');
      }
    }
  });
});
