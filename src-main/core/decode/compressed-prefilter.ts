/**
 * The query search's prefilter for compressed payloads (query-prefilter.ts): a string under
 * `$.payload` that the payload wrote. Its bytes are hidden by the compression, so the rule
 * inflates the message as the decoder would (compressed-decoder.ts: the same tries in the same
 * order, by a reused native engine: unwrapped-payload.ts, payload-inflater.ts) into a scratch buffer and looks
 * in the bytes, skipping what the decoder does after: copying them, checking UTF-8, JSON.parse
 * and the value it builds. A message is passed over when a try gives bytes that hold no
 * backslash (a JSON string is then its bytes) and not the literal's UTF-8: the decoder shows
 * them as JSON (strings: their bytes), as text (the whole text) or as bytes (`$bytes`, not
 * reachable by such a path), so the literal cannot be in its value. When every try is refused
 * the decoder shows the message as not valid, which matches nothing. A try the engine is unsure
 * of (an output past its scratch buffer) keeps the message for the decoder. Stateless.
 */
import { lacksPrefilter, type RawPrefilter } from './raw-prefilter';
import { INVALID, PAYLOAD, sharedUnwrapper } from './unwrapped-payload';

const BACKSLASH = 0x5c;

/** Whether the payload bytes[0, length) rule the message out (a query's rule on what the decoder unwraps). */
export type UnwrappedRule = (bytes: Buffer, length: number) => boolean;

/**
 * `quoted`: the path goes on past `$.payload` (`$.payload.data.sym`), so what it selects is a
 * string of the payload's JSON, which without a backslash is its bytes between quotes: the
 * needle is the literal quoted (`"ABC7"` is not in `"ABC70"`). Else the payload itself may be the
 * text (`$.payload == 'hello'`): the literal alone.
 */
export function compressedPrefilter(literal: string, quoted = false): RawPrefilter {
  const needle = Buffer.from(quoted ? `"${literal}"` : literal, 'utf8');
  return compressedRulePrefilter((bytes, length) => lacksIn(bytes, length, needle));
}

/**
 * The prefilter passing over a message whose inflated bytes `rulesOut` rules out (see the file
 * comment). The message is inflated by the unwrapper the match proof shares (unwrapped-payload.ts),
 * so a message the walk then asks the proof about is not inflated again.
 */
export function compressedRulePrefilter(rulesOut: UnwrappedRule): RawPrefilter {
  return lacksPrefilter((slab, start, end) => {
    // A message under 3 bytes is left to the decoder (the signatures read 3: never the next message's).
    const unwrapped = sharedUnwrapper.compressed(slab, start, end);
    if (unwrapped.state === INVALID) return true;
    return unwrapped.state === PAYLOAD && rulesOut(unwrapped.bytes, unwrapped.length);
  });
}

/**
 * Whether bytes[0, length) hold neither a backslash nor the needle: one pass in place (a
 * view and two native searches cost more than the pass over a short message).
 */
export function lacksIn(bytes: Buffer, length: number, needle: Buffer): boolean {
  const first = needle[0];
  const last = length - needle.length;
  for (let at = 0; at < length; at++) {
    const byte = bytes[at];
    if (byte === BACKSLASH) return false;
    if (byte === first && at <= last && holdsAt(bytes, at, needle)) return false;
  }
  return true;
}

function holdsAt(bytes: Buffer, at: number, needle: Buffer): boolean {
  for (let k = 1; k < needle.length; k++) if (bytes[at + k] !== needle[k]) return false;
  return true;
}
