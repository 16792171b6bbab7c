/**
 * Brotli's static dictionary (RFC 7932 §8, Appendix A): 122,784 bytes of words of 4 to 24 bytes,
 * 2^NDBITS(length) words of each length, one after another by length.
 *
 * Not stored in the project: it is asked of Node's own brotli decoder once, on first use. A
 * stream written here (brotli-word-stream.ts) copies every word, in order and untransformed, so
 * the decoder's output is the dictionary itself (13,504 commands, a 24 KB stream). It is kept
 * only when its length, a few words the RFC names and its SHA-256 are right; otherwise there is
 * no dictionary (undefined) and callers leave such streams to Node's decoder.
 */
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { dictionaryWordsStream } from './brotli-word-stream';

/** NDBITS per word length 0..24 (§8): 0 for lengths 0–3, which have no words. */
export const DICTIONARY_SIZE_BITS_BY_LENGTH = Uint8Array.of(
  0, 0, 0, 0, 10, 10, 11, 11, 10, 10, 10, 10, 10, 9, 9, 8, 7, 7, 8, 7, 7, 6, 6, 5, 5,
);

/** DOFFSET per word length 0..24: where words of that length start (each length's words follow the shorter ones'). */
export const DICTIONARY_OFFSETS_BY_LENGTH = offsetsByLength();

export const DICTIONARY_SIZE = 122_784;

/** SHA-256 of the dictionary Node's decoder gives (brotli 1.1.0 in Node 20). */
const DICTIONARY_SHA256 = '20e42eb1b511c21806d4d227d07e5dd06877d8ce7b3a817f378f313653f35c70';

function offsetsByLength(): Uint32Array {
  const offsets = new Uint32Array(25);
  for (let length = 4; length < 24; length++) {
    offsets[length + 1] = (offsets[length] ?? 0) + (length << (DICTIONARY_SIZE_BITS_BY_LENGTH[length] ?? 0));
  }
  return offsets;
}

/** The first words, as RFC 7932 Appendix A lists them: a cheap check before the hash. */
const KNOWN_WORDS: readonly (readonly [length: number, index: number, word: string])[] = [
  [4, 0, 'time'],
  [4, 1, 'down'],
  [4, 2, 'life'],
];

let made: Uint8Array | undefined | null = null;

/** The 122,784-byte static dictionary, made once on first call (one array for every caller: read it, never write it); undefined when it cannot be made here. */
export function brotliDictionary(): Uint8Array | undefined {
  if (made === null) made = deriveDictionary();
  return made;
}

function deriveDictionary(): Uint8Array | undefined {
  const stream = dictionaryWordsStream(DICTIONARY_SIZE_BITS_BY_LENGTH);
  let dictionary: Uint8Array;
  try {
    dictionary = new Uint8Array(zlib.brotliDecompressSync(stream, { maxOutputLength: DICTIONARY_SIZE + 1 }));
  } catch {
    return undefined;
  }
  return isDictionary(dictionary) ? dictionary : undefined;
}

/** Length, the known words and the hash: a wrong dictionary would decode wrong bytes, so none is better. */
export function isDictionary(bytes: Uint8Array): boolean {
  if (bytes.length !== DICTIONARY_SIZE) return false;
  for (const [length, index, word] of KNOWN_WORDS) {
    const at = (DICTIONARY_OFFSETS_BY_LENGTH[length] ?? 0) + index * length;
    if (Buffer.from(bytes.subarray(at, at + length)).toString('latin1') !== word) return false;
  }
  return crypto.createHash('sha256').update(bytes).digest('hex') === DICTIONARY_SHA256;
}
