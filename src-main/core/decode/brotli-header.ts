/**
 * Whether brotli must refuse a message from its first few bits alone: the stream header (the
 * window size, RFC 7932 §9.1) and the first meta-block header (§9.2), read as the reference
 * decoder reads them (decode.c: DecodeWindowBits, DecodeMetaBlockLength, then the zero padding
 * to the byte boundary after an uncompressed or metadata header). Every message the compressed
 * decoder meets without a signature is tried as brotli before raw deflate, and Node's brotli
 * decoder, once it has refused, refuses every later write (its error code outlives a reset), so
 * each refusal costs a new native decoder (1.3 µs). Raw deflate's usual first bits (a final
 * fixed-Huffman block) read as brotli as "uncompressed meta-block, padding not zero": this
 * answers those in a few bit reads.
 *
 * True only where the reference decoder fails whatever follows; false where it may go on
 * (including bits running out: the decoder is asked then).
 */
import { BrotliBitReader, readWindowBits } from './brotli-bits';

export function brotliHeaderRefuses(bytes: Uint8Array, start = 0, end = bytes.byteLength): boolean {
  const bits = new BrotliBitReader(bytes, start, end);
  // §9.1 the window size; bits running out leave it to the decoder.
  const window = readWindowBits(bits);
  if (window === 'refused') return true;
  if (window === undefined) return false;
  // §9.2 the first meta-block header.
  const isLast = bits.take(1);
  if (isLast === undefined) return false;
  if (isLast === 1) {
    const isLastEmpty = bits.take(1);
    // An empty last meta-block ends the stream: what follows is the decoder's business.
    if (isLastEmpty !== 0) return false;
  }
  const nibbleCode = bits.take(2);
  if (nibbleCode === undefined) return false;
  let skipsToByteBoundary: boolean;
  if (nibbleCode === 3) {
    // Metadata: a reserved bit that must be 0, then its length in 0-3 bytes (the last not 0).
    const reserved = bits.take(1);
    if (reserved === undefined) return false;
    if (reserved !== 0) return true;
    const lengthBytes = bits.take(2);
    if (lengthBytes === undefined) return false;
    for (let i = 0; i < lengthBytes; i++) {
      const byte = bits.take(8);
      if (byte === undefined) return false;
      if (i + 1 === lengthBytes && lengthBytes > 1 && byte === 0) return true;
    }
    skipsToByteBoundary = true;
  } else {
    // MLEN - 1 in 4, 5 or 6 nibbles; with more than 4, the last may not be 0.
    const nibbles = nibbleCode + 4;
    for (let i = 0; i < nibbles; i++) {
      const nibble = bits.take(4);
      if (nibble === undefined) return false;
      if (i + 1 === nibbles && nibbles > 4 && nibble === 0) return true;
    }
    if (isLast === 1) return false;
    const isUncompressed = bits.take(1);
    if (isUncompressed === undefined) return false;
    skipsToByteBoundary = isUncompressed === 1;
  }
  if (!skipsToByteBoundary) return false;
  // The bits up to the byte boundary must be zero.
  const padding = bits.takeToByteBoundary();
  return padding !== undefined && padding !== 0;
}
