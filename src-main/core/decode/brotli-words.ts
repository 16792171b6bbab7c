/**
 * Brotli's static dictionary references (RFC 7932 §8) for the compressed decoder
 * (brotli-decoder.ts): a copy of 4–24 bytes whose distance is past the largest backward distance
 * names word `address & (2^NDBITS − 1)` of that length, transformed by `address >> NDBITS`.
 */
import { brotliDictionary, DICTIONARY_OFFSETS_BY_LENGTH, DICTIONARY_SIZE_BITS_BY_LENGTH } from './brotli-dictionary';
import { TRANSFORM_COUNT, writeTransformedWord } from './brotli-transforms';

let dictionary: Uint8Array | null | undefined;

/**
 * The word `address` (distance − max distance − 1) of length `length` written at out[at]: the
 * bytes written, or -1 when the reference decoder refuses it (a length outside 4–24, a transform
 * from 121), it passes out.length, or the dictionary is not available (Node's decoder answers).
 */
export function writeDictionaryWord(out: Uint8Array, at: number, length: number, address: number): number {
  if (length < 4 || length > 24) return -1;
  if (dictionary === undefined) dictionary = brotliDictionary() ?? null;
  if (dictionary === null) return -1;
  const sizeBits = DICTIONARY_SIZE_BITS_BY_LENGTH[length] ?? 0;
  const transform = address >>> sizeBits;
  if (transform >= TRANSFORM_COUNT) return -1;
  const word = address & ((1 << sizeBits) - 1);
  return writeTransformedWord(out, at, dictionary, (DICTIONARY_OFFSETS_BY_LENGTH[length] ?? 0) + word * length, length, transform);
}
