/**
 * A message's Base64 decoded into a scratch buffer exactly when the Base64 decoder accepts it
 * (base64-decoder.ts readBase64: line ends at the end stripped, at most two `=` and only at the
 * end, one alphabet, the URL-safe one when a `-` or `_` is there, not one character past whole
 * bytes, a padded text a multiple of 4), giving the bytes Buffer.from(chars, 'base64' or
 * 'base64url') gives (the bits past the last whole byte dropped). In one pass over the slab,
 * without the latin1 string the decoder makes: for a match proof (unwrapped-match-proof.ts).
 */

/** Each byte's 6-bit value in either alphabet, or -1. */
const SEXTET = new Int8Array(256).fill(-1);
const STANDARD_ONLY = new Uint8Array(256);
const URL_SAFE_ONLY = new Uint8Array(256);
{
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  for (let i = 0; i < letters.length; i++) SEXTET[letters.charCodeAt(i)] = i;
  SEXTET[0x2b] = 62; // +
  SEXTET[0x2f] = 63; // /
  SEXTET[0x2d] = 62; // -
  SEXTET[0x5f] = 63; // _
  STANDARD_ONLY[0x2b] = STANDARD_ONLY[0x2f] = 1;
  URL_SAFE_ONLY[0x2d] = URL_SAFE_ONLY[0x5f] = 1;
}

const EQUALS = 0x3d;

/** The most bytes slab[start, end) may decode to (the scratch a caller needs). */
export function base64Capacity(start: number, end: number): number {
  return Math.ceil((end - start) / 4) * 3;
}

/**
 * slab[start, end) decoded into `out` from 0: its length, or -1 when the Base64 decoder refuses
 * the message (or `out` is too small: base64Capacity).
 */
export function decodeStrictBase64(slab: Uint8Array, start: number, end: number, out: Uint8Array): number {
  let bodyEnd = end;
  while (bodyEnd > start && (slab[bodyEnd - 1] === 0x0a || slab[bodyEnd - 1] === 0x0d)) bodyEnd--;
  if (bodyEnd === start) return -1;
  let charsEnd = bodyEnd;
  while (charsEnd > start && slab[charsEnd - 1] === EQUALS) charsEnd--;
  const padding = bodyEnd - charsEnd;
  const count = charsEnd - start;
  if (padding > 2 || count % 4 === 1) return -1;
  if (padding > 0 && (bodyEnd - start) % 4 !== 0) return -1;
  if (out.length < Math.floor((count * 3) / 4)) return -1;
  let standard = 0;
  let urlSafe = 0;
  let length = 0;
  let bits = 0;
  let held = 0;
  for (let k = start; k < charsEnd; k++) {
    const byte = slab[k] ?? 0;
    const sextet = SEXTET[byte] ?? -1;
    if (sextet < 0) return -1;
    standard |= STANDARD_ONLY[byte] ?? 0;
    urlSafe |= URL_SAFE_ONLY[byte] ?? 0;
    bits = ((bits << 6) | sextet) & 0xffffff;
    held += 6;
    if (held >= 8) {
      held -= 8;
      out[length++] = (bits >> held) & 0xff;
    }
  }
  // One `-` or `_` makes it URL-safe Base64, where `+` and `/` are refused.
  if (standard !== 0 && urlSafe !== 0) return -1;
  return length;
}
