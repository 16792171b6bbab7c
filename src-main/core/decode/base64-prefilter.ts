/**
 * The query search's prefilter for Base64 payloads (query-prefilter.ts): a string under
 * `$.payload` that the payload wrote. Its bytes are not in the message (Base64 hides them), so
 * the rule decodes the Base64 as the decoder does (its checks in one pass over the slab, without
 * the decoder's text, JSON.parse and the value it builds: unwrapped-payload.ts, strict-base64.ts)
 * and looks in the bytes: a message is passed over when they hold no backslash (a JSON string is
 * then its bytes) and do not hold the literal's UTF-8; bytes that are gzip or zlib are first
 * inflated as the decoder does. The decoder (base64-decoder.ts) shows them as JSON (strings:
 * their bytes, without escapes), as text (the whole text) or as bytes (`$bytes`, not reachable by
 * such a path), so the literal cannot be in its value. A message the decoder refuses (its Base64,
 * or gzip inside that does not inflate) is passed over: it matches nothing. Refused zlib is shown
 * as the bytes themselves (zlib's two-byte header is a weak sign), so they are looked in as
 * such. Stateless: nothing is kept between messages.
 */
import { lacksIn, type UnwrappedRule } from './compressed-prefilter';
import { lacksPrefilter, type RawPrefilter } from './raw-prefilter';
import { INVALID, UNSURE, sharedUnwrapper } from './unwrapped-payload';

/** `quoted` as compressed-prefilter.ts compressedPrefilter's. */
export function base64Prefilter(literal: string, quoted = false): RawPrefilter {
  const needle = Buffer.from(quoted ? `"${literal}"` : literal, 'utf8');
  return base64RulePrefilter((bytes, length) => lacksIn(bytes, length, needle));
}

/**
 * The prefilter passing over a message whose decoded (and inflated) bytes `rulesOut` rules out
 * (see the file comment), unwrapped by the unwrapper the match proof shares (unwrapped-payload.ts).
 */
export function base64RulePrefilter(rulesOut: UnwrappedRule): RawPrefilter {
  return lacksPrefilter((slab, start, end) => {
    const unwrapped = sharedUnwrapper.base64(slab, start, end);
    if (unwrapped.state === INVALID) return true;
    return unwrapped.state !== UNSURE && rulesOut(unwrapped.bytes, unwrapped.length);
  });
}
