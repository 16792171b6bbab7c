/**
 * A decoded-field search without decoding every frame: for some protocols a frame can match
 * `destination == /topic/p7` only if certain bytes are in its raw payload, so frames without them
 * need not be decoded. That holds only for a frame whose decoding comes from its own bytes alone,
 * so each rule says both:
 * - `needles`: a *self-contained* message must hold one of these byte strings to match;
 * - `selfContained(slab, start, end, opcode)`: whether the message, read by a decoder that holds
 *   nothing for its direction, decodes exactly as a fresh decoder would decode it alone, and leaves
 *   the decoder as it found it (nothing carried to the next message, no setting changed).
 * The walk that uses them (prefilter-walk.ts, its own decoder in seq order) skips a frame only
 * when that decoder is idle for the frame's direction, the frame is self-contained and holds none
 * of the needles; every other frame is decoded in order, so frames split across messages, escapes
 * and settings learnt from earlier frames are decoded as before.
 *
 * STOMP: self-contained = one frame ending at the message's last NUL (only EOLs after it),
 * starting with a command (no heart-beat before it), not CONNECTED (which may switch escapes off),
 * no backslash or NUL in the command and headers (so escapes change nothing and 1.0 and 1.2 read
 * it alike), the header block ending before that NUL, and the body ending at it: by content-length
 * (digits only) or, without one, as the first NUL after the headers; the needles are the
 * header line `\ndestination:<value>` ended by LF or by CR LF, in UTF-8 (a self-contained frame's
 * header is its raw bytes, and it follows the command line), also with a byte order mark before
 * the name (a line holding U+FFFD is read strictly, which drops it).
 * MessagePack: stateless, strings are their UTF-8 bytes in one piece: the needle is any wanted
 * value's UTF-8 (none when the value holds U+FFFD, which bad UTF-8 also decodes to, or is text
 * json-value.ts may make of a number or a timestamp: CONVERTED_TO_TEXT).
 * Socket.IO (event): a text message is self-contained unless it is a binary event or ack's
 * header (`45…`, `46…`: the parser then holds it for its attachments; the decoder is idle for a
 * direction only while it holds none), it changes which namespaces the decoder knows to be
 * connected (the Engine.IO open, CONNECT, DISCONNECT, CONNECT_ERROR: socketio-namespaces.ts), or
 * a JSON string right after one of its `[` (where the event name is) holds a backslash
 * (`"ch\u0061t"`); a binary message in an idle direction is invalid alone and in order. The
 * needle is the event as a JSON string, `"chat"`: an event read from a string without escapes is
 * its UTF-8 between quotes. An event named by a number (`42[1,2]`, decoded-fields.ts: `1`; also
 * `1.0`, `1e0`, `-0`: no needle finds every spelling) is not between quotes, so the event rule
 * also decodes every EVENT whose payload may open with a number (socketIoNumberedEvent), for any
 * wanted event: the frames one search passed over are tested later by another's needles alone
 * (prefilter-walk.ts), so the rule must be the same for every event. Binary events are named on
 * their last attachment, which the walk decodes in order (its direction is not idle).
 * CBOR and Protocol Buffers without a schema (payloadStringPrefilter, for a query's string:
 * query-prefilter.ts): stateless like MessagePack. A CBOR text string is its UTF-8 in one piece
 * unless it is indefinite-length (chunks, initial byte 0x7F; cbor-x 1.6 refuses them, the rule
 * does not rely on it) or a tag makes it (cbor-x's packed values, bundled strings, dates): a
 * message that is one data item whose heads hold no tag and no indefinite length is
 * self-contained (cborSelfContained reads the heads). Protocol Buffers without a schema shows a
 * length-delimited field as text only when it is strictly valid printable UTF-8, so its bytes;
 * with a schema, a string field is its bytes read as UTF-8 (the caller checks the field's type).
 * MQTT and GraphQL over WebSocket are stateful (topic aliases, the version, packets spanning
 * messages; results named by their subscribe): stateful-prefilter.ts.
 * Every other protocol has no rule (no prefilter): JSON text may escape any character, Protocol
 * Buffers with a schema show enums by name and bytes as Base64, compressed and Base64 payloads
 * hide their bytes.
 */
import type { DecoderName } from './decoded-frame';
import type { FieldName } from './decoded-key-index';
import { jsonTextNeedles } from './json-text-needles';
import { msgpackBytesFree } from './msgpack-bytes-free';
import { socketIoSetsNamespaces } from './socketio-namespaces';

export interface RawPrefilter {
  readonly kind: 'self-contained';
  /** A self-contained message must hold one of these to match. */
  readonly needles: readonly Buffer[];
  /**
   * See the file comment. `opcode` is the store's opcode name; `holds`, when given, says whether
   * some bytes lie inside [start, end) from hits found once per slab (else the test reads the bytes).
   */
  selfContained(slab: Buffer, start: number, end: number, opcode: string, holds?: HoldsBytes): boolean;
  /** The decoder keeps nothing between messages (every direction always idle), so it need not be asked. */
  readonly stateless?: true;
  /** Beyond the needles: whether the message cannot give the value (base64-prefilter.ts reads what the Base64 hides). */
  lacks?(slab: Buffer, start: number, end: number): boolean;
  /**
   * `lacks` is a second rule, not a further condition: a self-contained message is passed over
   * when it holds no needle *or* `lacks` says it cannot match (each alone exact: stomp-probe.ts
   * with a string rule's needles). Without it, both must say so.
   */
  readonly needlesOrLacks?: true;
}

/**
 * A rule that reads each message itself (`lacks`: Base64 and compressed payloads, whose bytes
 * hide the literal): stateless, every message self-contained, no needles found per slab.
 */
export function lacksPrefilter(lacks: NonNullable<RawPrefilter['lacks']>): RawPrefilter {
  return { kind: 'self-contained', needles: [], stateless: true, selfContained: () => true, lacks };
}

/** Whether `bytes` lie wholly inside [start, end) of the slab being read. */
export type HoldsBytes = (bytes: Buffer, start: number, end: number) => boolean;

const NUL = 0x00;
const LF = 0x0a;
const CR = 0x0d;
const BACKSLASH = 0x5c;
const CONNECTED = Buffer.from('CONNECTED', 'latin1');
const CONTENT_LENGTH = Buffer.from('content-length:', 'latin1');
/**
 * Text json-value.ts makes from what is not a string in the payload (a 64-bit integer's digits,
 * NaN and ±Infinity, a timestamp's ISO date, 'Invalid Date'): such a value need not be in the
 * bytes as UTF-8, so it gets no needle.
 */
export const CONVERTED_TO_TEXT = /^(?:[-+\d]|NaN$|Infinity$|Invalid Date$)/;

/** The prefilter for these wanted fields in this protocol, or undefined (decode every frame). */
export function rawPrefilter(protocol: DecoderName, wanted: Partial<Record<FieldName, string>>): RawPrefilter | undefined {
  if (protocol === 'stomp') {
    const destination = wanted.destinations;
    if (destination === undefined) return undefined;
    // The whole header line (after the command line, so after an LF), ended by LF or CR LF: not
    // /topic/p70. A line holding U+FFFD is read strictly, which drops a byte order mark at its
    // start: `\uFEFFdestination:/topic/\uFFFD` is the destination /topic/\uFFFD.
    const lines = [`\ndestination:${destination}`, `\n\uFEFFdestination:${destination}`];
    return { kind: 'self-contained', needles: lines.flatMap((line) => [Buffer.from(`${line}\n`, 'utf8'), Buffer.from(`${line}\r\n`, 'utf8')]), selfContained: stompSelfContained };
  }
  if (protocol === 'socketio') {
    const event = wanted.events;
    if (event === undefined || !exactInUtf8(event)) return undefined;
    return { kind: 'self-contained', needles: [Buffer.from(`"${event}"`, 'utf8')], selfContained: socketIoEventSelfContained };
  }
  if (protocol === 'msgpack') {
    for (const value of Object.values(wanted)) {
      const prefilter = value !== undefined ? payloadStringPrefilter('msgpack', value) : undefined;
      if (prefilter) return prefilter;
    }
  }
  return undefined;
}

/** The stateless formats whose strings are the payload's own UTF-8 (see the file comment). */
export type PayloadStringFormat = 'msgpack' | 'cbor' | 'protobuf';

/**
 * For a string the decoded value holds where the payload wrote a string (a field, a query's
 * `path == 'text'` on such a path: query-literals.ts), or inside JSON text such a string holds,
 * the message must hold its UTF-8 or an escape that may stand for one of its characters
 * (json-text-needles.ts); none for text the decoder may make itself (CONVERTED_TO_TEXT) or
 * that bad UTF-8 also reads as. `bytesFree`: only messages without byte strings (MessagePack
 * bin and ext, CBOR major type 2) are passed over, for a value a query's `[*]` may find as
 * `$bytes`' Base64 (query-prefilter.ts); Protocol Buffers gets no rule then (any field may be bytes).
 */
export function payloadStringPrefilter(format: PayloadStringFormat, value: string, bytesFree = false): RawPrefilter | undefined {
  if (!exactInUtf8(value) || CONVERTED_TO_TEXT.test(value)) return undefined;
  const needles = jsonTextNeedles(value);
  if (format === 'cbor') return { kind: 'self-contained', needles, selfContained: bytesFree ? cborBytesFree : cborSelfContained, stateless: true };
  if (bytesFree) return format === 'msgpack' ? { kind: 'self-contained', needles, selfContained: msgpackBytesFree, stateless: true } : undefined;
  return { kind: 'self-contained', needles, selfContained: () => true, stateless: true };
}

const CBOR_TAG = 6;
const CBOR_ARRAY = 4;
const CBOR_MAP = 5;
const CBOR_BYTES = 2;
const CBOR_TEXT = 3;

/**
 * See the file comment (CBOR): the message is one data item read head by head as cbor-x reads
 * it, ending at the message's end, without a tag, an indefinite length (0x5F, 0x7F, 0x9F, 0xBF)
 * or a reserved head (additional information 28–31). Strings' and byte strings' contents are
 * stepped over, so their bytes are never taken for heads.
 */
export function cborSelfContained(slab: Buffer, start: number, end: number): boolean {
  return cborHeads(slab, start, end, true);
}

/** cborSelfContained, and without byte strings (cbor-x reads them as Buffers: `$bytes`). */
export function cborBytesFree(slab: Buffer, start: number, end: number): boolean {
  return cborHeads(slab, start, end, false);
}

function cborHeads(slab: Buffer, start: number, end: number, bytesAllowed: boolean): boolean {
  let at = start;
  let pending = 1;
  while (pending > 0) {
    if (at >= end || pending > end - at) return false;
    const head = slab[at++] ?? 0;
    const major = head >> 5;
    const info = head & 0x1f;
    if (info >= 28 || major === CBOR_TAG || (major === CBOR_BYTES && !bytesAllowed)) return false;
    let argument = info;
    if (info >= 24) {
      const size = 1 << (info - 24);
      if (at + size > end) return false;
      argument = 0;
      for (let k = 0; k < size; k++) argument = argument * 256 + (slab[at + k] ?? 0);
      at += size;
    }
    pending--;
    if (major === CBOR_BYTES || major === CBOR_TEXT) {
      if (argument > end - at) return false;
      at += argument;
    } else if (major === CBOR_ARRAY) pending += argument;
    else if (major === CBOR_MAP) pending += 2 * argument;
  }
  return at === end;
}

/**
 * Whether text read from bytes that hold `value`'s UTF-8 can only be `value` where those bytes
 * are: not when it holds U+FFFD (bad UTF-8 reads as that too) or a lone surrogate (no UTF-8).
 */
export function exactInUtf8(value: string): boolean {
  return value.length > 0 && !value.includes('\ufffd') && Buffer.from(value, 'utf8').toString('utf8') === value;
}

const OPEN_BRACKET = 0x5b;
const QUOTE = 0x22;
const SOCKETIO_MESSAGE = 0x34; // '4': an Engine.IO message
const SOCKETIO_BINARY_EVENT = 0x35;
const SOCKETIO_BINARY_ACK = 0x36;

function isJsonSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === CR;
}

/** See the file comment (Socket.IO): decoded alike whenever the direction holds no binary packet. */
const BACKSLASH_BYTES = Buffer.from('\\', 'latin1');

/**
 * STOMP, a string anywhere in a frame's value (a query's `$.headers['x-id']`, `$.body`,
 * `$.command`, `$.body.sym` in a body of JSON text): a self-contained frame (stompSelfContained:
 * no backslash in its command and headers, so no escapes) shows its command, header names and
 * values and its body text as their bytes, so without the literal's UTF-8, and without an escape
 * JSON text in them may write it with (json-text-needles.ts), it cannot hold it.
 */
export function stompStringPrefilter(literal: string): RawPrefilter | undefined {
  if (!exactInUtf8(literal)) return undefined;
  return { kind: 'self-contained', needles: jsonTextNeedles(literal), selfContained: stompSelfContained };
}

/**
 * Socket.IO, a string in what a message carries (a query's `$.args…`, `$.data…`, `$.handshake…`):
 * a text message that is not a binary header and holds no backslash anywhere decodes alone as in
 * order (socketIoSelfContained) and its JSON strings, Engine.IO text and handshake are its bytes,
 * so without the literal's UTF-8 it cannot hold it. Binary messages: as for the event.
 */
export function socketIoPayloadPrefilter(literal: string): RawPrefilter | undefined {
  if (!exactInUtf8(literal) || CONVERTED_TO_TEXT.test(literal)) return undefined;
  return {
    kind: 'self-contained',
    needles: [Buffer.from(literal, 'utf8'), BACKSLASH_BYTES],
    selfContained: socketIoSelfContained,
  };
}

export function socketIoSelfContained(slab: Buffer, start: number, end: number, opcode: string, holds?: HoldsBytes): boolean {
  if (opcode !== 'text') return true; // binary: invalid without a header before it; control frames are not decoded
  return socketIoTextSelfContained(slab, start, end, false, holds);
}

/** The event rule's test (see the file comment): socketIoSelfContained, and no event that may be named by a number. */
export function socketIoEventSelfContained(slab: Buffer, start: number, end: number, opcode: string, holds?: HoldsBytes): boolean {
  if (opcode !== 'text') return true;
  return socketIoTextSelfContained(slab, start, end, true, holds);
}

function socketIoTextSelfContained(slab: Buffer, start: number, end: number, event: boolean, holds: HoldsBytes | undefined): boolean {
  if (slab[start] === SOCKETIO_MESSAGE) {
    const type = slab[start + 1];
    if (type === SOCKETIO_BINARY_EVENT || type === SOCKETIO_BINARY_ACK) return false;
    if (event && type === SOCKETIO_EVENT && socketIoNumberedEvent(slab, start, end)) return false;
  }
  if (socketIoSetsNamespaces(slab, start, end)) return false;
  // The event is the first value of the JSON array after the header; that array opens at one of
  // the `[`s (a namespace may hold more), so no string right after any `[` may hold an escape.
  let escapes = false;
  if (holds) escapes = holds(BACKSLASH_BYTES, start, end);
  else for (let at = start; at < end && !escapes; at++) escapes = slab[at] === BACKSLASH;
  if (!escapes) return true;
  for (let at = start; at < end; at++) {
    if (slab[at] !== OPEN_BRACKET) continue;
    let i = at + 1;
    while (i < end && isJsonSpace(slab[i])) i++;
    if (slab[i] !== QUOTE || i >= end) continue;
    for (i++; i < end; i++) {
      const byte = slab[i];
      if (byte === QUOTE) break;
      if (byte === BACKSLASH) return false;
    }
  }
  return true;
}

const SOCKETIO_EVENT = 0x32; // '2' after the Engine.IO '4'
const SLASH = 0x2f;
const COMMA = 0x2c;
const MINUS = 0x2d;

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x30 && byte <= 0x39;
}

/**
 * Whether a text message may be an EVENT whose payload opens with a number: `42`, a namespace up
 * to its first comma, the id (socket.io-parser's decodeString reads every character c with
 * `Number(c) == c` as part of it: digits and whitespace, U+00A0 and U+FEFF among them, so any
 * byte of a non-ASCII character there answers yes), then `[`, JSON whitespace, a digit or `-`.
 */
export function socketIoNumberedEvent(slab: Buffer, start: number, end: number): boolean {
  if (end - start < 3 || slab[start] !== SOCKETIO_MESSAGE || slab[start + 1] !== SOCKETIO_EVENT) return false;
  let at = start + 2;
  if (slab[at] === SLASH) {
    while (at < end && slab[at] !== COMMA) at++;
    at++;
  }
  for (; at < end; at++) {
    const byte = slab[at] ?? 0;
    if (byte >= 0x80) return true;
    if (!isDigit(byte) && byte !== 0x20 && (byte < 0x09 || byte > 0x0d)) break;
  }
  if (at >= end || slab[at] !== OPEN_BRACKET) return false;
  for (at++; at < end && isJsonSpace(slab[at]); at++);
  return at < end && (slab[at] === MINUS || isDigit(slab[at]));
}

function startsWith(slab: Buffer, at: number, end: number, word: Buffer): boolean {
  if (end - at < word.length) return false;
  for (let i = 0; i < word.length; i++) if (slab[at + i] !== word[i]) return false;
  return true;
}

/** 1 to 10 ASCII digits (what the parser takes, without spaces) as a number, else -1. */
function digitsValue(slab: Buffer, from: number, to: number): number {
  if (to <= from || to - from > 10) return -1;
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = (slab[i] ?? 0) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** See the file comment: one whole frame, decoded alike whatever the decoder learnt before. */
export function stompSelfContained(slab: Buffer, start: number, end: number, opcode: string, holds?: HoldsBytes): boolean {
  if (opcode !== 'text' && opcode !== 'binary') return true; // the decoder ignores control frames
  return stompFrameBounds(slab, start, end, holds) !== undefined;
}

/** Where a self-contained STOMP frame's parts lie in the slab (stomp-probe.ts reads them). */
export interface StompFrameBounds {
  /** The command line's text ends here (without a CR before its LF). */
  readonly commandEnd: number;
  /** The first header line starts here. */
  readonly headersStart: number;
  /** The blank line that ends the headers starts here. */
  readonly headersEnd: number;
  readonly bodyStart: number;
  /** The frame's NUL. */
  readonly bodyEnd: number;
}

/**
 * A text or binary message at [start, end) that is one self-contained frame (the file comment):
 * its parts, else undefined. The hot path of a STOMP search, so the bytes are searched natively
 * (Buffer#indexOf: about half the CPU of a loop over each byte in JS on bench (11)'s frames): its
 * first NUL, which must not come before the blank line, and the LF ending each line. A backslash
 * in the command and headers is looked up in the slab's hits when the scan gives `holds`.
 */
export function stompFrameBounds(slab: Buffer, start: number, end: number, holds?: HoldsBytes): StompFrameBounds | undefined {
  // Trailing EOLs (LF or CR LF), then the NUL.
  let z = end - 1;
  while (z >= start && slab[z] === LF) z -= z > start && slab[z - 1] === CR ? 2 : 1;
  if (z < start || slab[z] !== NUL) return undefined;
  const first = slab[start] ?? 0;
  if (first < 0x41 || first > 0x5a) return undefined; // a command, not a heart-beat before it
  if (first === CONNECTED[0] && startsWith(slab, start, z, CONNECTED)) return undefined;
  // The first NUL: it stops this search (z holds one), and every line must end before it.
  const nul = slab.indexOf(NUL, start);
  let lf = lfBefore(slab, start, nul);
  if (lf < 0) return undefined;
  const commandEnd = lf > start && slab[lf - 1] === CR ? lf - 1 : lf;
  const headersStart = lf + 1;
  let contentLength = -1;
  // Header lines up to the blank line (LF or CR LF), each ended by an LF before the NUL.
  let line = headersStart;
  for (;;) {
    if (line >= nul) return undefined;
    const byte = slab[line];
    if (byte === LF || (byte === CR && slab[line + 1] === LF)) break;
    lf = lfBefore(slab, line, nul);
    if (lf < 0) return undefined;
    if (contentLength < 0 && byte === CONTENT_LENGTH[0] && startsWith(slab, line, lf, CONTENT_LENGTH)) {
      contentLength = digitsValue(slab, line + CONTENT_LENGTH.length, slab[lf - 1] === CR ? lf - 1 : lf);
      if (contentLength < 0) return undefined;
    }
    line = lf + 1;
  }
  const headersEnd = line;
  const bodyStart = line + (slab[line] === LF ? 1 : 2);
  // No escapes: without a backslash the headers read alike in 1.0 and 1.2, whatever was set.
  if (holds ? holds(BACKSLASH_BYTES, start, headersEnd) : backslashIn(slab, start, headersEnd)) return undefined;
  // With content-length the body is that many bytes, whatever they hold, and must end at this NUL;
  // without, it ends at the first NUL, which must be this one. (Escapes are for headers only.)
  const bodyEnds = contentLength >= 0 ? bodyStart + contentLength === z : nul === z;
  return bodyEnds ? { commandEnd, headersStart, headersEnd, bodyStart, bodyEnd: z } : undefined;
}

function backslashIn(slab: Buffer, from: number, to: number): boolean {
  for (let at = from; at < to; at++) if (slab[at] === BACKSLASH) return true;
  return false;
}

/**
 * A stretch of a slab known to hold no LF, [lfFreeFrom, lfFreeTo), found by the last search that
 * ran past its limit: without it, messages read in order with no LF before their NUL (binary
 * messages that look like a command) would each search the same stretch to the next LF. It only
 * ever rejects a frame (a slab reused since makes it wrong at worst in that direction, and only
 * until the next LF found anywhere, which forgets it).
 */
let lfFreeSlab: WeakRef<Buffer> | undefined;
let lfFreeFrom = 0;
let lfFreeTo = 0;

/** The first LF in [from, limit), else -1. */
function lfBefore(slab: Buffer, from: number, limit: number): number {
  if (from >= lfFreeFrom && limit <= lfFreeTo && lfFreeSlab?.deref() === slab) return -1;
  const at = slab.indexOf(LF, from);
  if (at >= 0 && at < limit) {
    lfFreeSlab = undefined; // an LF-free stretch holds no frame, so one found means it was passed
    return at;
  }
  lfFreeSlab = new WeakRef(slab);
  lfFreeFrom = from;
  lfFreeTo = at < 0 ? Number.MAX_SAFE_INTEGER : at;
  return -1;
}
