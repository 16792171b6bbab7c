/**
 * The query search's prefilter for Base64 payloads (query-prefilter.ts): a string under
 * `$.payload` that the payload wrote. Its bytes are not in the message (Base64 hides them), so
 * the rule decodes the Base64 natively (Buffer, several times cheaper than the decoder's checks,
 * JSON.parse and the value it builds) and looks in the bytes: a message is passed over when
 * they hold no backslash (a JSON string is then its bytes) and do not hold the literal's UTF-8;
 * bytes that are gzip or zlib are first inflated as the decoder does (compressed-prefilter.ts).
 * The decoder (base64-decoder.ts) shows them as JSON (strings: their bytes, without escapes), as text (the whole text) or as bytes
 * (`$bytes`, not reachable by such a path), so the literal cannot be in its value. A message
 * the decoder refuses matches nothing whatever this says; one it accepts decodes to the bytes
 * Buffer.from(text, 'base64') gives (that decoding takes both alphabets, with or without
 * padding, and skips the line ends the decoder strips). Stateless: nothing is kept.
 */
import { isGzip, isZlib } from './compressed-decoder';
import { lacksIn, type UnwrappedRule } from './compressed-prefilter';
import { sharedInflater, type Compression } from './payload-inflater';
import { lacksPrefilter, type RawPrefilter } from './raw-prefilter';


export function base64Prefilter(literal: string): RawPrefilter {
  const needle = Buffer.from(literal, 'utf8');
  return base64RulePrefilter((bytes, length) => lacksIn(bytes, length, needle));
}

/** The prefilter passing over a message whose decoded (and inflated) bytes `rulesOut` rules out (see the file comment). */
export function base64RulePrefilter(rulesOut: UnwrappedRule): RawPrefilter {
  let scratch = Buffer.alloc(1024);
  return lacksPrefilter((slab, start, end) => {
    const text = slab.toString('latin1', start, end);
    // Base64 decodes to at most 3 bytes for 4 characters.
    const most = Math.ceil(text.length / 4) * 3;
    if (scratch.length < most) scratch = Buffer.alloc(Math.max(most, scratch.length * 2));
    const length = scratch.write(text, 0, most, 'base64');
    const bytes = scratch.subarray(0, length);
    if (isGzip(bytes) || isZlib(bytes)) return rulesOutInflated(bytes, isGzip(bytes) ? 'gzip' : 'deflate', rulesOut);
    return rulesOut(bytes, length);
  });
}

/**
 * Gzip or zlib inside: the decoder inflates it (one try, by its header) and reads what comes out
 * as above. Refused gzip is not valid (which matches nothing); refused zlib is shown as the
 * bytes themselves (zlib's two-byte header is a weak sign), so they are looked in as such.
 */
function rulesOutInflated(bytes: Buffer, how: Compression, rulesOut: UnwrappedRule): boolean {
  const length = sharedInflater.inflateToScratch(bytes, how);
  if (length === 'failed') return how === 'gzip' || rulesOut(bytes, bytes.length);
  if (length === 'unsure') return false;
  return rulesOut(sharedInflater.scratch, length);
}
