/**
 * Brotli streams that store their data instead of compressing it, read without the native
 * decoder. A brotli encoder stores a message it cannot make smaller, which is most small JSON
 * messages (a 55-byte event is a 58-byte stream: the window size, one uncompressed meta-block,
 * an empty last one). Node's decoder makes a whole new decoder state for each message (2.7–2.9
 * µs here, most of a search over a million of them); copying the stored bytes takes a few
 * hundred nanoseconds.
 *
 * Exact or no answer: the stream must be, from its first bit to its last byte, a window size
 * Node's decoder accepts, then uncompressed and metadata meta-blocks, then a last meta-block
 * that is empty or metadata, with every header, length and padding as the reference decoder
 * reads them (decode.c: DecodeWindowBits, DecodeMetaBlockLength, the zero padding after an
 * uncompressed or metadata header and after the last meta-block). For such a stream the
 * decoder gives exactly these bytes. Anything else (a compressed meta-block, a header it would
 * refuse, bytes after the end, a stream cut short, output longer than `out`) gets undefined,
 * and the native decoder answers it, errors included.
 */
import { BrotliBitReader, readWindowBits } from './brotli-bits';

/** Short copies byte by byte: a subarray view costs more than copying a small message. */
const COPY_BY_VIEW_FROM = 128;

/**
 * The stored stream `bytes[start, end)` copied to the front of `out`: the number of bytes
 * written, or undefined when this is not such a stream (see the file comment).
 */
export function inflateStoredBrotli(bytes: Uint8Array, start: number, end: number, out: Uint8Array): number | undefined {
  const bits = new BrotliBitReader(bytes, start, end);
  if (readWindowBits(bits) !== 'read') return undefined;
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
      if (!skipMetadata(bits, end)) return undefined;
    } else {
      const length = readMetaBlockLength(bits, nibbleCode + 4);
      // A last meta-block that is not empty or metadata is compressed (it has no ISUNCOMPRESSED bit).
      if (length === undefined || isLast === 1) return undefined;
      if (bits.take(1) !== 1 || bits.takeToByteBoundary() !== 0) return undefined;
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
  if (bits.takeToByteBoundary() !== 0 || bits.bytePosition() !== end) return undefined;
  return written;
}

/** MLEN (§9.2): MLEN − 1 in 4, 5 or 6 nibbles, where more than 4 may not end in a 0 nibble. */
function readMetaBlockLength(bits: BrotliBitReader, nibbles: number): number | undefined {
  let lengthLessOne = 0;
  for (let i = 0; i < nibbles; i++) {
    const nibble = bits.take(4);
    if (nibble === undefined) return undefined;
    if (i + 1 === nibbles && nibbles > 4 && nibble === 0) return undefined;
    lengthLessOne |= nibble << (i * 4);
  }
  return lengthLessOne + 1;
}

/**
 * A metadata meta-block (§9.2): a reserved bit that must be 0, MSKIPBYTES, MSKIPLEN − 1 in that
 * many bytes (the last not 0 when there are more than one; none means length 0), zero padding,
 * then the bytes skipped. False for anything the decoder would not read so.
 */
function skipMetadata(bits: BrotliBitReader, end: number): boolean {
  if (bits.take(1) !== 0) return false;
  const lengthBytes = bits.take(2);
  if (lengthBytes === undefined) return false;
  let length = 0;
  for (let i = 0; i < lengthBytes; i++) {
    const byte = bits.take(8);
    if (byte === undefined) return false;
    if (i + 1 === lengthBytes && lengthBytes > 1 && byte === 0) return false;
    length |= byte << (i * 8);
  }
  if (lengthBytes > 0) length += 1;
  if (bits.takeToByteBoundary() !== 0) return false;
  if (bits.bytePosition() + length > end) return false;
  bits.skipBytes(length);
  return true;
}
