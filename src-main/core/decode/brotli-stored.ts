/**
 * The start of a brotli stream, read without the native decoder, in one pass:
 * - a stream that stores its data instead of compressing it is copied. A brotli encoder stores a
 *   message it cannot make smaller, which is many small JSON messages (a 55-byte event is a
 *   58-byte stream: the window size, one uncompressed meta-block, an empty last one). Node's
 *   decoder makes a whole new decoder state for each message (about 1 µs for such a stream here,
 *   most of a search over a million of them); copying takes about 0.2 µs;
 * - a header the reference decoder refuses whatever follows is answered 'refused': every message
 *   the compressed decoder meets without a signature is tried as brotli before raw deflate, and
 *   Node's brotli decoder, once it has refused, refuses every later write (its error code
 *   outlives a reset), so each refusal costs a new native decoder (1.3 µs). Raw deflate's usual
 *   first bits (a final fixed-Huffman block) read as "uncompressed meta-block, padding not zero".
 *
 * Headers, lengths and padding are read as the reference decoder reads them (decode.c:
 * DecodeWindowBits, DecodeMetaBlockLength, the zero padding after an uncompressed or metadata
 * header and after the last meta-block). The bytes come back only for a stream that is, from its
 * first bit to its last byte, a window size Node's decoder accepts, then uncompressed and
 * metadata meta-blocks, then a last one that is empty or metadata: the decoder gives exactly
 * these bytes. 'refused' only where the decoder fails whatever follows (the large window, which
 * Node does not ask for; a reserved bit set; a length with a zero last nibble or byte where more
 * than one is used; padding that is not zero). Anything else gets undefined and the native
 * decoder answers: a compressed meta-block, bytes after the end (Node ignores them), a stream
 * cut short, output longer than `out`.
 *
 * Most streams that are not brotli (raw deflate) are answered from their first 32 bits, read as
 * one number without a bit reader (firstWordAnswer): the first meta-block header when its length
 * has 4 or 5 nibbles, and an empty last one. The same bits, read as the reader reads them, give
 * the same answer (a test compares both on millions of starts); anything else is read in full.
 */
import { BrotliBitReader, readWindowBits } from './brotli-bits';

/** Short copies byte by byte: a subarray view costs more than copying a small message. */
const COPY_BY_VIEW_FROM = 128;

/** See the file comment: the stored bytes' length (copied to the front of `out`), 'refused', or undefined. */
export type BrotliStart = number | 'refused' | undefined;

/** firstWordAnswer's answer where the rest of the stream must be read. */
const READ_ON = 'read on';

/**
 * The answer readStoredBrotli gives from the stream's first 32 bits (with at least 4 bytes) when
 * they decide it: the window bits, then the first meta-block's ISLAST; for a last one ISLASTEMPTY
 * and the final padding; else MNIBBLES of 4 or 5 (a 5th nibble of 0 refused), the length, then
 * ISUNCOMPRESSED (0: compressed, for the native decoder) and the padding after it (not zero:
 * refused). READ_ON for anything else (a stored block, metadata, 6 nibbles, fewer bytes).
 */
function firstWordAnswer(bytes: Uint8Array, start: number, end: number): BrotliStart | typeof READ_ON {
  if (end - start < 4) return READ_ON;
  const word = ((bytes[start] ?? 0) | ((bytes[start + 1] ?? 0) << 8) | ((bytes[start + 2] ?? 0) << 16) | ((bytes[start + 3] ?? 0) << 24)) >>> 0;
  // WBITS (brotli-bits.ts readWindowBits): 1, 4 or 7 bits; 0100000 (LSB first) the large window.
  let at: number;
  if ((word & 1) === 0) at = 1;
  else if ((word & 0xe) !== 0) at = 4;
  else if ((word & 0x70) === 0x10) return 'refused';
  else at = 7;
  if (((word >>> at) & 1) === 1) {
    // ISLAST, ISLASTEMPTY: the stream ends here, then zero padding (its end is checked in full).
    if (((word >>> (at + 1)) & 1) === 0) return READ_ON;
    return paddingBits(word, at + 2) === 0 ? READ_ON : 'refused';
  }
  const nibbleCode = (word >>> (at + 1)) & 3;
  // 6 nibbles reach past 32 bits, 3 is metadata.
  if (nibbleCode > 1) return READ_ON;
  at += 3 + 16;
  if (nibbleCode === 1) {
    if (((word >>> at) & 0xf) === 0) return 'refused';
    at += 4;
  }
  if (((word >>> at) & 1) === 0) return undefined;
  return paddingBits(word, at + 1) === 0 ? READ_ON : 'refused';
}

/** The bits of `word` from bit `at` (at most 31) to the next byte boundary (none at one). */
function paddingBits(word: number, at: number): number {
  return (word >>> at) & ((1 << ((8 - (at & 7)) & 7)) - 1);
}

/** The stream `bytes[start, end)` read as the file comment says. */
export function readStoredBrotli(bytes: Uint8Array, start: number, end: number, out: Uint8Array): BrotliStart {
  const first = firstWordAnswer(bytes, start, end);
  return first === READ_ON ? readInFull(bytes, start, end, out) : first;
}

/** readStoredBrotli with every field read by the bit reader. */
function readInFull(bytes: Uint8Array, start: number, end: number, out: Uint8Array): BrotliStart {
  const bits = new BrotliBitReader(bytes, start, end);
  const window = readWindowBits(bits);
  if (window !== 'read') return window;
  let written = 0;
  for (;;) {
    // §9.2 ISLAST, then ISLASTEMPTY for a last meta-block: an empty last one ends the stream.
    const isLast = bits.take(1);
    if (isLast === undefined) return undefined;
    if (isLast === 1) {
      const isLastEmpty = bits.take(1);
      if (isLastEmpty !== 0) {
        if (isLastEmpty === undefined) return undefined;
        break;
      }
    }
    const nibbleCode = bits.take(2);
    if (nibbleCode === undefined) return undefined;
    if (nibbleCode === 3) {
      const skipped = skipMetadata(bits, end);
      if (skipped !== 'read') return skipped;
    } else {
      const length = readMetaBlockLength(bits, nibbleCode + 4);
      if (typeof length !== 'number') return length;
      // A last meta-block that is not empty or metadata is compressed (it has no ISUNCOMPRESSED bit).
      if (isLast === 1) return undefined;
      const isUncompressed = bits.take(1);
      if (isUncompressed !== 1) return undefined;
      const padding = bits.takeToByteBoundary();
      if (padding !== 0) return padding === undefined ? undefined : 'refused';
      const from = bits.bytePosition();
      if (from + length > end || written + length > out.length) return undefined;
      if (length < COPY_BY_VIEW_FROM) {
        for (let i = 0; i < length; i++) out[written + i] = bytes[from + i] ?? 0;
      } else {
        out.set(bytes.subarray(from, from + length), written);
      }
      written += length;
      bits.skipBytes(length);
    }
    if (isLast === 1) break;
  }
  // After the last meta-block: zero padding to the byte boundary, and nothing after it.
  const padding = bits.takeToByteBoundary();
  if (padding !== 0) return padding === undefined ? undefined : 'refused';
  return bits.bytePosition() === end ? written : undefined;
}

/** MLEN (§9.2): MLEN − 1 in 4, 5 or 6 nibbles, where more than 4 may not end in a 0 nibble. */
function readMetaBlockLength(bits: BrotliBitReader, nibbles: number): BrotliStart {
  const lengthLessOne = readUnits(bits, nibbles, 4, nibbles > 4);
  return typeof lengthLessOne === 'number' ? lengthLessOne + 1 : lengthLessOne;
}

/**
 * `units` fields of `width` bits, least significant first, as one number (at most 24 bits);
 * 'refused' when `lastNotZero` and the last is 0 (decode.c's exuberant nibble or metadata byte).
 */
function readUnits(bits: BrotliBitReader, units: number, width: number, lastNotZero: boolean): BrotliStart {
  let value = 0;
  for (let i = 0; i < units; i++) {
    const unit = bits.take(width);
    if (unit === undefined) return undefined;
    if (lastNotZero && i + 1 === units && unit === 0) return 'refused';
    value |= unit << (i * width);
  }
  return value;
}

/**
 * A metadata meta-block (§9.2): a reserved bit that must be 0, MSKIPBYTES, MSKIPLEN − 1 in that
 * many bytes (the last not 0 when there are more than one; none means length 0), zero padding,
 * then the bytes skipped: 'read' when passed over.
 */
function skipMetadata(bits: BrotliBitReader, end: number): 'read' | 'refused' | undefined {
  const reserved = bits.take(1);
  if (reserved !== 0) return reserved === undefined ? undefined : 'refused';
  const lengthBytes = bits.take(2);
  if (lengthBytes === undefined) return undefined;
  const lengthLessOne = readUnits(bits, lengthBytes, 8, lengthBytes > 1);
  if (typeof lengthLessOne !== 'number') return lengthLessOne;
  const length = lengthBytes > 0 ? lengthLessOne + 1 : 0;
  const padding = bits.takeToByteBoundary();
  if (padding !== 0) return padding === undefined ? undefined : 'refused';
  if (bits.bytePosition() + length > end) return undefined;
  bits.skipBytes(length);
  return 'read';
}
