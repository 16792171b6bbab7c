/**
 * The 121 word transforms of RFC 7932 (§8, Appendix B): a prefix, one of 21 types, a suffix.
 * A dictionary reference names a word and a transform; the decoder writes
 * prefix + transformed word + suffix. Types: Identity, OmitLast1–9 (drop the last n bytes),
 * UppercaseFirst, UppercaseAll, OmitFirst1–9 (drop the first n; more than the word leaves it
 * empty). Uppercasing is the RFC's, on UTF-8 bytes: a byte under 0xC0 is one character (a–z
 * flipped to A–Z); a byte under 0xE0 starts two and bit 5 of the second is flipped; any other
 * starts three and the third is XORed with 5. A character cut by the word's end changes nothing
 * past it (the reference decoder may touch the byte after, but the suffix or later output
 * overwrites it: no byte it gives out differs).
 */

export const TRANSFORM_COUNT = 121;

/** Type numbers as decode.c's transform.h numbers them. */
const IDENTITY = 0;
const UPPERCASE_FIRST = 10;
const UPPERCASE_ALL = 11;
const OMIT_FIRST_1 = 12;
const OMIT_FIRST_9 = 20;
/** OmitLastN is N (1–9), OmitFirstN is 11 + N. */
const omitLast = (n: number): number => n;
const omitFirst = (n: number): number => 11 + n;

/** Appendix B, in order: [prefix, type, suffix]. Prefixes and suffixes are bytes, one a character ('\xc2\xa0' is UTF-8 NBSP). */
const TABLE: readonly (readonly [string, number, string])[] = [
  ['', IDENTITY, ''],
  ['', IDENTITY, ' '],
  [' ', IDENTITY, ' '],
  ['', omitFirst(1), ''],
  ['', UPPERCASE_FIRST, ' '],
  ['', IDENTITY, ' the '],
  [' ', IDENTITY, ''],
  ['s ', IDENTITY, ' '],
  ['', IDENTITY, ' of '],
  ['', UPPERCASE_FIRST, ''],
  ['', IDENTITY, ' and '],
  ['', omitFirst(2), ''],
  ['', omitLast(1), ''],
  [', ', IDENTITY, ' '],
  ['', IDENTITY, ', '],
  [' ', UPPERCASE_FIRST, ' '],
  ['', IDENTITY, ' in '],
  ['', IDENTITY, ' to '],
  ['e ', IDENTITY, ' '],
  ['', IDENTITY, '"'],
  ['', IDENTITY, '.'],
  ['', IDENTITY, '">'],
  ['', IDENTITY, '\n'],
  ['', omitLast(3), ''],
  ['', IDENTITY, ']'],
  ['', IDENTITY, ' for '],
  ['', omitFirst(3), ''],
  ['', omitLast(2), ''],
  ['', IDENTITY, ' a '],
  ['', IDENTITY, ' that '],
  [' ', UPPERCASE_FIRST, ''],
  ['', IDENTITY, '. '],
  ['.', IDENTITY, ''],
  [' ', IDENTITY, ', '],
  ['', omitFirst(4), ''],
  ['', IDENTITY, ' with '],
  ['', IDENTITY, "'"],
  ['', IDENTITY, ' from '],
  ['', IDENTITY, ' by '],
  ['', omitFirst(5), ''],
  ['', omitFirst(6), ''],
  [' the ', IDENTITY, ''],
  ['', omitLast(4), ''],
  ['', IDENTITY, '. The '],
  ['', UPPERCASE_ALL, ''],
  ['', IDENTITY, ' on '],
  ['', IDENTITY, ' as '],
  ['', IDENTITY, ' is '],
  ['', omitLast(7), ''],
  ['', omitLast(1), 'ing '],
  ['', IDENTITY, '\n\t'],
  ['', IDENTITY, ':'],
  [' ', IDENTITY, '. '],
  ['', IDENTITY, 'ed '],
  ['', omitFirst(9), ''],
  ['', omitFirst(7), ''],
  ['', omitLast(6), ''],
  ['', IDENTITY, '('],
  ['', UPPERCASE_FIRST, ', '],
  ['', omitLast(8), ''],
  ['', IDENTITY, ' at '],
  ['', IDENTITY, 'ly '],
  [' the ', IDENTITY, ' of '],
  ['', omitLast(5), ''],
  ['', omitLast(9), ''],
  [' ', UPPERCASE_FIRST, ', '],
  ['', UPPERCASE_FIRST, '"'],
  ['.', IDENTITY, '('],
  ['', UPPERCASE_ALL, ' '],
  ['', UPPERCASE_FIRST, '">'],
  ['', IDENTITY, '="'],
  [' ', IDENTITY, '.'],
  ['.com/', IDENTITY, ''],
  [' the ', IDENTITY, ' of the '],
  ['', UPPERCASE_FIRST, "'"],
  ['', IDENTITY, '. This '],
  ['', IDENTITY, ','],
  ['.', IDENTITY, ' '],
  ['', UPPERCASE_FIRST, '('],
  ['', UPPERCASE_FIRST, '.'],
  ['', IDENTITY, ' not '],
  [' ', IDENTITY, '="'],
  ['', IDENTITY, 'er '],
  [' ', UPPERCASE_ALL, ' '],
  ['', IDENTITY, 'al '],
  [' ', UPPERCASE_ALL, ''],
  ['', IDENTITY, "='"],
  ['', UPPERCASE_ALL, '"'],
  ['', UPPERCASE_FIRST, '. '],
  [' ', IDENTITY, '('],
  ['', IDENTITY, 'ful '],
  [' ', UPPERCASE_FIRST, '. '],
  ['', IDENTITY, 'ive '],
  ['', IDENTITY, 'less '],
  ['', UPPERCASE_ALL, "'"],
  ['', IDENTITY, 'est '],
  [' ', UPPERCASE_FIRST, '.'],
  ['', UPPERCASE_ALL, '">'],
  [' ', IDENTITY, "='"],
  ['', UPPERCASE_FIRST, ','],
  ['', IDENTITY, 'ize '],
  ['', UPPERCASE_ALL, '.'],
  ['\xc2\xa0', IDENTITY, ''],
  [' ', IDENTITY, ','],
  ['', UPPERCASE_FIRST, '="'],
  ['', UPPERCASE_ALL, '="'],
  ['', IDENTITY, 'ous '],
  ['', UPPERCASE_ALL, ', '],
  ['', UPPERCASE_FIRST, "='"],
  [' ', UPPERCASE_FIRST, ','],
  [' ', UPPERCASE_ALL, '="'],
  [' ', UPPERCASE_ALL, ', '],
  ['', UPPERCASE_ALL, ','],
  ['', UPPERCASE_ALL, '('],
  ['', UPPERCASE_ALL, '. '],
  [' ', UPPERCASE_ALL, '.'],
  ['', UPPERCASE_ALL, "='"],
  [' ', UPPERCASE_ALL, '. '],
  [' ', UPPERCASE_FIRST, '="'],
  [' ', UPPERCASE_ALL, "='"],
  [' ', UPPERCASE_FIRST, "='"],
];

/** Every prefix and suffix in one byte array; transform id's prefix is AFFIXES[starts[2id], starts[2id+1]), its suffix the next span. */
const AFFIXES = Uint8Array.from(TABLE.flatMap(([prefix, , suffix]) => [...prefix + suffix].map((c) => c.charCodeAt(0))));
const AFFIX_STARTS = new Uint16Array(TRANSFORM_COUNT * 2 + 1);
const TYPES = Uint8Array.from(TABLE, ([, type]) => type);
{
  let at = 0;
  TABLE.forEach(([prefix, , suffix], id) => {
    AFFIX_STARTS[2 * id] = at;
    at += prefix.length;
    AFFIX_STARTS[2 * id + 1] = at;
    at += suffix.length;
  });
  AFFIX_STARTS[2 * TRANSFORM_COUNT] = at;
}

/**
 * Writes dictionary[offset, offset + length) transformed by transform `id` (0 ≤ id < 121) into
 * out at `at`. Returns the number of bytes written, or -1 when they would pass out.length
 * (nothing is written then). A RangeError for an id, offset or length outside the tables.
 */
export function writeTransformedWord(
  out: Uint8Array,
  at: number,
  dictionary: Uint8Array,
  offset: number,
  length: number,
  id: number,
): number {
  // `>>> 0` keeps integers (what a decoder's bit fields are) and turns anything else away.
  if (id >>> 0 !== id || id >= TRANSFORM_COUNT) throw new RangeError(`no brotli transform ${id}`);
  if (offset >>> 0 !== offset || length >>> 0 !== length || offset + length > dictionary.length || at >>> 0 !== at) {
    throw new RangeError(`no dictionary word at ${offset} of length ${length}`);
  }
  const type = TYPES[id] ?? IDENTITY;
  const prefixStart = AFFIX_STARTS[2 * id] ?? 0;
  const suffixStart = AFFIX_STARTS[2 * id + 1] ?? 0;
  const suffixEnd = AFFIX_STARTS[2 * id + 2] ?? 0;
  let wordStart = offset;
  let wordLength = length;
  if (type >= OMIT_FIRST_1 && type <= OMIT_FIRST_9) {
    const skip = Math.min(type - 11, length);
    wordStart += skip;
    wordLength -= skip;
  } else if (type < UPPERCASE_FIRST) {
    wordLength = Math.max(0, length - type);
  }
  const total = suffixEnd - prefixStart + wordLength;
  if (at + total > out.length) return -1;
  let to = at;
  for (let i = prefixStart; i < suffixStart; i++) out[to++] = AFFIXES[i] ?? 0;
  const wordAt = to;
  for (let i = 0; i < wordLength; i++) out[to++] = dictionary[wordStart + i] ?? 0;
  if (type === UPPERCASE_FIRST) {
    if (wordAt < to) uppercaseCharacter(out, wordAt, to);
  } else if (type === UPPERCASE_ALL) {
    for (let i = wordAt; i < to; ) i += uppercaseCharacter(out, i, to);
  }
  for (let i = suffixStart; i < suffixEnd; i++) out[to++] = AFFIXES[i] ?? 0;
  return total;
}

/** Uppercases the character at `at` (RFC 7932 §8), leaving bytes from `end` on alone; returns its length in bytes. */
function uppercaseCharacter(bytes: Uint8Array, at: number, end: number): number {
  const first = bytes[at] ?? 0;
  if (first < 0xc0) {
    if (first >= 0x61 && first <= 0x7a) bytes[at] = first ^ 32;
    return 1;
  }
  if (first < 0xe0) {
    if (at + 1 < end) bytes[at + 1] = (bytes[at + 1] ?? 0) ^ 32;
    return 2;
  }
  if (at + 2 < end) bytes[at + 2] = (bytes[at + 2] ?? 0) ^ 5;
  return 3;
}
