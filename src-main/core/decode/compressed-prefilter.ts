/**
 * The query search's prefilter for compressed payloads (query-prefilter.ts): a string under
 * `$.payload` that the payload wrote. Its bytes are hidden by the compression, so the rule
 * inflates the message as the decoder would (compressed-decoder.ts: the same tries in the same
 * order, by the same reused native engine, payload-inflater.ts) into a scratch buffer and looks
 * in the bytes, skipping what the decoder does after: copying them, checking UTF-8, JSON.parse
 * and the value it builds. A message is passed over when a try gives bytes that hold no
 * backslash (a JSON string is then its bytes) and not the literal's UTF-8: the decoder shows
 * them as JSON (strings: their bytes), as text (the whole text) or as bytes (`$bytes`, not
 * reachable by such a path), so the literal cannot be in its value. When every try is refused
 * the decoder shows the message as not valid, which matches nothing. A try the engine is unsure
 * of (an output past its scratch buffer) keeps the message for the decoder. Stateless.
 */
import { compressionTries } from './compressed-decoder';
import { sharedInflater } from './payload-inflater';
import type { RawPrefilter } from './raw-prefilter';

const BACKSLASH = 0x5c;

export function compressedPrefilter(literal: string): RawPrefilter {
  const needle = Buffer.from(literal, 'utf8');
  return {
    kind: 'self-contained',
    needles: [],
    stateless: true,
    selfContained: () => true,
    lacks(slab, start, end) {
      // The signatures read 3 bytes; a shorter message is left to the decoder (so they never
      // read the next message in the slab).
      if (end - start < 3) return false;
      for (const how of compressionTries(slab, start)) {
        const bytes = sharedInflater.inflate(slab, how, start, end);
        if (bytes === 'failed') continue;
        if (bytes === 'unsure') return false;
        return bytes.indexOf(BACKSLASH) < 0 && bytes.indexOf(needle) < 0;
      }
      return true;
    },
  };
}
