/**
 * A decoded-field search without decoding every frame: for some protocols a frame can match
 * `destination == /topic/p7` only if certain bytes are in its raw payload, so frames without them
 * need not be decoded. That holds only for a frame whose decoding comes from its own bytes alone,
 * so each rule says both:
 * - `needle`: bytes that a *self-contained* message must hold to match the wanted fields;
 * - `selfContained(slab, start, end, opcode)`: whether the message, read by a decoder that holds
 *   nothing for its direction, decodes exactly as a fresh decoder would decode it alone, and leaves
 *   the decoder as it found it (nothing carried to the next message, no setting changed).
 * The walk that uses them (store-decoding.ts, with FrameDecodeCache.passOver) skips a frame only
 * when the decoder is idle for its direction, the frame is self-contained and the needle is not in
 * it; every other frame is decoded in order, so frames split across messages, escapes and settings
 * learnt from earlier frames are decoded as before.
 *
 * STOMP: self-contained = one frame (exactly one NUL, followed only by EOLs), starting with a
 * command (no heart-beat before it), not CONNECTED (which may switch escapes off), no backslash
 * (so escapes change nothing and 1.0 and 1.2 read it alike), its header block ends before the NUL
 * and a content-length header (digits only) ends the body inside the message; the needle is
 * `destination:` + the value's UTF-8 (a self-contained frame's header is its raw bytes).
 * MessagePack: stateless, strings are their UTF-8 bytes in one piece: the needle is any wanted
 * value's UTF-8 (none when the value holds U+FFFD, which bad UTF-8 also decodes to).
 * Every other protocol has no rule (no prefilter): JSON text may escape any character, Socket.IO
 * joins attachments, GraphQL names results from earlier frames, CBOR strings may come in chunks,
 * MQTT packets span messages, compressed and Base64 payloads hide their bytes.
 */
import type { DecoderName } from './decoded-frame';
import type { FieldName } from './decoded-key-index';

export interface RawPrefilter {
  /** Bytes a self-contained message must hold to match. */
  readonly needle: Buffer;
  /** See the file comment. `opcode` is the store's opcode name. */
  selfContained(slab: Buffer, start: number, end: number, opcode: string): boolean;
}

const NUL = 0x00;
const LF = 0x0a;
const CR = 0x0d;
const BACKSLASH = 0x5c;
const CONNECTED = Buffer.from('CONNECTED', 'latin1');
const CONTENT_LENGTH = Buffer.from('content-length:', 'latin1');

/** The prefilter for these wanted fields in this protocol, or undefined (decode every frame). */
export function rawPrefilter(protocol: DecoderName, wanted: Partial<Record<FieldName, string>>): RawPrefilter | undefined {
  if (protocol === 'stomp') {
    const destination = wanted.destinations;
    if (destination === undefined) return undefined;
    return { needle: Buffer.from(`destination:${destination}`, 'utf8'), selfContained: stompSelfContained };
  }
  if (protocol === 'msgpack') {
    const value = Object.values(wanted).find((v): v is string => v !== undefined && v.length > 0 && !v.includes('\ufffd'));
    if (value === undefined) return undefined;
    return { needle: Buffer.from(value, 'utf8'), selfContained: () => true };
  }
  return undefined;
}

function startsWith(slab: Buffer, at: number, end: number, word: Buffer): boolean {
  if (end - at < word.length) return false;
  for (let i = 0; i < word.length; i++) if (slab[at + i] !== word[i]) return false;
  return true;
}

/** The index of the first LF in [from, end), or -1. */
function lfIn(slab: Buffer, from: number, end: number): number {
  for (let i = from; i < end; i++) if (slab[i] === LF) return i;
  return -1;
}

/** See the file comment: one whole frame, decoded alike whatever the decoder learnt before. */
export function stompSelfContained(slab: Buffer, start: number, end: number, opcode: string): boolean {
  if (opcode !== 'text' && opcode !== 'binary') return true; // the decoder ignores control frames
  // Trailing EOLs (LF or CR LF), then the NUL.
  let z = end - 1;
  while (z >= start) {
    if (slab[z] === LF) z -= slab[z - 1] === CR && z - 1 >= start ? 2 : 1;
    else break;
  }
  if (z < start || slab[z] !== NUL) return false;
  const first = slab[start] ?? 0;
  if (first < 0x41 || first > 0x5a) return false; // a command, not a heart-beat before it
  if (startsWith(slab, start, z, CONNECTED)) return false;
  // One NUL, no backslash before it (its trailing bytes are EOLs only).
  for (let i = start; i < z; i++) {
    const byte = slab[i];
    if (byte === NUL || byte === BACKSLASH) return false;
  }
  // The command line, then header lines up to the blank line, all before the NUL.
  let lf = lfIn(slab, start, z);
  if (lf < 0) return false;
  let bodyStart = -1;
  let contentLength = -1;
  for (let line = lf + 1; line < z; line = lf + 1) {
    if (slab[line] === LF) {
      bodyStart = line + 1;
      break;
    }
    if (slab[line] === CR && slab[line + 1] === LF) {
      bodyStart = line + 2;
      break;
    }
    lf = lfIn(slab, line, z);
    if (lf < 0) return false;
    if (contentLength < 0 && startsWith(slab, line, lf, CONTENT_LENGTH)) {
      const valueEnd = slab[lf - 1] === CR ? lf - 1 : lf;
      const digits = slab.toString('latin1', line + CONTENT_LENGTH.length, valueEnd);
      if (!/^\d{1,10}$/.test(digits)) return false;
      contentLength = Number(digits);
    }
  }
  if (bodyStart < 0 || bodyStart > z) return false;
  // Without content-length the body ends at the NUL; with one, the parser decides (whole frame,
  // or "no NUL there": not valid) inside this message only when the length ends before its end.
  return contentLength < 0 || bodyStart + contentLength < end;
}
