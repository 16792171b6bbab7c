/**
 * Brotli's prefix codes (RFC 7932 §3.4, §3.5) read from the stream into lookup tables, for the
 * compressed decoder (brotli-decoder.ts). A code is a root table indexed by the next
 * min(longest code, 8) bits, with second-level tables for longer codes, all in one reused
 * Int32Array (no allocation per message). An entry is `symbol << 8 | code length`; a link to a
 * second-level table is `table start << 8 | 16 + its index bits`. A code is named by
 * `root start << 4 | root bits`, or -1 when the stream is invalid, or uses more table than is
 * left: the caller then leaves the message to Node's decoder.
 *
 * What the reference decoder refuses is refused here (decode.c ReadHuffmanCode): a simple code's
 * symbol past the alphabet or twice; a complex code whose code-length code does not use its code
 * space exactly (unless it has one code), whose lengths overrun the alphabet, or whose code space
 * is not exactly used.
 */
import type { BrotliBitBuffer } from './brotli-bit-buffer';

/** Bits reversed within a byte: canonical codes are sent from their most significant bit. */
const REVERSED = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let r = 0;
  for (let b = 0; b < 8; b++) r |= ((i >> b) & 1) << (7 - b);
  REVERSED[i] = r;
}

/** The order in which the code-length code's lengths are sent (§3.5). */
const CODE_LENGTH_ORDER = Uint8Array.of(1, 2, 3, 4, 0, 5, 17, 6, 16, 7, 8, 9, 10, 11, 12, 13, 14, 15);
/** A code-length code length from the next 4 bits (§3.5's fixed code: 00→0, 0111→1, 011→2, 10→3, 01→4, 1111→5, read from the right)... */
const CODE_LENGTH_VALUE = Uint8Array.of(0, 4, 3, 2, 0, 4, 3, 1, 0, 4, 3, 2, 0, 4, 3, 5);
/** ...and how many of those bits it takes. */
const CODE_LENGTH_BITS = Uint8Array.of(2, 2, 2, 3, 2, 2, 2, 4, 2, 2, 2, 3, 2, 2, 2, 4);

const MAX_ALPHABET = 704;
const ROOT_BITS = 8;

/** Scratch for one code at a time. */
const lengthCount = new Int32Array(16);
const lengthOffset = new Int32Array(16);
const sorted = new Uint16Array(MAX_ALPHABET);
const usedSymbols = new Uint16Array(MAX_ALPHABET);
const usedLengths = new Uint8Array(MAX_ALPHABET);
const codeLengthLengths = new Uint8Array(18);
const codeLengthTable = new Int32Array(32);
const simpleSymbols = new Uint16Array(4);
/** The code-length code codeLengthTable holds (its 18 lengths, 3 bits each, in two numbers), and its index bits. */
let lastLengthsLow = -1;
let lastLengthsHigh = -1;
let lastLengthsBits = 0;

/** The tables of one meta-block's codes; `used` entries are taken. */
export class PrefixCodeTables {
  readonly table: Int32Array;
  used = 0;
  constructor(entries: number) {
    this.table = new Int32Array(entries);
  }
}

/** The next symbol of code `code` in `table`. */
export function readSymbol(bits: BrotliBitBuffer, table: Int32Array, code: number): number {
  if (bits.count < 15) bits.fill();
  const val = bits.val;
  let entry = table[(code >>> 4) + (val & ((1 << (code & 15)) - 1))] ?? 0;
  let length = entry & 255;
  if (length > 15) {
    entry = table[(entry >>> 8) + ((val >>> ROOT_BITS) & ((1 << (length - 16)) - 1))] ?? 0;
    length = entry & 255;
  }
  bits.val = val >>> length;
  bits.count -= length;
  return entry >>> 8;
}

/** A prefix code over `alphabetSize` symbols (≤ 704) read from the stream into `tables`; see the file comment. */
export function readPrefixCode(bits: BrotliBitBuffer, alphabetSize: number, tables: PrefixCodeTables): number {
  const hskip = bits.take(2);
  return hskip === 1 ? readSimpleCode(bits, alphabetSize, tables) : readComplexCode(bits, hskip, alphabetSize, tables);
}

/** §3.4: 1–4 symbols of ALPHABET_BITS each, their lengths fixed by their number (and a tree-select bit for 4). */
function readSimpleCode(bits: BrotliBitBuffer, alphabetSize: number, tables: PrefixCodeTables): number {
  const count = bits.take(2) + 1;
  const symbolBits = 32 - Math.clz32(alphabetSize - 1);
  for (let i = 0; i < count; i++) {
    const symbol = bits.take(symbolBits);
    if (symbol >= alphabetSize) return -1;
    for (let j = 0; j < i; j++) if (simpleSymbols[j] === symbol) return -1;
    simpleSymbols[i] = symbol;
  }
  const at = tables.used;
  if (at + (1 << 3) > tables.table.length) return -1;
  const s0 = simpleSymbols[0] ?? 0;
  const s1 = simpleSymbols[1] ?? 0;
  const s2 = simpleSymbols[2] ?? 0;
  const s3 = simpleSymbols[3] ?? 0;
  for (let i = 0; i < 4; i++) lengthCount[i] = 0;
  let longest: number;
  switch (count) {
    case 1:
      // One symbol: no bits at all.
      tables.table[at] = s0 << 8;
      tables.used = at + 1;
      return at << 4;
    case 2:
      lengthCount[1] = 2;
      sorted[0] = Math.min(s0, s1);
      sorted[1] = Math.max(s0, s1);
      longest = 1;
      break;
    case 3:
      // The first symbol gets length 1, the other two length 2 (in symbol order).
      lengthCount[1] = 1;
      lengthCount[2] = 2;
      sorted[0] = s0;
      sorted[1] = Math.min(s1, s2);
      sorted[2] = Math.max(s1, s2);
      longest = 2;
      break;
    default:
      if (bits.take(1) === 0) {
        lengthCount[2] = 4;
        sortFour(s0, s1, s2, s3);
        longest = 2;
      } else {
        // Lengths 1, 2, 3, 3 in the order sent (the last two in symbol order).
        lengthCount[1] = 1;
        lengthCount[2] = 1;
        lengthCount[3] = 2;
        sorted[0] = s0;
        sorted[1] = s1;
        sorted[2] = Math.min(s2, s3);
        sorted[3] = Math.max(s2, s3);
        longest = 3;
      }
  }
  const size = buildTable(tables.table, at, longest);
  tables.used = at + size;
  return (at << 4) | longest;
}

function sortFour(a: number, b: number, c: number, d: number): void {
  sorted[0] = a;
  sorted[1] = b;
  sorted[2] = c;
  sorted[3] = d;
  for (let i = 1; i < 4; i++) {
    const v = sorted[i] ?? 0;
    let j = i - 1;
    for (; j >= 0 && (sorted[j] ?? 0) > v; j--) sorted[j + 1] = sorted[j] ?? 0;
    sorted[j + 1] = v;
  }
}

/**
 * §3.5: the code-length code, then each symbol's length with repeats (16: the previous non-zero
 * length, 17: zeros). The bit buffer is kept in locals (val, count, at) and written back.
 */
function readComplexCode(bits: BrotliBitBuffer, skip: number, alphabetSize: number, tables: PrefixCodeTables): number {
  const input = bits.bytes;
  const end = bits.end;
  let val = bits.val;
  let count = bits.count;
  let at = bits.pos;
  for (let i = 0; i < 18; i++) codeLengthLengths[i] = 0;
  let space = 32;
  let codes = 0;
  for (let i = skip; i < 18; i++) {
    if (count < 4) {
      for (; count <= 24; count += 8) val |= (at < end ? (input[at++] ?? 0) : (at++, 0)) << count;
    }
    const peek = val & 15;
    const length = CODE_LENGTH_VALUE[peek] ?? 0;
    const taken = CODE_LENGTH_BITS[peek] ?? 0;
    val >>>= taken;
    count -= taken;
    codeLengthLengths[CODE_LENGTH_ORDER[i] ?? 0] = length;
    if (length !== 0) {
      space -= 32 >> length;
      codes++;
      if (space <= 0) break;
    }
  }
  if (codes !== 1 && space !== 0) return -1;
  // Encoders send the same code-length code again and again: its table is built only when it changes.
  let low = 0;
  let high = 0;
  for (let i = 0; i < 9; i++) {
    low = low * 8 + (codeLengthLengths[i] ?? 0);
    high = high * 8 + (codeLengthLengths[i + 9] ?? 0);
  }
  if (low !== lastLengthsLow || high !== lastLengthsHigh) {
    lastLengthsBits = buildCodeLengthTable(codes);
    lastLengthsLow = low;
    lastLengthsHigh = high;
  }
  const lengthsBits = lastLengthsBits;
  const lengthsMask = (1 << lengthsBits) - 1;

  // The symbols' lengths; only the non-zero ones are kept, in symbol order.
  for (let i = 0; i < 16; i++) lengthCount[i] = 0;
  let used = 0;
  let symbol = 0;
  let previous = 8;
  let repeat = 0;
  let repeatLength = 0;
  space = 32768;
  while (symbol < alphabetSize && space > 0) {
    if (count < 8) {
      for (; count <= 24; count += 8) val |= (at < end ? (input[at++] ?? 0) : (at++, 0)) << count;
    }
    // The code-length code is at most 5 bits long: one table level.
    const entry = codeLengthTable[val & lengthsMask] ?? 0;
    const taken = entry & 255;
    val >>>= taken;
    count -= taken;
    const code = entry >>> 8;
    if (code < 16) {
      repeat = 0;
      if (code !== 0) {
        usedSymbols[used] = symbol;
        usedLengths[used++] = code;
        lengthCount[code] = (lengthCount[code] ?? 0) + 1;
        previous = code;
        space -= 32768 >> code;
      }
      symbol++;
      continue;
    }
    const extraBits = code === 16 ? 2 : 3;
    const newLength = code === 16 ? previous : 0;
    const delta = val & ((1 << extraBits) - 1);
    val >>>= extraBits;
    count -= extraBits;
    if (repeatLength !== newLength) {
      repeat = 0;
      repeatLength = newLength;
    }
    const before = repeat;
    // Consecutive repeat codes multiply (§3.5).
    if (repeat > 0) repeat = (repeat - 2) << extraBits;
    repeat += delta + 3;
    const added = repeat - before;
    if (symbol + added > alphabetSize) return -1;
    if (repeatLength !== 0) {
      for (let k = 0; k < added; k++) {
        usedSymbols[used] = symbol + k;
        usedLengths[used++] = repeatLength;
      }
      lengthCount[repeatLength] = (lengthCount[repeatLength] ?? 0) + added;
      space -= added << (15 - repeatLength);
    }
    symbol += added;
  }
  bits.val = val;
  bits.count = count;
  bits.pos = at;
  if (space !== 0) return -1;

  let longest = 0;
  let long = 0;
  lengthOffset[1] = 0;
  for (let length = 1; length < 16; length++) {
    const n = lengthCount[length] ?? 0;
    if (n !== 0) longest = length;
    if (length > ROOT_BITS) long += n;
    if (length < 15) lengthOffset[length + 1] = (lengthOffset[length] ?? 0) + n;
  }
  for (let i = 0; i < used; i++) {
    const length = usedLengths[i] ?? 0;
    const to = lengthOffset[length] ?? 0;
    sorted[to] = usedSymbols[i] ?? 0;
    lengthOffset[length] = to + 1;
  }
  const root = Math.min(longest, ROOT_BITS);
  const first = tables.used;
  // Each second-level table has at least one code and at most 2^(15 − 8) entries.
  if (first + (1 << root) + long * (1 << (15 - ROOT_BITS)) > tables.table.length) return -1;
  tables.used = first + buildTable(tables.table, first, longest);
  return (first << 4) | root;
}

/** The code-length code's table (codeLengthTable) from codeLengthLengths: its index bits. */
function buildCodeLengthTable(codes: number): number {
  if (codes === 1) {
    // One code: it takes no bits (decode.c's special case).
    for (let s = 0; s < 18; s++) if (codeLengthLengths[s] !== 0) codeLengthTable[0] = s << 8;
    return 0;
  }
  for (let i = 0; i < 16; i++) lengthCount[i] = 0;
  let longest = 0;
  for (let s = 0; s < 18; s++) {
    const length = codeLengthLengths[s] ?? 0;
    lengthCount[length] = (lengthCount[length] ?? 0) + 1;
    if (length > longest) longest = length;
  }
  lengthOffset[1] = 0;
  for (let length = 1; length < 5; length++) lengthOffset[length + 1] = (lengthOffset[length] ?? 0) + (lengthCount[length] ?? 0);
  for (let s = 0; s < 18; s++) {
    const length = codeLengthLengths[s] ?? 0;
    if (length === 0) continue;
    const to = lengthOffset[length] ?? 0;
    sorted[to] = s;
    lengthOffset[length] = to + 1;
  }
  buildTable(codeLengthTable, 0, longest);
  return longest;
}

/**
 * The lookup table of a complete canonical code whose symbols are in `sorted` (by length, then
 * symbol) with `lengthCount` of each length, at `at`: the entries used. Consumes lengthCount.
 */
function buildTable(table: Int32Array, at: number, longest: number): number {
  const root = longest < ROOT_BITS ? longest : ROOT_BITS;
  let size = 1 << root;
  let code = 0;
  let k = 0;
  for (let length = 1; length <= root; length++) {
    const step = 1 << length;
    for (let n = lengthCount[length] ?? 0; n > 0; n--) {
      const entry = ((sorted[k++] ?? 0) << 8) | length;
      for (let j = reverse(code, length); j < size; j += step) table[at + j] = entry;
      code++;
    }
    code <<= 1;
  }
  let prefix = -1;
  let subAt = 0;
  let subSize = 0;
  for (let length = root + 1; length <= longest; length++) {
    const low = length - root;
    for (; (lengthCount[length] ?? 0) > 0; lengthCount[length] = (lengthCount[length] ?? 0) - 1) {
      const top = code >>> low;
      if (top !== prefix) {
        // A second-level table for the codes starting with these root bits: as many index bits
        // as the codes left need to fill it (zlib's and brotli's way of sizing it).
        prefix = top;
        let bitsNeeded = length;
        let left = 1 << low;
        while (bitsNeeded < 15) {
          left -= lengthCount[bitsNeeded] ?? 0;
          if (left <= 0) break;
          bitsNeeded++;
          left <<= 1;
        }
        subAt = at + size;
        subSize = 1 << (bitsNeeded - root);
        size += subSize;
        table[at + reverse(top, root)] = (subAt << 8) | (16 + bitsNeeded - root);
      }
      const entry = ((sorted[k++] ?? 0) << 8) | length;
      const step = 1 << low;
      for (let j = reverse(code & (step - 1), low); j < subSize; j += step) table[subAt + j] = entry;
      code++;
    }
    code <<= 1;
  }
  return size;
}

/** The low `n` (≤ 8) bits of `code` in reverse order. */
function reverse(code: number, n: number): number {
  return (REVERSED[code & 255] ?? 0) >>> (8 - n);
}
