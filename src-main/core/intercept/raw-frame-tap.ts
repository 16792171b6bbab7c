/**
 * The relay's fast path: reads one side's socket in place of `ws`, frame by frame, and lets a
 * whole message frame (FIN set, no RSV bits, text or binary) go to the other side as the bytes
 * it came in, when the relay says nothing could hold or reorder it (no breakpoint rule for
 * this direction, nothing queued, both sides open, no permessage-deflate). The frame is still
 * captured: its payload (unmasked, for a client's frame) is handed over with it.
 *
 * Everything else goes to `ws`'s own receiver, byte for byte, as if the tap were not there:
 * control frames (pings, pongs, the close and whatever follows it), fragmented messages (each
 * fragment and the control frames between them), frames with RSV bits or reserved opcodes,
 * frames larger than RAW_MAX_FRAME or than `ws`'s maxPayload, text that is not UTF-8 (ws
 * closes with 1007 as before), and any frame the relay refuses when it is complete. `ws` then
 * relays it as a message, as it always did.
 *
 * A frame is forwarded only once its last byte has arrived (never a partial frame: ws's own
 * writes — pongs, closes, injected messages — must not land inside it); its pieces are the read
 * chunks themselves (one subarray per read the frame spans, its header included: no copy, and a
 * frame inside one read is one write). Client → server frames keep the client's own mask.
 *
 * Nothing is allocated per frame beyond those views, the pieces' array and the payload's view:
 * the header is read into a buffer of the tap's own, the payload is unmasked into one shared
 * scratch buffer through a word view made when the scratch is (see unmaskInPlace).
 *
 * `ws` has no public hook for this: the tap replaces its socket's `data` listener and writes to
 * its receiver. Both are checked when the tap is made; a `ws` that does not look as expected
 * (another version) gets no tap, and the relay works as before.
 */
import { isUtf8 } from 'node:buffer';
import type { Duplex } from 'node:stream';
import type WebSocket from 'ws';
import { wsParts, type WsReceiver } from '../session/ws-internals';

/** Frames larger than this always go through ws (and its maxPayload check). */
export const RAW_MAX_FRAME = 16 * 1024 * 1024;
/** The largest payload the shared scratch buffer grows to; a larger frame gets a buffer of its own. */
const SCRATCH_MAX = 1024 * 1024;
const MAX_HEADER = 14;

const OPCODE_BINARY = 2;
const OPCODE_CLOSE = 8;
const OPCODE_PONG = 10;

/** What a tap's side of the relay does with a frame that may go across as it came. */
export interface TapSink {
  /** Whether a complete message frame may be forwarded as it came now (asked when its last byte has arrived). */
  canForward(): boolean;
  /**
   * Writes the frame (header included, in `pieces`) to the other side and captures it.
   * `payload` is its payload, unmasked: valid during the call only (the capture copies it).
   */
  forward(pieces: readonly Buffer[], binary: boolean, payload: Buffer): void;
}

/** What the next bytes are: a frame header, the payload of a frame going raw, or one going to ws. */
const Reading = { Header: 0, RawPayload: 1, WsPayload: 2 } as const;
type Reading = (typeof Reading)[keyof typeof Reading];

/**
 * One shared scratch buffer for payloads the capture copies at once (this thread only ever fills
 * one at a time), its own ArrayBuffer (byteOffset 0: word-aligned), and a word view over it.
 */
let scratch = Buffer.allocUnsafeSlow(64 * 1024);
let scratchWords = wordsOver(scratch);

function scratchOf(length: number): Buffer {
  if (length > SCRATCH_MAX) return Buffer.allocUnsafeSlow(length);
  if (length > scratch.length) {
    scratch = Buffer.allocUnsafeSlow(Math.min(SCRATCH_MAX, 2 ** Math.ceil(Math.log2(length))));
    scratchWords = wordsOver(scratch);
  }
  return scratch.subarray(0, length);
}

/** A buffer that starts on an 8-byte boundary as 64-bit words (its tail beyond the last whole word left out). */
function wordsOver(buffer: Buffer): BigInt64Array {
  return new BigInt64Array(buffer.buffer, buffer.byteOffset, buffer.length >>> 3);
}

/** The 4-byte mask twice, as one 64-bit word in the machine's byte order: bytes written in, the word read out (no view per frame). */
const maskBytes = new Uint8Array(8);
const maskWord = new BigInt64Array(maskBytes.buffer);

export class RawFrameTap {
  private readonly header = Buffer.allocUnsafe(MAX_HEADER);
  private headerHave = 0;
  private headerNeed = 2;
  /** The current raw frame's header length (its first piece starts with the header). */
  private frameHeaderLength = 0;
  private reading: Reading = Reading.Header;
  /** Payload bytes of the current frame still to come. */
  private remaining = 0;
  /** The current raw frame's bytes so far, header first: one piece per read it spans (the current read's part added when the read ends or the frame does). */
  private pieces: Buffer[] = [];
  private binary = false;
  private masked = false;
  private readonly mask = Buffer.alloc(4);
  private payloadLength = 0;
  /** A fragmented message is under way on ws's side: its continuations go there too. */
  private fragmentedToWs = false;
  /** After a close frame (or a frame the tap does not take apart): ws reads everything. */
  private wsOnly = false;
  /** Frames forwarded as they came (tests and the docs' claim: the fast path is taken). */
  forwarded = 0;
  private readonly maxRaw: number;

  private constructor(
    readonly socket: Duplex,
    private readonly receiver: WsReceiver,
    private readonly expectMasked: boolean,
    private readonly sink: TapSink,
  ) {
    this.maxRaw = receiver._maxPayload > 0 ? Math.min(RAW_MAX_FRAME, receiver._maxPayload) : RAW_MAX_FRAME;
  }

  /**
   * Takes over the reading of `ws`'s socket (`masked`: the peer's frames are masked, i.e. it is
   * a client). Undefined, and nothing changed, when ws does not look as expected or its receiver
   * is inside a frame.
   */
  static install(ws: WebSocket, masked: boolean, sink: TapSink): RawFrameTap | undefined {
    const parts = wsParts(ws, { clientOnly: false });
    if (!parts) return undefined;
    const { socket, receiver, listener } = parts;
    const tap = new RawFrameTap(socket, receiver, masked, sink);
    socket.removeListener('data', listener);
    socket.on('data', (chunk: Buffer) => {
      try {
        tap.write(chunk);
      } catch (error) {
        // A bug here must not take the proxy down: this connection ends (ws closes it), the stack goes to stderr.
        console.error('Tunnelscope: internal error in the intercept fast path:', error);
        socket.destroy(error instanceof Error ? error : new Error(String(error)));
      }
    });
    // ws reads what a paused socket still holds when it closes: those bytes come through the tap first.
    socket.prependListener('close', () => {
      const left = socket.readableLength;
      if (left > 0) {
        const chunk = socket.read(left) as Buffer | null;
        if (chunk) tap.write(chunk);
      }
    });
    return tap;
  }

  /** Bytes read from the socket, in order. */
  write(chunk: Buffer): void {
    if (this.wsOnly) {
      this.toWs(chunk);
      return;
    }
    const end = chunk.length;
    let pos = 0;
    /** Start of the bytes of this chunk owed to ws (handed over before anything is forwarded, and at the end). */
    let wsFrom = -1;
    /** Start of the current raw frame's bytes in this chunk not yet in `pieces` (-1: none). */
    let rawFrom = this.reading === Reading.RawPayload ? 0 : -1;
    while (pos < end) {
      if (this.reading === Reading.Header) {
        const headerStart = this.headerHave === 0 ? pos : -1;
        while (this.headerHave < this.headerNeed && pos < end) {
          const byte = chunk[pos++] ?? 0;
          this.header[this.headerHave++] = byte;
          if (this.headerHave === 2) this.headerNeed = headerLength(byte);
        }
        if (this.headerHave < this.headerNeed) {
          // The header goes on in the next chunk; its bytes so far are kept in `header`.
          if (wsFrom >= 0) this.toWs(chunk.subarray(wsFrom, headerStart));
          return;
        }
        const headerSize = this.headerNeed;
        /** A header begun in an earlier chunk is a copy (the header buffer is reused); else it is in this chunk. */
        const carriedHeader = headerStart < 0 ? Buffer.from(this.header.subarray(0, headerSize)) : undefined;
        this.headerHave = 0;
        this.headerNeed = 2;
        const raw = this.classify();
        if (this.wsOnly) {
          if (wsFrom < 0 && headerStart >= 0) wsFrom = headerStart;
          if (wsFrom >= 0) this.toWs(chunk.subarray(wsFrom, end));
          else {
            if (carriedHeader) this.toWs(carriedHeader);
            this.toWs(chunk.subarray(pos, end));
          }
          return;
        }
        this.remaining = this.payloadLength;
        if (raw) {
          if (wsFrom >= 0) {
            this.toWs(chunk.subarray(wsFrom, headerStart));
            wsFrom = -1;
          }
          this.frameHeaderLength = headerSize;
          this.pieces = carriedHeader ? [carriedHeader] : [];
          rawFrom = carriedHeader ? pos : headerStart;
          this.reading = Reading.RawPayload;
          if (this.remaining === 0) {
            this.pieces.push(chunk.subarray(rawFrom, pos));
            rawFrom = -1;
            this.completeRaw();
          }
        } else {
          if (carriedHeader) this.toWs(carriedHeader);
          else if (wsFrom < 0) wsFrom = headerStart;
          if (this.remaining > 0) this.reading = Reading.WsPayload;
        }
        continue;
      }
      const take = Math.min(this.remaining, end - pos);
      if (this.reading === Reading.WsPayload) {
        if (wsFrom < 0) wsFrom = pos;
        pos += take;
        this.remaining -= take;
        if (this.remaining === 0) this.reading = Reading.Header;
        continue;
      }
      pos += take;
      this.remaining -= take;
      if (this.remaining === 0) {
        this.pieces.push(chunk.subarray(rawFrom, pos));
        rawFrom = -1;
        this.completeRaw();
      }
    }
    // The raw frame goes on in the next chunk: this chunk's part of it is a piece.
    if (rawFrom >= 0 && rawFrom < end) this.pieces.push(chunk.subarray(rawFrom, end));
    if (wsFrom >= 0) this.toWs(chunk.subarray(wsFrom, end));
  }

  /** Reads the complete header: whether the frame may go raw (else ws reads it; `wsOnly` from here on for a close or anything odd). */
  private classify(): boolean {
    const header = this.header;
    const b0 = header[0] ?? 0;
    const b1 = header[1] ?? 0;
    const fin = (b0 & 0x80) !== 0;
    const rsv = b0 & 0x70;
    const opcode = b0 & 0x0f;
    const masked = (b1 & 0x80) !== 0;
    const short = b1 & 0x7f;
    let offset = 2;
    let length = short;
    if (short === 126) {
      length = header.readUInt16BE(2);
      offset = 4;
    } else if (short === 127) {
      const high = header.readUInt32BE(2);
      // Beyond 2^53 - 1 (ws refuses it with 1009): ws says so.
      if (high > 0x1fffff) {
        this.wsOnly = true;
        return false;
      }
      length = high * 2 ** 32 + header.readUInt32BE(6);
      offset = 10;
    }
    this.payloadLength = length;
    this.masked = masked;
    if (masked) header.copy(this.mask, 0, offset, offset + 4);
    // The close, an extension's bits, a reserved opcode, a mask where there should be none (or none where there should be): ws's to judge, and everything after.
    if (opcode === OPCODE_CLOSE || rsv !== 0 || masked !== this.expectMasked || (opcode > OPCODE_BINARY && opcode < OPCODE_CLOSE) || opcode > OPCODE_PONG) {
      this.wsOnly = true;
      return false;
    }
    if (opcode > OPCODE_CLOSE) return false;
    if (opcode === 0) {
      if (fin) this.fragmentedToWs = false;
      return false;
    }
    if (!fin) {
      this.fragmentedToWs = true;
      return false;
    }
    // A new message inside a fragmented one is ws's protocol error to report.
    if (this.fragmentedToWs || length > this.maxRaw) return false;
    this.binary = opcode === OPCODE_BINARY;
    return true;
  }

  private completeRaw(): void {
    const pieces = this.pieces;
    this.pieces = [];
    this.reading = Reading.Header;
    const payload = this.payloadOf(pieces);
    // Not UTF-8: ws closes with 1007 as it always did.
    if ((!this.binary && !isUtf8(payload)) || !this.sink.canForward()) {
      for (const piece of pieces) this.toWs(piece);
      return;
    }
    this.forwarded += 1;
    this.sink.forward(pieces, this.binary, payload);
  }

  /** The payload after the header: a view of the piece when the frame is one unmasked piece, else copied (and unmasked) into the scratch buffer. */
  private payloadOf(pieces: readonly Buffer[]): Buffer {
    let skip = this.frameHeaderLength;
    const first = pieces[0];
    if (!this.masked && pieces.length === 1 && first) return first.subarray(skip);
    const out = scratchOf(this.payloadLength);
    let at = 0;
    for (const piece of pieces) {
      if (skip >= piece.length) {
        skip -= piece.length;
        continue;
      }
      out.set(skip === 0 ? piece : piece.subarray(skip), at);
      at += piece.length - skip;
      skip = 0;
    }
    if (this.masked) unmaskInPlace(out, this.mask);
    return out;
  }

  private toWs(bytes: Buffer): void {
    if (bytes.length === 0) return;
    // As ws's own listener does: a receiver that wants no more pauses the socket until it drains.
    if (!this.receiver.write(bytes)) this.socket.pause();
  }
}

/**
 * XORs `data` with the 4-byte mask, eight bytes at a time where `data` starts on an 8-byte
 * boundary (the scratch buffer does, and has its word view already: nothing is allocated for
 * it), byte by byte elsewhere. ws's own unmasking is a byte loop without its native addon,
 * which this project does not add; optimised V8 code XORs a BigInt64Array's elements as
 * machine words (measured here: about twice as fast as four bytes at a time with an Int32Array).
 */
export function unmaskInPlace(data: Buffer, mask: Buffer): void {
  let i = 0;
  if (data.byteOffset % 8 === 0 && data.length >= 8) {
    const count = data.length >>> 3;
    const inScratch = data.buffer === scratch.buffer;
    const words = inScratch ? scratchWords : new BigInt64Array(data.buffer, data.byteOffset, count);
    const start = inScratch ? data.byteOffset >>> 3 : 0;
    // The mask read the way the words are (the machine's byte order): byte i of a word meets mask[i % 4].
    for (let b = 0; b < 8; b++) maskBytes[b] = mask[b & 3] ?? 0;
    const word = maskWord[0] ?? 0n;
    const end = start + count;
    for (let w = start; w < end; w++) words[w] = (words[w] ?? 0n) ^ word;
    i = count * 8;
  }
  for (; i < data.length; i++) data[i] = (data[i] ?? 0) ^ (mask[i & 3] ?? 0);
}

/** 2 to 14: the frame header's length, from its second byte. */
function headerLength(b1: number): number {
  const short = b1 & 0x7f;
  return 2 + (short === 126 ? 2 : short === 127 ? 8 : 0) + ((b1 & 0x80) !== 0 ? 4 : 0);
}
