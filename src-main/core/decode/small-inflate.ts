/**
 * DEFLATE (RFC 1951) inflated in TypeScript, tried before the native zlib handle
 * (payload-inflater.ts): a query search inflates a million ~60-byte messages, and the native
 * call costs about 0.67 µs each however small the message (the write, the reset), while these
 * take a fraction of that. Wrappers: gzip (RFC 1952), zlib (RFC 1950) and raw.
 *
 * The answer is the length of the bytes written to the front of `out`, and only where Node's
 * public function (gunzipSync, inflateSync, inflateRawSync) returns exactly those bytes; anything
 * else is undefined, and the native decoder answers (it also words the errors). So undefined for:
 * any error zlib reports (a bad header or flag, block type 3, stored lengths that disagree, the
 * fixed codes 286/287 and distance codes 30/31, a distance past the output so far: zlib's
 * "invalid distance too far back", a bad CRC-32, ISIZE or Adler-32), a zlib preset dictionary,
 * a stream cut short, bytes after its end (Node ignores some, reads a second gzip member or
 * fails on others), output that would fill `out` (the native path is then unsure too), and
 * dynamic-Huffman code sets zlib reads but that are not complete (one distance code, none):
 * zlib's encoder never writes them.
 *
 * Speed: the bit buffer lives in locals (at most 28 bits, a small integer to V8; two bytes a
 * refill where they fit), the fixed tables are made once and a dynamic block's go into
 * preallocated arrays: nothing is allocated per message. Two 8-bit fixed literal codes (bytes
 * 0–143: ASCII text) are one read of a 128 KB pair table (literalPairs); a code up to the
 * table's bits is one read; a longer dynamic code is read by counting (puff's way). CRC-32 and
 * Adler-32 four bytes a step. The bench's messages (55–70 bytes of JSON, nearly all one fixed
 * block) through PayloadInflater.inflateToScratch, against the native handle in the same
 * process: gzip 0.35 µs of CPU a message against 0.57, zlib 0.35 against 0.45, raw 0.28 against
 * 0.41. One literal a table read, a byte a refill and CRC-32 a byte a step was slower than the
 * native call (gzip 1.04 µs).
 */

export type SmallInflateFormat = 'gzip' | 'deflate' | 'deflate-raw';

// Table entries: code length in bits 0–3, operation in bits 8–15, value in bits 16–31.
const OP_LITERAL = 0;
/** 16 | extra bits: a length (or a distance) with that many extra bits. */
const OP_BASE = 16;
const OP_END = 32;
const OP_INVALID = 64;
/** The code is longer than the table's bits: read it by counting. */
const OP_LONG = 128;

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DISTANCE_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DISTANCE_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

/** A literal/length symbol's entry without its code length (286 and 287 are not valid: zlib refuses them). */
const LITLEN_SYMBOL = new Int32Array(288);
for (let symbol = 0; symbol < 288; symbol++) {
  if (symbol < 256) LITLEN_SYMBOL[symbol] = (symbol << 16) | (OP_LITERAL << 8);
  else if (symbol === 256) LITLEN_SYMBOL[symbol] = OP_END << 8;
  else if (symbol < 286) LITLEN_SYMBOL[symbol] = ((LENGTH_BASE[symbol - 257] ?? 0) << 16) | ((OP_BASE | (LENGTH_EXTRA[symbol - 257] ?? 0)) << 8);
  else LITLEN_SYMBOL[symbol] = OP_INVALID << 8;
}
/** A distance symbol's entry without its code length (30 and 31 are not valid). */
const DISTANCE_SYMBOL = new Int32Array(32);
for (let symbol = 0; symbol < 32; symbol++) {
  DISTANCE_SYMBOL[symbol] = symbol < 30 ? ((DISTANCE_BASE[symbol] ?? 0) << 16) | ((OP_BASE | (DISTANCE_EXTRA[symbol] ?? 0)) << 8) : OP_INVALID << 8;
}

const MAX_BITS = 15;
/**
 * The bit buffer is refilled below this many bits, so it holds at most 28 (kept under 2^30: a
 * small integer to V8, never a heap number) and at least 21 after a refill: a code (15) and a
 * length's extra bits (5).
 */
const REFILL = 21;
/** Table bits of a dynamic block's literal/length and distance tables (fixed codes fit in 9 and 5). */
const LITLEN_TABLE_BITS = 10;
const DISTANCE_TABLE_BITS = 8;
const CODELEN_TABLE_BITS = 7;

/** One prefix code: its lookup table and, for codes longer than the table, counts and sorted symbols. */
interface PrefixCode {
  table: Int32Array;
  bits: number;
  counts: Uint16Array;
  symbols: Uint16Array;
  /** Entries per symbol (LITLEN_SYMBOL, DISTANCE_SYMBOL, or the code length code's own). */
  entries: Int32Array;
}

function prefixCode(bits: number, symbols: number, entries: Int32Array): PrefixCode {
  return { table: new Int32Array(1 << bits), bits, counts: new Uint16Array(MAX_BITS + 1), symbols: new Uint16Array(symbols), entries };
}

/** The code length code's symbols 0–18 are their own values. */
const CODELEN_SYMBOL = new Int32Array(19).map((_, symbol) => (symbol << 16) | (OP_LITERAL << 8));

const fixedLitlen = prefixCode(9, 288, LITLEN_SYMBOL);
const fixedDistance = prefixCode(5, 32, DISTANCE_SYMBOL);
const dynamicLitlen = prefixCode(LITLEN_TABLE_BITS, 288, LITLEN_SYMBOL);
const dynamicDistance = prefixCode(DISTANCE_TABLE_BITS, 32, DISTANCE_SYMBOL);
const codeLengthCode = prefixCode(CODELEN_TABLE_BITS, 19, CODELEN_SYMBOL);
/** Code lengths being read (a dynamic block's, then the fixed ones once). */
const lengths = new Uint8Array(32 + 288 + 32);
const nextCode = new Uint16Array(MAX_BITS + 2);
const offsets = new Uint16Array(MAX_BITS + 2);

/**
 * Fills `code` from `lengths[from, from + count)`: false when the set is over-subscribed or not
 * complete (zlib refuses the first and most of the second; the rest is left to it).
 */
function buildCode(code: PrefixCode, from: number, count: number): boolean {
  const counts = code.counts;
  counts.fill(0);
  for (let i = 0; i < count; i++) {
    const length = lengths[from + i] ?? 0;
    counts[length] = (counts[length] ?? 0) + 1;
  }
  counts[0] = 0;
  let left = 1;
  for (let length = 1; length <= MAX_BITS; length++) {
    left = (left << 1) - (counts[length] ?? 0);
  }
  // Over-subscribed sets end below 0 (once below, doubling keeps it there), incomplete ones above.
  if (left !== 0) return false;
  // Canonical codes (RFC 1951 §3.2.2), and the symbols sorted by length for reading by counting.
  let next = 0;
  offsets[1] = 0;
  for (let length = 1; length <= MAX_BITS; length++) {
    next = (next + (counts[length - 1] ?? 0)) << 1;
    nextCode[length] = next;
    offsets[length + 1] = (offsets[length] ?? 0) + (counts[length] ?? 0);
  }
  const table = code.table;
  const bits = code.bits;
  const size = 1 << bits;
  for (let symbol = 0; symbol < count; symbol++) {
    const length = lengths[from + symbol] ?? 0;
    if (length === 0) continue;
    code.symbols[offsets[length] ?? 0] = symbol;
    offsets[length] = (offsets[length] ?? 0) + 1;
    const value = nextCode[length] ?? 0;
    nextCode[length] = value + 1;
    let reversed = 0;
    for (let i = 0; i < length; i++) reversed |= ((value >> i) & 1) << (length - 1 - i);
    if (length <= bits) {
      const entry = (code.entries[symbol] ?? 0) | length;
      for (let at = reversed; at < size; at += 1 << length) table[at] = entry;
    } else {
      table[reversed & (size - 1)] = OP_LONG << 8;
    }
  }
  return true;
}

/** A code longer than the table, read from `bits` (at least 15 of them) by counting: its entry, or -1. */
function readLongCode(code: PrefixCode, bits: number): number {
  const counts = code.counts;
  let value = 0;
  let first = 0;
  let index = 0;
  for (let length = 1; length <= MAX_BITS; length++) {
    value |= bits & 1;
    bits >>= 1;
    const count = counts[length] ?? 0;
    if (value - first < count) return (code.entries[code.symbols[index + value - first] ?? 0] ?? 0) | length;
    index += count;
    first = (first + count) << 1;
    value <<= 1;
  }
  return -1;
}

// The fixed codes (RFC 1951 §3.2.6), made once.
lengths.fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288);
buildCode(fixedLitlen, 0, 288);
lengths.fill(5, 0, 32);
buildCode(fixedDistance, 0, 32);

/** Marks 16 bits that do not start with two 8-bit fixed literal codes. */
const NO_PAIR = 0xffff;
let pairTable: Uint16Array | undefined;

/**
 * For fixed blocks: 16 bits that are two 8-bit literal codes (bytes 0–143: ASCII text, so nearly
 * every step of a JSON message) → the two bytes, first in the low half; else NO_PAIR. One table
 * read for two bytes halves the chain of dependent reads a message costs (128 KB, made once).
 */
function literalPairs(): Uint16Array {
  if (pairTable) return pairTable;
  const table = new Uint16Array(1 << 16).fill(NO_PAIR);
  const fixed = fixedLitlen.table;
  for (let bits = 0; bits < 1 << 16; bits++) {
    const first = fixed[bits & 0x1ff] ?? 0;
    const second = fixed[(bits >> 8) & 0x1ff] ?? 0;
    if ((first & 0xff0f) !== 8 || (second & 0xff0f) !== 8) continue;
    table[bits] = (first >>> 16) | ((second >>> 16) << 8);
  }
  pairTable = table;
  return table;
}

/** Order of the code length code's lengths (§3.2.7). */
const CODELEN_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** CRC-32 tables for four bytes a step (slicing-by-4): CRC_TABLES[k * 256 + n] is n's CRC after k more zero bytes. */
const CRC_TABLES = new Int32Array(4 * 256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC_TABLES[n] = c;
}
for (let n = 0; n < 256; n++) {
  for (let k = 1; k < 4; k++) {
    const previous = CRC_TABLES[(k - 1) * 256 + n] ?? 0;
    CRC_TABLES[k * 256 + n] = (CRC_TABLES[previous & 0xff] ?? 0) ^ (previous >>> 8);
  }
}

/** CRC-32 (RFC 1952) of bytes[from, to). */
export function crc32(bytes: Uint8Array, from: number, to: number): number {
  const t = CRC_TABLES;
  let crc = -1;
  let i = from;
  for (; i + 4 <= to; i += 4) {
    crc ^= (bytes[i] ?? 0) | ((bytes[i + 1] ?? 0) << 8) | ((bytes[i + 2] ?? 0) << 16) | ((bytes[i + 3] ?? 0) << 24);
    crc = (t[768 + (crc & 0xff)] ?? 0) ^ (t[512 + ((crc >> 8) & 0xff)] ?? 0) ^ (t[256 + ((crc >> 16) & 0xff)] ?? 0) ^ (t[crc >>> 24] ?? 0);
  }
  for (; i < to; i++) crc = (t[(crc ^ (bytes[i] ?? 0)) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

/** Adler-32 (RFC 1950) of bytes[0, length). */
function adler32(bytes: Uint8Array, length: number): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < length; ) {
    // 3,000 bytes between the modulos keep b under 2^31 (a small integer's range, not zlib's NMAX).
    const stop = Math.min(length, i + 3000);
    // Four bytes a step: b gains a four times and each byte as many times as bytes follow it, plus one.
    for (; i + 4 <= stop; i += 4) {
      const b0 = bytes[i] ?? 0;
      const b1 = bytes[i + 1] ?? 0;
      const b2 = bytes[i + 2] ?? 0;
      const b3 = bytes[i + 3] ?? 0;
      b += 4 * a + 4 * b0 + 3 * b1 + 2 * b2 + b3;
      a += b0 + b1 + b2 + b3;
    }
    for (; i < stop; i++) {
      a += bytes[i] ?? 0;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Where a dynamic block's header leaves the bit reader (module state: read once a block, not per symbol). */
let headerPos = 0;
let headerBits = 0;
let headerCount = 0;

/**
 * `input[start, end)` inflated into the front of `out` as `format`: the length written, or
 * undefined where the native decoder must answer (see the file comment).
 */
export function inflateSmall(input: Uint8Array, format: SmallInflateFormat, start: number, end: number, out: Uint8Array): number | undefined {
  // A range outside the input is the caller's mistake: the native handle's checks word it.
  if (!(start >= 0 && start <= end && end <= input.length)) return undefined;
  let pos = start;
  if (format === 'gzip') {
    pos = gzipHeaderEnd(input, start, end);
    if (pos < 0) return undefined;
  } else if (format === 'deflate') {
    if (end - start < 2) return undefined;
    const cmf = input[start] ?? 0;
    const flg = input[start + 1] ?? 0;
    // Method 8, window at most 32 KB, the check bits, and no preset dictionary (FDICT).
    if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0 || flg & 0x20) return undefined;
    pos = start + 2;
  }
  const written = inflateBlocks(input, pos, end, out);
  if (written < 0) return undefined;
  pos = headerPos;
  if (format === 'deflate-raw') return pos === end ? written : undefined;
  if (format === 'deflate') {
    if (end - pos !== 4) return undefined;
    const stored = (((input[pos] ?? 0) << 24) | ((input[pos + 1] ?? 0) << 16) | ((input[pos + 2] ?? 0) << 8) | (input[pos + 3] ?? 0)) >>> 0;
    return stored === adler32(out, written) ? written : undefined;
  }
  // gzip: CRC-32 and ISIZE, then nothing (another member or trailing bytes: the native decoder).
  if (end - pos !== 8) return undefined;
  if (readLe32(input, pos) !== crc32(out, 0, written)) return undefined;
  return readLe32(input, pos + 4) === written >>> 0 ? written : undefined;
}

function readLe32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16) | ((bytes[at + 3] ?? 0) << 24)) >>> 0;
}

const FTEXT = 1;
const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;

/** Where a gzip member's deflate data starts (RFC 1952 §2.3), or -1 (not one zlib reads, or cut short). */
function gzipHeaderEnd(input: Uint8Array, start: number, end: number): number {
  if (end - start < 10 || input[start] !== 0x1f || input[start + 1] !== 0x8b || input[start + 2] !== 8) return -1;
  const flags = input[start + 3] ?? 0;
  // Reserved flags: zlib's "unknown header flags set".
  if (flags & ~(FTEXT | FHCRC | FEXTRA | FNAME | FCOMMENT)) return -1;
  let pos = start + 10;
  if (flags & FEXTRA) {
    if (end - pos < 2) return -1;
    pos += 2 + ((input[pos] ?? 0) | ((input[pos + 1] ?? 0) << 8));
  }
  if (flags & FNAME) pos = afterZero(input, pos, end);
  if (flags & FCOMMENT) pos = afterZero(input, pos, end);
  if (pos < 0 || pos > end) return -1;
  if (flags & FHCRC) {
    // zlib checks the header's CRC-16 (the CRC-32's low half).
    if (end - pos < 2 || ((input[pos] ?? 0) | ((input[pos + 1] ?? 0) << 8)) !== (crc32(input, start, pos) & 0xffff)) return -1;
    pos += 2;
  }
  return pos;
}

/** The position after the zero byte ending a string at `pos`, or -1. */
function afterZero(input: Uint8Array, pos: number, end: number): number {
  if (pos < 0) return -1;
  for (let at = pos; at < end; at++) if (input[at] === 0) return at + 1;
  return -1;
}

/**
 * The deflate blocks from `input[pos]` into `out`: the length written, with headerPos at the byte
 * after the final block, or -1 (see the file comment).
 */
function inflateBlocks(input: Uint8Array, pos: number, end: number, out: Uint8Array): number {
  // Past `end` the reader adds zero bytes; a stream that used them is cut short (checked at each
  // block's end; a stream still reading a few bytes past `end` is stopped there).
  const overrun = end + 8;
  /** Output must leave a byte of `out` free: a full buffer makes the native path unsure as well. */
  const limit = out.length - 1;
  let bits = 0;
  let count = 0;
  let written = 0;
  for (;;) {
    while (count < REFILL) {
      if (pos < end) bits |= (input[pos] ?? 0) << count;
      else if (pos > overrun) return -1;
      pos++;
      count += 8;
    }
    const last = bits & 1;
    const type = (bits >> 1) & 3;
    bits >>= 3;
    count -= 3;
    let litlen: PrefixCode;
    let distance: PrefixCode;
    if (type === 0) {
      // Stored: to the byte boundary, then LEN and NLEN read from the input itself.
      pos -= count >>> 3;
      bits = 0;
      count = 0;
      if (end - pos < 4) return -1;
      const length = (input[pos] ?? 0) | ((input[pos + 1] ?? 0) << 8);
      const complement = (input[pos + 2] ?? 0) | ((input[pos + 3] ?? 0) << 8);
      if ((length ^ 0xffff) !== complement) return -1;
      pos += 4;
      // Cut short (the end's check would say so too, after copying what is not there).
      if (end - pos < length || written + length > limit) return -1;
      if (length < 128) {
        for (let i = 0; i < length; i++) out[written + i] = input[pos + i] ?? 0;
      } else {
        out.set(input.subarray(pos, pos + length), written);
      }
      pos += length;
      written += length;
      if (last) {
        headerPos = pos;
        return written;
      }
      continue;
    } else if (type === 1) {
      litlen = fixedLitlen;
      distance = fixedDistance;
    } else if (type === 2) {
      headerPos = pos;
      headerBits = bits;
      headerCount = count;
      if (!readDynamicCodes(input, end)) return -1;
      pos = headerPos;
      bits = headerBits;
      count = headerCount;
      litlen = dynamicLitlen;
      distance = dynamicDistance;
    } else {
      return -1;
    }
    const pairs = litlen === fixedLitlen ? literalPairs() : undefined;
    const litlenTable = litlen.table;
    const litlenMask = (1 << litlen.bits) - 1;
    const distanceTable = distance.table;
    const distanceMask = (1 << distance.bits) - 1;
    for (;;) {
      while (count < REFILL) {
        // Two bytes a step where they fit (after a pair of literals, 16 bits were used).
        if (count <= 12 && pos + 1 < end) {
          bits |= ((input[pos] ?? 0) | ((input[pos + 1] ?? 0) << 8)) << count;
          pos += 2;
          count += 16;
        } else {
          if (pos < end) bits |= (input[pos] ?? 0) << count;
          else if (pos > overrun) return -1;
          pos++;
          count += 8;
        }
      }
      if (pairs !== undefined) {
        const pair = pairs[bits & 0xffff] ?? NO_PAIR;
        if (pair !== NO_PAIR && written + 1 < limit) {
          out[written] = pair & 0xff;
          out[written + 1] = pair >> 8;
          written += 2;
          bits >>= 16;
          count -= 16;
          continue;
        }
      }
      let entry = litlenTable[bits & litlenMask] ?? 0;
      let op = (entry >>> 8) & 0xff;
      if (op === OP_LONG) {
        entry = readLongCode(litlen, bits);
        if (entry < 0) return -1;
        op = (entry >>> 8) & 0xff;
      }
      const length = entry & 15;
      bits >>= length;
      count -= length;
      if (op === OP_LITERAL) {
        if (written >= limit) return -1;
        out[written++] = entry >>> 16;
        continue;
      }
      if (op === OP_END) break;
      if (op & OP_INVALID) return -1;
      // A length: its base plus extra bits (at most 5, and at least 21 - 15 bits are left).
      let extra = op & 15;
      let copy = (entry >>> 16) + (bits & ((1 << extra) - 1));
      bits >>= extra;
      count -= extra;
      while (count < REFILL) {
        // Two bytes a step where they fit (after a pair of literals, 16 bits were used).
        if (count <= 12 && pos + 1 < end) {
          bits |= ((input[pos] ?? 0) | ((input[pos + 1] ?? 0) << 8)) << count;
          pos += 2;
          count += 16;
        } else {
          if (pos < end) bits |= (input[pos] ?? 0) << count;
          else if (pos > overrun) return -1;
          pos++;
          count += 8;
        }
      }
      entry = distanceTable[bits & distanceMask] ?? 0;
      op = (entry >>> 8) & 0xff;
      if (op === OP_LONG) {
        entry = readLongCode(distance, bits);
        if (entry < 0) return -1;
        op = (entry >>> 8) & 0xff;
      }
      if (op & OP_INVALID) return -1;
      const codeLength = entry & 15;
      bits >>= codeLength;
      count -= codeLength;
      extra = op & 15;
      if (count < extra) {
        while (count < REFILL) {
          if (pos < end) bits |= (input[pos] ?? 0) << count;
          else if (pos > overrun) return -1;
          pos++;
          count += 8;
        }
      }
      const back = (entry >>> 16) + (bits & ((1 << extra) - 1));
      bits >>= extra;
      count -= extra;
      // Before the output's start: zlib's "invalid distance too far back".
      if (back > written || written + copy > limit) return -1;
      let from = written - back;
      while (copy-- > 0) out[written++] = out[from++] ?? 0;
    }
    if (last) {
      // The bytes the block's end has not used go back. Past `end` (read as zeros) the caller's
      // comparison with `end` says cut short; a block that is not the last and ends there is
      // followed by zeros: a stored header, whose lengths are then past `end`.
      headerPos = pos - (count >>> 3);
      return written;
    }
  }
}

/**
 * A dynamic block's header (§3.2.7) from the reader state in headerPos/headerBits/headerCount
 * into dynamicLitlen and dynamicDistance: false for anything zlib refuses, a set that is not
 * complete, or a header past `end`.
 */
function readDynamicCodes(input: Uint8Array, end: number): boolean {
  let pos = headerPos;
  let bits = headerBits;
  let count = headerCount;
  // count >= 18 here (21 before the block's 3 bits): HLIT, HDIST, HCLEN.
  const litlenCount = (bits & 31) + 257;
  const distanceCount = ((bits >>> 5) & 31) + 1;
  const codeLengthCount = ((bits >>> 10) & 15) + 4;
  bits >>= 14;
  count -= 14;
  // zlib: "too many length or distance symbols".
  if (litlenCount > 286 || distanceCount > 30) return false;
  lengths.fill(0, 0, 19);
  for (let i = 0; i < codeLengthCount; i++) {
    if (count < 3) {
      bits |= (pos < end ? (input[pos] ?? 0) : 0) << count;
      pos++;
      count += 8;
    }
    lengths[CODELEN_ORDER[i] ?? 0] = bits & 7;
    bits >>= 3;
    count -= 3;
  }
  if (!buildCode(codeLengthCode, 0, 19)) return false;
  const total = litlenCount + distanceCount;
  const table = codeLengthCode.table;
  const mask = (1 << CODELEN_TABLE_BITS) - 1;
  // The lengths are read into lengths[19…] (the code length code's own are still in use).
  const base = 32;
  let at = 0;
  while (at < total) {
    while (count < REFILL) {
      bits |= (pos < end ? (input[pos] ?? 0) : 0) << count;
      pos++;
      count += 8;
    }
    if (pos > end + 8) return false;
    const entry = table[bits & mask] ?? 0;
    const length = entry & 15;
    bits >>= length;
    count -= length;
    const symbol = entry >>> 16;
    if (symbol < 16) {
      lengths[base + at++] = symbol;
      continue;
    }
    let repeat: number;
    let value = 0;
    if (symbol === 16) {
      // zlib: "invalid bit length repeat" with nothing before it.
      if (at === 0) return false;
      value = lengths[base + at - 1] ?? 0;
      repeat = 3 + (bits & 3);
      bits >>= 2;
      count -= 2;
    } else if (symbol === 17) {
      repeat = 3 + (bits & 7);
      bits >>= 3;
      count -= 3;
    } else {
      repeat = 11 + (bits & 127);
      bits >>= 7;
      count -= 7;
    }
    if (at + repeat > total) return false;
    lengths.fill(value, base + at, base + at + repeat);
    at += repeat;
  }
  // No end-of-block code (zlib's "invalid code -- missing end-of-block") needs no check: such a
  // block never ends, so the stream reads as cut short.
  lengths.copyWithin(0, base, base + total);
  if (!buildCode(dynamicLitlen, 0, litlenCount)) return false;
  lengths.copyWithin(0, litlenCount, total);
  if (!buildCode(dynamicDistance, 0, distanceCount)) return false;
  headerPos = pos;
  headerBits = bits;
  headerCount = count;
  return true;
}
