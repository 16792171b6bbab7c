/**
 * A message's payload unwrapped as its decoder unwraps it, for the query search's rules that read
 * it without decoding: the rule-out prefilters (compressed-prefilter.ts, base64-prefilter.ts)
 * and the match proof (unwrapped-match-proof.ts), which the walk asks one after the other of the
 * same message (in-order-match-walk.ts), so it is unwrapped once, not twice.
 *
 * - Compressed (compressed-decoder.ts): the decoder's tries in its order (compressionTries, read
 *   only for a message of at least 3 bytes, so never past it in the slab) through a PayloadInflater
 *   (payload-inflater.ts: the bytes the public function gives, 'failed' where it throws too,
 *   'unsure' where it must be asked): PAYLOAD, INVALID when every try is refused, UNSURE.
 * - Base64 (base64-decoder.ts): the decoder's checks and bytes (strict-base64.ts), INVALID when
 *   they refuse it; bytes that are gzip or zlib inflated as the decoder does (one try, by its
 *   header): refused gzip is INVALID, refused zlib NOT_INFLATED (the decoder shows the bytes).
 *
 * The answer is one reused record (nothing allocated a message), and so are the buffers its bytes
 * are in: this unwrapper's own inflater and Base64 buffer, written by nothing else, each write
 * re-keying the record. The last answer is given again for the same slab object, start and end
 * until the synchronous run that made it ends (a microtask forgets it): the store writes payloads
 * into its slabs (reused from a pool) only from other tasks, never during a walk's run.
 */
import { compressionTries } from './compressed-decoder';
import { PayloadInflater, type Compression } from './payload-inflater';
import { base64Capacity, decodeStrictBase64 } from './strict-base64';

export const PAYLOAD = 0;
/** The decoder shows the message as not valid (which matches nothing). */
export const INVALID = 1;
/** Not read here (the inflater is unsure): the message is decoded. */
export const UNSURE = 2;
/** Base64 of bytes with a zlib header that do not inflate: the decoder shows those bytes. */
export const NOT_INFLATED = 3;

export interface UnwrappedPayload {
  state: typeof PAYLOAD | typeof INVALID | typeof UNSURE | typeof NOT_INFLATED;
  /** The payload is bytes[0, length) (PAYLOAD, NOT_INFLATED). */
  bytes: Buffer;
  length: number;
  /** What the decoder writes beside it: the compression that inflated it (Base64: none when it did not), `size`, `inflatedSize`. */
  compression: Compression | undefined;
  size: number;
  inflatedSize: number;
}

type Protocol = 'compressed' | 'base64';

export class PayloadUnwrapper {
  private readonly answer: UnwrappedPayload;
  private decoded = Buffer.alloc(1024);
  private keyProtocol: Protocol | undefined;
  private keySlab: Uint8Array | undefined;
  private keyStart = 0;
  private keyEnd = 0;
  private forgetting = false;
  private readonly forget = (): void => {
    this.keySlab = undefined;
    this.forgetting = false;
  };

  constructor(readonly inflater: PayloadInflater = new PayloadInflater()) {
    this.answer = { state: UNSURE, bytes: inflater.scratch, length: 0, compression: undefined, size: 0, inflatedSize: 0 };
  }

  /** slab[start, end) as the compressed decoder unwraps it (see the file comment); valid until the next call. */
  compressed(slab: Buffer, start: number, end: number): UnwrappedPayload {
    if (this.remembers('compressed', slab, start, end)) return this.answer;
    this.keySlab = undefined;
    this.unwrapCompressed(slab, start, end);
    this.remember('compressed', slab, start, end);
    return this.answer;
  }

  /** slab[start, end) as the Base64 decoder unwraps it (see the file comment); valid until the next call. */
  base64(slab: Buffer, start: number, end: number): UnwrappedPayload {
    if (this.remembers('base64', slab, start, end)) return this.answer;
    this.keySlab = undefined;
    this.unwrapBase64(slab, start, end);
    this.remember('base64', slab, start, end);
    return this.answer;
  }

  private unwrapCompressed(slab: Buffer, start: number, end: number): UnwrappedPayload {
    const answer = this.answer;
    answer.size = end - start;
    answer.compression = undefined;
    answer.state = end - start < 3 ? UNSURE : INVALID;
    if (end - start < 3) return answer;
    for (const how of compressionTries(slab, start)) {
      const length = this.inflater.inflateToScratch(slab, how, start, end);
      // Refused: the next try, or (the last) the decoder shows it as not valid.
      if (length === 'failed') continue;
      if (length === 'unsure') {
        answer.state = UNSURE;
        return answer;
      }
      return this.inflated(answer, how, length);
    }
    return answer;
  }

  private unwrapBase64(slab: Buffer, start: number, end: number): UnwrappedPayload {
    const answer = this.answer;
    answer.compression = undefined;
    const capacity = base64Capacity(start, end);
    if (this.decoded.length < capacity) this.decoded = Buffer.alloc(Math.max(capacity, this.decoded.length * 2));
    const size = decodeStrictBase64(slab, start, end, this.decoded);
    answer.state = size < 0 ? INVALID : PAYLOAD;
    answer.bytes = this.decoded;
    answer.length = answer.size = Math.max(0, size);
    const how = size < 0 ? undefined : compressedAs(this.decoded, size);
    if (how === undefined) return answer;
    const length = this.inflater.inflateToScratch(this.decoded, how, 0, size);
    if (typeof length === 'number') return this.inflated(answer, how, length);
    // zlib's two-byte header is a weak sign: the decoder shows bytes that do not inflate as they are.
    answer.state = length === 'unsure' ? UNSURE : how === 'gzip' ? INVALID : NOT_INFLATED;
    return answer;
  }

  private inflated(answer: UnwrappedPayload, how: Compression, length: number): UnwrappedPayload {
    answer.state = PAYLOAD;
    answer.bytes = this.inflater.scratch;
    answer.length = answer.inflatedSize = length;
    answer.compression = how;
    return answer;
  }

  private remembers(protocol: Protocol, slab: Uint8Array, start: number, end: number): boolean {
    return this.keySlab === slab && this.keyProtocol === protocol && this.keyStart === start && this.keyEnd === end;
  }

  private remember(protocol: Protocol, slab: Uint8Array, start: number, end: number): void {
    this.keyProtocol = protocol;
    this.keySlab = slab;
    this.keyStart = start;
    this.keyEnd = end;
    if (!this.forgetting) {
      this.forgetting = true;
      queueMicrotask(this.forget);
    }
  }
}

/** The Base64 decoder's isGzip, else isZlib, on bytes[0, length) (the buffer holds older bytes past it). */
function compressedAs(bytes: Buffer, length: number): 'gzip' | 'deflate' | undefined {
  if (length < 2) return undefined;
  const cmf = bytes[0] ?? 0;
  const flg = bytes[1] ?? 0;
  if (length >= 3 && cmf === 0x1f && flg === 0x8b && bytes[2] === 0x08) return 'gzip';
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0 ? 'deflate' : undefined;
}

/** The one the search's rules share (JavaScript runs one at a time; each reads the answer before the next call). */
export const sharedUnwrapper = new PayloadUnwrapper();
