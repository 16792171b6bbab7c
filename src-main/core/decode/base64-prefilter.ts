/**
 * The query search's prefilter for Base64 payloads (query-prefilter.ts): a string under
 * `$.payload` that the payload wrote. Its bytes are not in the message (Base64 hides them), so
 * the rule decodes the Base64 natively (Buffer, several times cheaper than the decoder's checks,
 * JSON.parse and the value it builds) and looks in the bytes: a message is passed over when
 * they are not gzip or zlib (the decoder would inflate them), hold no backslash (a JSON string
 * is then its bytes) and do not hold the literal's UTF-8. The decoder (base64-decoder.ts) shows
 * them as JSON (strings: their bytes, without escapes), as text (the whole text) or as bytes
 * (`$bytes`, not reachable by such a path), so the literal cannot be in its value. A message
 * the decoder refuses matches nothing whatever this says; one it accepts decodes to the bytes
 * Buffer.from(text, 'base64') gives (that decoding takes both alphabets, with or without
 * padding, and skips the line ends the decoder strips). Stateless: nothing is kept.
 */
import { isGzip, isZlib } from './compressed-decoder';
import type { RawPrefilter } from './raw-prefilter';

const BACKSLASH = 0x5c;

export function base64Prefilter(literal: string): RawPrefilter {
  const needle = Buffer.from(literal, 'utf8');
  let scratch = Buffer.alloc(1024);
  return {
    kind: 'self-contained',
    needles: [],
    stateless: true,
    selfContained: () => true,
    lacks(slab, start, end) {
      const text = slab.toString('latin1', start, end);
      // Base64 decodes to at most 3 bytes for 4 characters.
      const most = Math.ceil(text.length / 4) * 3;
      if (scratch.length < most) scratch = Buffer.alloc(Math.max(most, scratch.length * 2));
      const length = scratch.write(text, 0, most, 'base64');
      const bytes = scratch.subarray(0, length);
      if (isGzip(bytes) || isZlib(bytes)) return false;
      return bytes.indexOf(BACKSLASH) < 0 && bytes.indexOf(needle) < 0;
    },
  };
}
