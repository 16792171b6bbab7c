/**
 * Brotli's literal context ids (RFC 7932 §7.1): a literal's prefix code is chosen by the last two
 * bytes p1, p2 through the block type's context mode. One table for all four modes: the id is
 * `CONTEXT_LOOKUP[mode * 512 + p1] | CONTEXT_LOOKUP[mode * 512 + 256 + p2]`.
 */

/** §7.1 Lut0 (UTF8 mode, from p1). */
const LUT0 = Uint8Array.of(
  0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 0, 0, 4, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  8, 12, 16, 12, 12, 20, 12, 16, 24, 28, 12, 12, 32, 12, 36, 12,
  44, 44, 44, 44, 44, 44, 44, 44, 44, 44, 32, 32, 24, 40, 28, 12,
  12, 48, 52, 52, 52, 48, 52, 52, 52, 48, 52, 52, 52, 52, 52, 48,
  52, 52, 52, 52, 52, 48, 52, 52, 52, 52, 52, 24, 12, 28, 12, 12,
  12, 56, 60, 60, 60, 56, 60, 60, 60, 56, 60, 60, 60, 60, 60, 56,
  60, 60, 60, 60, 60, 56, 60, 60, 60, 60, 60, 24, 12, 28, 12, 0,
);
/** §7.1 Lut1 (UTF8 mode, from p2), for bytes below 128: above, 0 up to 223, 2 from 224. */
const LUT1 = Uint8Array.of(
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1,
  1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1,
  1, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
  3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 1, 1, 1, 1, 0,
);

/** §7.1 Lut2 (Signed mode): 0, 1–15, 16–63, 64–127, 128–191, 192–239, 240–254, 255. */
function signedClass(byte: number): number {
  if (byte === 0) return 0;
  if (byte < 16) return 1;
  if (byte < 64) return 2;
  if (byte < 128) return 3;
  if (byte < 192) return 4;
  if (byte < 240) return 5;
  if (byte < 255) return 6;
  return 7;
}

export const CONTEXT_LOOKUP = new Uint8Array(4 * 512);
for (let byte = 0; byte < 256; byte++) {
  // LSB6, MSB6: from p1 alone.
  CONTEXT_LOOKUP[byte] = byte & 0x3f;
  CONTEXT_LOOKUP[512 + byte] = byte >> 2;
  // UTF8: from p1, bytes from 128 are continuation (0, 1 alternating) or lead bytes (2, 3); from p2,
  // 0 but for the lead bytes of 3 and 4-byte sequences (2).
  CONTEXT_LOOKUP[1024 + byte] = byte < 128 ? (LUT0[byte] ?? 0) : byte < 192 ? byte & 1 : 2 + (byte & 1);
  CONTEXT_LOOKUP[1024 + 256 + byte] = byte < 128 ? (LUT1[byte] ?? 0) : byte < 224 ? 0 : 2;
  CONTEXT_LOOKUP[1536 + byte] = signedClass(byte) << 3;
  CONTEXT_LOOKUP[1536 + 256 + byte] = signedClass(byte);
}
