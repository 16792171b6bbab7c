/**
 * The capture's fast path for a session's own connection (issue 11 §4): reads the socket in
 * place of `ws` and stores every whole text or binary frame of a read itself, at once
 * (FrameIntake.incomingRead: one memcpy per read into the store's slab, the ring fields in one
 * loop), so a flood costs no Buffer, no event and no call per message. `ws` does not see
 * those frames at all.
 *
 * Everything else goes to `ws`'s own receiver, byte for byte and in order, as if the capture
 * were not there, and `ws` reports it as it always did (the session's message listener stores
 * what it emits): control frames; fragmented messages (every fragment and the control frames
 * between them); a frame whose header or payload runs on into the next read; frames over
 * STORED_MAX or `ws`'s maxPayload; text that is not UTF-8 (`ws` closes with 1007); and from a
 * close frame, RSV bits, a mask, a reserved opcode or a length beyond 2^53 on, everything
 * (`ws` judges it). `ws` emits synchronously for what it is given (no extension is
 * negotiated where the capture is installed), so what it stores comes in stream order between
 * the reads' frames. When `ws` stops reading (a close frame read, a protocol error) the
 * capture reads nothing more either, as `ws` removes its own listener then.
 *
 * `ws` has no public hook for this: the capture replaces its socket's `data` listener and
 * writes to its receiver, as the intercept relay's raw-frame-tap.ts does. Both are checked
 * when it is installed; a `ws` that does not look as expected gets no capture, and the session
 * records through ws's message events as before.
 */
import { isUtf8 } from 'node:buffer';
import type { Duplex } from 'node:stream';
import type WebSocket from 'ws';
import type { ReadFrames } from './frame-store';
import { wsParts, type WsReceiver } from './ws-internals';

/** Frames larger than this go through `ws` (one read rarely holds more; the store gives them a slab of their own anyway). */
export const STORED_MAX = 64 * 1024;
/** Frames noted per read before they are handed to the store (a read of 64 KiB holds at most 32,768 empty frames). */
const COLUMN_SLOTS = 4096;
const OPCODE_TEXT = 1;
const OPCODE_BINARY = 2;
const OPCODE_CLOSE = 8;
const OPCODE_PONG = 10;
/** The high bit of every byte of a 32-bit word: ASCII when none is set. */
const HIGH_BITS = 0x80808080 | 0;

/** Where the capture puts what it finds (the session's FrameIntake). */
export interface ReadFrameSink {
  incomingRead(read: Buffer, frames: ReadFrames): void;
}

/** Whether the capture stores frames, hands every byte to ws, or reads nothing more (ws stopped reading). */
const Mode = { Capture: 0, Ws: 1, Done: 2 } as const;
type Mode = (typeof Mode)[keyof typeof Mode];

/** The columns one read's frames are noted in, shared (this thread fills one read's at a time and the store copies them at once). */
const columns: ReadFrames = { start: new Uint32Array(COLUMN_SLOTS), size: new Uint32Array(COLUMN_SLOTS), binary: new Uint8Array(COLUMN_SLOTS), count: 0 };

export class SocketCapture {
  private mode: Mode = Mode.Capture;
  /** A frame header begun at the end of the last read (not yet handed anywhere). */
  private readonly held = Buffer.alloc(14);
  private heldLength = 0;
  /** Bytes of the current frame still owed to ws (its start went to ws in an earlier read). */
  private wsOwes = 0;
  /** ws is inside a fragmented message: its continuations (and a new message, ws's error to report) go there. */
  private fragmented = false;
  private readonly maxStored: number;
  private readonly checkUtf8: boolean;
  /** The current read as 32-bit words (made when its first text payload is checked) and where its byte 0 lies in them. */
  private words: Int32Array | undefined;
  private wordsOf: Buffer | undefined;
  private wordShift = 0;
  /** Frames stored by the capture (tests and the docs' claim: the fast path is taken). */
  stored = 0;

  private constructor(
    private readonly socket: Duplex,
    private readonly receiver: WsReceiver,
    private readonly sink: ReadFrameSink,
    /** Whether the session still records this connection (it stops when the session ends). */
    private readonly recording: () => boolean,
  ) {
    this.maxStored = receiver._maxPayload > 0 ? Math.min(STORED_MAX, receiver._maxPayload) : STORED_MAX;
    this.checkUtf8 = !receiver._skipUTF8Validation;
  }

  /**
   * Takes over the reading of a client `ws`'s socket, right at its open (before any frame was
   * read). Undefined, and nothing changed, when ws does not look as expected, is a server's,
   * negotiated an extension or its receiver is inside a frame. An exception while a read is
   * taken apart or stored (an engine bug) goes to `onBug`, and the capture reads no more.
   */
  static install(ws: WebSocket, sink: ReadFrameSink, recording: () => boolean, onBug: (error: unknown) => void): SocketCapture | undefined {
    if (ws.extensions !== '') return undefined;
    const parts = wsParts(ws, { clientOnly: true });
    if (!parts) return undefined;
    const { socket, receiver, listener } = parts;
    const capture = new SocketCapture(socket, receiver, sink, recording);
    socket.removeListener('data', listener);
    socket.on('data', (chunk: Buffer) => {
      try {
        capture.write(chunk);
      } catch (error) {
        // A bug here (or in a listener of ws's events) must not take the process down: the capture reads no more and the session fails.
        capture.mode = Mode.Done;
        onBug(error);
      }
    });
    // ws reads what a paused socket still holds when it closes: those bytes come through the capture first.
    socket.prependListener('close', () => {
      const left = socket.readableLength;
      if (left > 0) {
        const chunk = socket.read(left) as Buffer | null;
        if (chunk) capture.write(chunk);
      }
    });
    return capture;
  }

  /** Bytes read from the socket, in order. */
  write(chunk: Buffer): void {
    if (this.mode !== Mode.Capture) {
      if (this.mode === Mode.Ws) this.toWs(chunk);
      return;
    }
    let pos = 0;
    if (this.wsOwes > 0) {
      pos = Math.min(this.wsOwes, chunk.length);
      this.wsOwes -= pos;
      this.toWs(pos === chunk.length ? chunk : chunk.subarray(0, pos));
    } else if (this.heldLength > 0) {
      pos = this.continueHeld(chunk);
    }
    if (pos < chunk.length && this.mode === Mode.Capture && this.wsOwes === 0) this.walk(chunk, pos);
  }

  /**
   * The frames of a read from `pos` (a frame boundary): whole text and binary frames are noted
   * and stored together; any other frame goes to ws, after the ones before it were stored.
   */
  private walk(chunk: Buffer, pos: number): void {
    const end = chunk.length;
    const recording = this.recording();
    const maxStored = this.maxStored;
    const frames = columns;
    frames.count = 0;
    while (end - pos >= 2) {
      const b0 = chunk[pos] ?? 0;
      const b1 = chunk[pos + 1] ?? 0;
      let length = b1 & 0x7f;
      let header = 2;
      if (length === 126) {
        if (end - pos < 4) break;
        length = ((chunk[pos + 2] ?? 0) << 8) | (chunk[pos + 3] ?? 0);
        header = 4;
      } else if (length === 127) {
        if (end - pos < 10) break;
        const high = chunk.readUInt32BE(pos + 2);
        // Beyond 2^53 - 1 (ws refuses it with 1009): ws's to judge, from here on.
        length = high > 0x1fffff ? -1 : high * 2 ** 32 + chunk.readUInt32BE(pos + 6);
        header = 10;
      }
      const opcode = b0 & 0x0f;
      const payloadStart = pos + header;
      const frameEnd = payloadStart + length;
      if (
        (b0 & 0xf0) === 0x80 && // FIN, no RSV bits
        (b1 & 0x80) === 0 && // unmasked, as a server's frames are
        (opcode === OPCODE_TEXT || opcode === OPCODE_BINARY) &&
        length >= 0 &&
        length <= maxStored &&
        frameEnd <= end &&
        recording &&
        !this.fragmented &&
        (opcode === OPCODE_BINARY || !this.checkUtf8 || this.isUtf8Text(chunk, payloadStart, frameEnd))
      ) {
        if (frames.count === COLUMN_SLOTS) this.store(chunk);
        const index = frames.count++;
        frames.start[index] = payloadStart;
        frames.size[index] = length;
        frames.binary[index] = opcode === OPCODE_BINARY ? 1 : 0;
        pos = frameEnd;
        continue;
      }
      // A frame for ws: the frames before it are stored first.
      this.store(chunk);
      if (this.takesAll(b0, b1, length)) {
        this.mode = Mode.Ws;
        this.toWs(chunk.subarray(pos));
        return;
      }
      this.noteFragments(b0);
      if (frameEnd > end) {
        this.wsOwes = frameEnd - end;
        this.toWs(chunk.subarray(pos));
        return;
      }
      this.toWs(chunk.subarray(pos, frameEnd));
      if (this.mode !== Mode.Capture) return;
      pos = frameEnd;
    }
    this.store(chunk);
    if (pos < end) {
      // A header that goes on in the next read: kept until it is whole.
      chunk.copy(this.held, 0, pos, end);
      this.heldLength = end - pos;
    }
  }

  /** Hands the frames noted so far to the store. */
  private store(chunk: Buffer): void {
    const count = columns.count;
    if (count === 0) return;
    this.stored += count;
    this.sink.incomingRead(chunk, columns);
    columns.count = 0;
  }

  /**
   * A read that goes on with a header begun in the last one: that frame goes to ws (it
   * straddles two reads), once its header is whole. Returns where the next frame starts in
   * `chunk` (its length when the frame or its header goes on further).
   */
  private continueHeld(chunk: Buffer): number {
    let pos = 0;
    const held = this.held;
    while (this.heldLength < 2 && pos < chunk.length) held[this.heldLength++] = chunk[pos++] ?? 0;
    if (this.heldLength < 2) return pos;
    const b0 = held[0] ?? 0;
    const b1 = held[1] ?? 0;
    const short = b1 & 0x7f;
    const need = short === 126 ? 4 : short === 127 ? 10 : 2;
    while (this.heldLength < need && pos < chunk.length) held[this.heldLength++] = chunk[pos++] ?? 0;
    if (this.heldLength < need) return pos;
    let length = short;
    if (short === 126) length = held.readUInt16BE(2);
    else if (short === 127) {
      const high = held.readUInt32BE(2);
      length = high > 0x1fffff ? -1 : high * 2 ** 32 + held.readUInt32BE(6);
    }
    const header = Buffer.from(held.subarray(0, this.heldLength));
    this.heldLength = 0;
    if (this.takesAll(b0, b1, length)) {
      this.mode = Mode.Ws;
      this.toWs(header);
      this.toWs(chunk.subarray(pos));
      return chunk.length;
    }
    this.noteFragments(b0);
    this.toWs(header);
    if (this.mode !== Mode.Capture) return chunk.length;
    const take = Math.min(length, chunk.length - pos);
    this.wsOwes = length - take;
    this.toWs(chunk.subarray(pos, pos + take));
    return pos + take;
  }

  /** A frame after which ws reads everything: a close, RSV bits (no extension here), a mask, a reserved opcode, a length past 2^53. */
  private takesAll(b0: number, b1: number, length: number): boolean {
    const opcode = b0 & 0x0f;
    return opcode === OPCODE_CLOSE || (b0 & 0x70) !== 0 || (b1 & 0x80) !== 0 || (opcode > OPCODE_BINARY && opcode < OPCODE_CLOSE) || opcode > OPCODE_PONG || length < 0;
  }

  /** Follows ws's fragmented message: a first fragment opens it, the final continuation closes it. */
  private noteFragments(b0: number): void {
    const opcode = b0 & 0x0f;
    const fin = (b0 & 0x80) !== 0;
    if (opcode === 0 && fin) this.fragmented = false;
    else if ((opcode === OPCODE_TEXT || opcode === OPCODE_BINARY) && !fin) this.fragmented = true;
  }

  /** Whether a text payload is UTF-8, as ws would find: ASCII checked four bytes at a time, anything else by Node's isUtf8. */
  private isUtf8Text(chunk: Buffer, start: number, end: number): boolean {
    if (this.wordsOf !== chunk) this.viewWords(chunk);
    const words = this.words;
    const shift = this.wordShift;
    let i = start;
    while (i < end && ((i + shift) & 3) !== 0) if ((chunk[i++] ?? 0) >= 0x80) return isUtf8(chunk.subarray(start, end));
    const wordEnd = (end + shift) >> 2;
    let seen = 0;
    if (words) for (let w = (i + shift) >> 2; w < wordEnd; w++) seen |= words[w] ?? 0;
    if ((seen & HIGH_BITS) !== 0) return isUtf8(chunk.subarray(start, end));
    for (i = Math.max(i, wordEnd * 4 - shift); i < end; i++) if ((chunk[i] ?? 0) >= 0x80) return isUtf8(chunk.subarray(start, end));
    return true;
  }

  /** The read's bytes as 32-bit words from the word boundary at or before its start (within its ArrayBuffer). */
  private viewWords(chunk: Buffer): void {
    const shift = chunk.byteOffset & 3;
    const base = chunk.byteOffset - shift;
    this.words = new Int32Array(chunk.buffer, base, (chunk.length + shift) >> 2);
    this.wordShift = shift;
    this.wordsOf = chunk;
  }

  private toWs(bytes: Buffer): void {
    if (bytes.length === 0) return;
    // As ws's own listener does: a receiver that wants no more pauses the socket until it drains.
    if (!this.receiver.write(bytes)) this.socket.pause();
    // A close frame read or a protocol error: ws stops reading the socket, and so does the capture.
    if (this.receiver.writableEnded || this.receiver.errored !== null) this.mode = Mode.Done;
  }
}
