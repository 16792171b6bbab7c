/**
 * Compressed payloads with node:zlib: gzip (by its magic bytes), zlib-wrapped deflate (by its
 * header check), else brotli, then raw deflate, which have no signature and are tried only
 * because the user (or a gzip guess) chose this decoder. Brotli goes first because it is strict:
 * it refused every one of 5,000 raw deflate messages, while raw deflate "inflates" 44 % of
 * brotli messages (it stops at an end-of-block code met in their bits and leaves the rest). Inflating stops at MAX_INFLATED_BYTES: a small
 * message that would inflate to gigabytes (a decompression bomb) is refused, not expanded.
 * What comes out is shown as JSON, text or bytes (payload-value.ts). Most messages are inflated
 * by payload-inflater.ts (small stored or fixed-Huffman deflate in TypeScript, small-inflate.ts;
 * the rest by one reused native engine); the public sync functions read what it is unsure of
 * (outputs past its scratch buffer, runtimes without the internals) and word the errors.
 */
import zlib from 'node:zlib';
import { decoded, notValid, type DecodeOutcome, type StreamDecoder, type WireFrame } from './decoded-frame';
import { StatelessDecoder } from './stateless-decoder';
import { describePayload, payloadValue } from './payload-value';
import { sharedInflater, type Compression } from './payload-inflater';

export type { Compression } from './payload-inflater';

export const MAX_INFLATED_BYTES = 16 * 1024 * 1024;

export function isGzip(bytes: Uint8Array, at = 0): boolean {
  return bytes[at] === 0x1f && bytes[at + 1] === 0x8b && bytes[at + 2] === 0x08;
}

/** RFC 1950: method 8 (deflate), window ≤ 32 KB, and the 16-bit header a multiple of 31. */
export function isZlib(bytes: Uint8Array, at = 0): boolean {
  const cmf = bytes[at];
  const flg = bytes[at + 1];
  if (cmf === undefined || flg === undefined) return false;
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0;
}

function inflate(bytes: Uint8Array, how: Compression): Buffer {
  const options = { maxOutputLength: MAX_INFLATED_BYTES };
  switch (how) {
    case 'gzip':
      return zlib.gunzipSync(bytes, options);
    case 'deflate':
      return zlib.inflateSync(bytes, options);
    case 'deflate-raw':
      return zlib.inflateRawSync(bytes, options);
    case 'brotli':
      return zlib.brotliDecompressSync(bytes, options);
  }
}

/** zlib's errors in words; a bomb is named as such. */
function inflateProblem(error: unknown, how: Compression, size: number): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger|too large/i.test(String(error))) {
    return `${how} data of ${size} B inflates past ${MAX_INFLATED_BYTES / (1024 * 1024)} MiB (refused: a decompression bomb, or more than Tunnelscope shows)`;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/unexpected end of file/i.test(message)) return `the ${how} data (${size} B) ends before its end marker (truncated)`;
  // zlib's own words name its checks, not what they mean for the message.
  // (Said without "inflates": Base64 puts these after "do not inflate:".)
  if (/incorrect data check/i.test(message)) return `the ${how} data (${size} B) is corrupted: its ${how === 'gzip' ? 'CRC-32' : 'Adler-32'} checksum does not match its content`;
  if (/incorrect length check/i.test(message)) return `the ${how} data (${size} B) is corrupted: its length field does not match its content`;
  return `the ${how} data (${size} B) is corrupted (zlib: ${message})`;
}

/** What the decoder tries for the message starting at `at`, in order: by signature, else the two without one (see the file comment). */
export function compressionTries(bytes: Uint8Array, at = 0): readonly Compression[] {
  return isGzip(bytes, at) ? GZIP : isZlib(bytes, at) ? DEFLATE : UNSIGNED;
}
const GZIP: readonly Compression[] = ['gzip'];
const DEFLATE: readonly Compression[] = ['deflate'];
const UNSIGNED: readonly Compression[] = ['brotli', 'deflate-raw'];

/** The payload inflated, or why not. */
export function inflatePayload(bytes: Uint8Array, named?: Compression): { how: Compression; bytes: Buffer } | { problem: string } {
  const tries = named ? [named] : compressionTries(bytes);
  let problem = '';
  for (const how of tries) {
    const fast = sharedInflater.inflate(bytes, how);
    if (fast instanceof Buffer) return { how, bytes: Buffer.from(fast) };
    // With two tries a refusal needs no words: the next try's outcome, or the summary below, is
    // shown (the public function is asked only for a single try's words, or when unsure).
    if (fast === 'failed' && tries.length > 1) continue;
    try {
      return { how, bytes: inflate(bytes, how) };
    } catch (error) {
      problem = inflateProblem(error, how, bytes.byteLength);
      if (problem.includes('decompression bomb')) return { problem };
    }
  }
  if (tries.length > 1) return { problem: unsignedProblem(bytes) };
  return { problem };
}

/**
 * Why a message without a signature is neither brotli nor raw deflate. Either may be the one,
 * cut short: that comes first (a narrow Summary column shows the start), said as what it may be
 * ("truncated, or not compressed"), then what each reading found; asked only for a message
 * both refused (shown as not valid).
 */
function unsignedProblem(bytes: Uint8Array): string {
  const size = bytes.byteLength;
  const named = (how: Compression): string => (how === 'deflate-raw' ? 'raw deflate' : how);
  const cutShort = UNSIGNED.filter((how) => endsEarly(bytes, how));
  if (cutShort.length === 0) return `no gzip or zlib header, and it is neither brotli nor raw deflate (${size} B)`;
  if (cutShort.length === UNSIGNED.length) return `truncated, or not compressed: the data (${size} B) ends too soon for brotli and for raw deflate, and has no gzip or zlib header`;
  const other = UNSIGNED.find((how) => !cutShort.includes(how));
  const first = cutShort[0];
  if (first === undefined || other === undefined) return `no gzip or zlib header, and it is neither brotli nor raw deflate (${size} B)`;
  return `truncated ${named(first)}, or not compressed: the data (${size} B) ends too soon for ${named(first)}, is not ${named(other)}, and has no gzip or zlib header`;
}

function endsEarly(bytes: Uint8Array, how: Compression): boolean {
  try {
    inflate(bytes, how);
    return false;
  } catch (error) {
    return /unexpected end of file/i.test(error instanceof Error ? error.message : String(error));
  }
}

export class CompressedDecoder extends StatelessDecoder implements StreamDecoder {
  readonly protocol = 'compressed' as const;

  decode(frame: WireFrame): DecodeOutcome | undefined {
    if (frame.opcode !== 'binary' && frame.opcode !== 'text') return undefined;
    if (frame.bytes.byteLength === 0) return notValid('compressed', 'an empty message (nothing to inflate)');
    const inflated = inflatePayload(frame.bytes);
    if ('problem' in inflated) return notValid('compressed', inflated.problem);
    const payload = payloadValue(inflated.bytes);
    return decoded('compressed', `${inflated.how} → ${describePayload(payload, inflated.bytes.byteLength)}`, {
      compression: inflated.how,
      size: frame.bytes.byteLength,
      inflatedSize: inflated.bytes.byteLength,
      as: payload.as,
      payload: payload.value,
    });
  }
}
