/**
 * Small DEFLATE (RFC 1951) messages inflated in TypeScript, tried before the native zlib handle
 * (payload-inflater.ts): a query search inflates a million ~60-byte messages, and the native
 * call costs 0.4–0.6 µs each however small the message (the write, the reset), while a stored or
 * fixed-Huffman block of that size takes 0.2–0.35 here. Wrappers: gzip (RFC 1952), zlib
 * (RFC 1950) and raw.
 *
 * The answer is the length of the bytes written to the front of `out`, and only where Node's
 * public function (gunzipSync, inflateSync, inflateRawSync) returns exactly those bytes; anything
 * else is undefined, and the native decoder answers (it also words the errors). So undefined for:
 * any error zlib reports (a bad header or flag, block type 3, stored lengths that disagree, the
 * fixed codes 286/287 and distance codes 30/31, a distance past the output so far: zlib's
 * "invalid distance too far back", a bad CRC-32, ISIZE or Adler-32), a zlib preset dictionary,
 * a stream cut short, bytes after its end (Node ignores some, reads a second gzip member or
 * fails on others), output that would fill `out` (the native path is then unsure too), and any
 * dynamic-Huffman block: a decoder for them here, exact against zlib, was 2–3.5 times slower
 * than the native call for every size tried (200 B to 60 KB), the table building alone costing
 * more than a small message.
 *
 * Speed: the bit buffer lives in locals (at most 28 bits, a small integer to V8; two bytes a
 * refill where they fit), the tables are made once: nothing is allocated per message. Two 8-bit
 * fixed literal codes (bytes 0–143: ASCII text) are one read of a 128 KB pair table
 * (literalPairs), any other code one read of a 9-bit (5-bit) table; after a pair, more pairs are
 * read straight from the input at the same bit offset in a byte (a pair is 16 bits), without the
 * bit buffer's refills, while three bytes of the message are left (the bench's messages: gzip
 * 0.26 → 0.22 µs, zlib 0.24 → 0.20, raw 0.195 → 0.15). CRC-32 and Adler-32 four bytes a step
 * (eight a step, slicing-by-8, was no faster here). The bench's messages (55–70 bytes of JSON, nearly all one fixed block) through
 * PayloadInflater.inflateToScratch, against the native handle in the same process: gzip 0.35 µs
 * of CPU a message against 0.57, zlib 0.35 against 0.45, raw 0.28 against 0.41. One literal a
 * table read, a byte a refill and CRC-32 a byte a step was slower than the native call (gzip
 * 1.04 µs). Per byte the native decoder is faster (fixed blocks: about 1.3 ns against 4.4), so
 * the caller sends only small messages here.
 */

export type SmallInflateFormat = 'gzip' | 'deflate' | 'deflate-raw';

// Table entries: code length in bits 0–3, operation in bits 8–15, value in bits 16–31.
const OP_LITERAL = 0;
/** 16 | extra bits: a length (or a distance) with that many extra bits. */
const OP_BASE = 16;
const OP_END = 32;
const OP_INVALID = 64;

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

/**
 * The bit buffer is refilled below this many bits, so it holds at most 28 (kept under 2^30: a
 * small integer to V8, never a heap number) and at least 21 after a refill: a code (9) and a
 * length's extra bits (5), or a distance code (5) and its extra bits (13).
 */
const REFILL = 21;

/**
 * The lookup table of a prefix code given by its code lengths (RFC 1951 §3.2.2): indexed by the
 * next `bits` bits of the stream (least significant first, as they arrive), each entry the
 * symbol's entry (`entries`) with its code length.
 */
function prefixTable(lengths: readonly number[], entries: Int32Array, bits: number): Int32Array {
  const table = new Int32Array(1 << bits);
  const counts = new Array<number>(bits + 1).fill(0);
  for (const length of lengths) counts[length] = (counts[length] ?? 0) + 1;
  counts[0] = 0;
  const nextCode = new Array<number>(bits + 1).fill(0);
  for (let length = 1, code = 0; length <= bits; length++) {
    code = (code + (counts[length - 1] ?? 0)) << 1;
    nextCode[length] = code;
  }
  lengths.forEach((length, symbol) => {
    if (length === 0) return;
    const code = nextCode[length] ?? 0;
    nextCode[length] = code + 1;
    let reversed = 0;
    for (let i = 0; i < length; i++) reversed |= ((code >> i) & 1) << (length - 1 - i);
    for (let at = reversed; at < 1 << bits; at += 1 << length) table[at] = (entries[symbol] ?? 0) | length;
  });
  return table;
}

// The fixed codes (RFC 1951 §3.2.6).
const FIXED_LITLEN_BITS = 9;
const FIXED_DISTANCE_BITS = 5;
const fixedLitlen = prefixTable(
  Array.from({ length: 288 }, (_, symbol) => (symbol < 144 ? 8 : symbol < 256 ? 9 : symbol < 280 ? 7 : 8)),
  LITLEN_SYMBOL,
  FIXED_LITLEN_BITS,
);
const fixedDistance = prefixTable(new Array<number>(32).fill(5), DISTANCE_SYMBOL, FIXED_DISTANCE_BITS);
const LITLEN_MASK = (1 << FIXED_LITLEN_BITS) - 1;
const DISTANCE_MASK = (1 << FIXED_DISTANCE_BITS) - 1;

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
  const fixed = fixedLitlen;
  for (let bits = 0; bits < 1 << 16; bits++) {
    const first = fixed[bits & 0x1ff] ?? 0;
    const second = fixed[(bits >> 8) & 0x1ff] ?? 0;
    if ((first & 0xff0f) !== 8 || (second & 0xff0f) !== 8) continue;
    table[bits] = (first >>> 16) | ((second >>> 16) << 8);
  }
  pairTable = table;
  return table;
}

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

/** Where inflateBlocks left off: the byte after the final block. */
let endOfBlocks = 0;

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
  pos = endOfBlocks;
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
 * The deflate blocks from `input[pos]` into `out`: the length written, with endOfBlocks at the
 * byte after the final block, or -1 (see the file comment).
 */
function inflateBlocks(input: Uint8Array, pos: number, end: number, out: Uint8Array): number {
  // Past `end` the reader adds zero bytes; a stream that used them is cut short (the caller
  // compares endOfBlocks with `end`); one still reading a few bytes past `end` is stopped there.
  const overrun = end + 8;
  /** Output must leave a byte of `out` free: a full buffer makes the native path unsure as well. */
  const limit = out.length - 1;
  const pairs = literalPairs();
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
        endOfBlocks = pos;
        return written;
      }
      continue;
    }
    // Dynamic blocks go to the native decoder (see the file comment); type 3 is an error.
    if (type !== 1) return -1;
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
      const pair = pairs[bits & 0xffff] ?? NO_PAIR;
      if (pair !== NO_PAIR && written + 1 < limit) {
        out[written] = pair & 0xff;
        out[written + 1] = pair >> 8;
        written += 2;
        // More pairs read straight from the input: each is 16 bits, so the bit offset in a byte
        // stays, and the run needs no bit buffer (while three whole bytes of the message are there).
        const at = pos * 8 - (count - 16);
        const offset = at & 7;
        let from = at >> 3;
        while (from + 2 < end && written + 1 < limit) {
          const window = (((input[from] ?? 0) | ((input[from + 1] ?? 0) << 8) | ((input[from + 2] ?? 0) << 16)) >>> offset) & 0xffff;
          const next = pairs[window] ?? NO_PAIR;
          if (next === NO_PAIR) break;
          out[written] = next & 0xff;
          out[written + 1] = next >> 8;
          written += 2;
          from += 2;
        }
        // The bit buffer again from the bit after the run (bytes past the message's end read as zeros).
        pos = from;
        bits = 0;
        count = 0;
        if (offset !== 0) {
          bits = pos < end ? (input[pos] ?? 0) >> offset : 0;
          count = 8 - offset;
          pos++;
        }
        continue;
      }
      let entry = fixedLitlen[bits & LITLEN_MASK] ?? 0;
      let op = (entry >>> 8) & 0xff;
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
      // A length: its base plus extra bits (at most 5; a refill left at least 21 bits).
      let extra = op & 15;
      let copy = (entry >>> 16) + (bits & ((1 << extra) - 1));
      bits >>= extra;
      count -= extra;
      while (count < REFILL) {
        if (pos < end) bits |= (input[pos] ?? 0) << count;
        else if (pos > overrun) return -1;
        pos++;
        count += 8;
      }
      // A distance: a 5-bit code and at most 13 extra bits, within the 21.
      entry = fixedDistance[bits & DISTANCE_MASK] ?? 0;
      op = (entry >>> 8) & 0xff;
      if (op & OP_INVALID) return -1;
      bits >>= FIXED_DISTANCE_BITS;
      count -= FIXED_DISTANCE_BITS;
      extra = op & 15;
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
      endOfBlocks = pos - (count >>> 3);
      return written;
    }
  }
}
