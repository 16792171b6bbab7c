/**
 * A session's frames: gap-free `seq` from 1, bounded by a frame count and a payload byte
 * budget, evicting the oldest first and counting what it evicted.
 *
 * Built for a million frames: no object per frame. The per-frame fields live in parallel
 * typed arrays used as a ring, and payloads are copied into shared slabs (one Buffer per
 * megabyte, not per frame). Copying also stops a frame from pinning the larger socket chunk
 * `ws` may have sliced it from. Summaries and previews are rebuilt on demand.
 */
import { isAscii } from 'node:buffer';
import { HISTORY_DEFAULTS, type FrameBody, type FrameSummary, type Opcode } from '../../shared/model';
import type { FrameMark } from '../../shared/intercept-control';
import { SLAB_BYTES, slabPool } from './slab-pool';

export type FrameDirection = 'in' | 'out';

export interface FrameStoreOptions {
  /** Most frames kept (default 1,000,000). */
  maxFrames?: number;
  /** Most payload bytes kept (default 512 MiB). */
  maxBytes?: number;
}

export interface CloseExtra {
  closeCode?: number;
  closeReason?: string;
}

export interface FramePage {
  frames: FrameSummary[];
  /** Oldest and newest seq still stored (0 when empty). */
  firstSeq: number;
  lastSeq: number;
  dropped: number;
}

/** A stored frame as exports read it; `payload` is a view into the store (copy it to keep it). */
/** What masks the credentials in a list of summaries' previews (in place). */
export interface PreviewMasking {
  maskPreviews(frames: FrameSummary[]): void;
}

export interface StoredFrame {
  seq: number;
  dir: FrameDirection;
  opcode: Opcode;
  at: number;
  payload: Buffer;
  closeCode?: number;
  /** An intercepted frame that was edited, dropped or injected. */
  mark?: FrameMark;
  /** An edited frame's payload before the edit. */
  original?: Buffer;
}

/** The intercept mark of a frame, and an edited frame's original payload (kept beside the ring: marks are rare). */
interface MarkEntry {
  mark: FrameMark;
  original: Buffer | undefined;
}

export const DEFAULT_MAX_FRAMES = HISTORY_DEFAULTS.maxFrames;
export const DEFAULT_MAX_BYTES = HISTORY_DEFAULTS.maxBytes;
/** Text previews keep this many UTF-16 units. */
export const TEXT_PREVIEW_CHARS = 200;
/** Binary, ping and pong previews show this many bytes as hex. */
export const HEX_PREVIEW_BYTES = 64;

/**
 * The store's internals for a synchronous scan (search, export): valid until the next append,
 * so a scan takes a fresh view for every chunk it runs without yielding.
 */
export interface FrameScanView {
  firstSeq: number;
  lastSeq: number;
  /** Ring slot of `firstSeq`; the slot of seq s is (head + s - firstSeq) % capacity. */
  head: number;
  capacity: number;
  /** Per slot: opcode index (OPCODE_LIST) | OUT_BIT. */
  meta: Uint8Array;
  at: Float64Array;
  size: Uint32Array;
  slabOf: Uint32Array;
  offsetOf: Uint32Array;
  /** The payload slab with this id (undefined for a frame of size 0). */
  slab(slabId: number): Buffer | undefined;
  /** Bytes written so far into a slab (its frames lie below this offset). */
  slabUsed(slabId: number): number;
}

/**
 * Where the store's tally of incoming frames goes: the session's statistics
 * (session-stats.ts). The store counts each incoming frame as it writes its ring slot (the
 * time and size are at hand there), per second, and hands over one second's count at a time.
 */
export interface IncomingCounter {
  /** `messages` incoming frames of `bytes` payload bytes in all, in the second that holds `at`. */
  countIncoming(at: number, messages: number, bytes: number): void;
}

/**
 * The summaries of frames `fromSeq`..`toSeq`, built when read: a batch that no consumer reads
 * costs no summary objects. `read` summarises what the store holds of the range then (anew
 * each call: the reader keeps what it got), so frames evicted before it are left out, as
 * frames evicted before a batch goes out are, and counted in the store's `dropped`. A
 * consumer that keeps a batch to read later (a queue) reads it first.
 */
export interface DeferredSummaries {
  readonly fromSeq: number;
  readonly toSeq: number;
  read(): FrameSummary[];
}

/**
 * Whole incoming frames of one socket read, as socket-capture.ts finds them: frame i's payload
 * is `read[start[i], start[i] + size[i])`, text or binary (`binary[i]` 1), in order and not
 * overlapping; `count` of the columns' entries are in use. Filled and read again for every
 * read (no object per frame).
 */
export interface ReadFrames {
  start: Uint32Array;
  size: Uint32Array;
  binary: Uint8Array;
  count: number;
}

/** Payloads larger than this get a slab of their own, so small frames do not waste slabs. */
const OWN_SLAB_THRESHOLD = SLAB_BYTES / 4;
const INITIAL_CAPACITY = 1024;
/** The largest payload the ring's Uint32 size column holds; a larger frame is counted as evicted (the byte budget is at most 4 GiB anyway). */
const MAX_STORED_FRAME_BYTES = 0xffff_ffff;
/** A sealed store keeps its ring as is when it has fewer spare slots than this (23 bytes each). */
const RING_FIT_SLACK = 1024;
export const OPCODE_LIST: readonly Opcode[] = ['text', 'binary', 'ping', 'pong', 'close'];
export const OUT_BIT = 0x80;
const TEXT_INDEX = 0;
const BINARY_INDEX = 1;
const CLOSE_INDEX = 4;

/** The opcode's index in OPCODE_LIST: a switch on the (interned) names, cheaper per frame than a keyed lookup. */
function opcodeIndex(opcode: Opcode): number {
  switch (opcode) {
    case 'text':
      return 0;
    case 'binary':
      return 1;
    case 'ping':
      return 2;
    case 'pong':
      return 3;
    case 'close':
      return 4;
  }
}
/** Bytes decoded at once for a batch's text previews. */
const PREVIEW_WINDOW_BYTES = 64 * 1024;
const NON_ASCII_TEXT = /[\x80-\xff]/;
const NO_CLOSE_CODE = 0;

export class FrameStore {
  readonly maxFrames: number;
  readonly maxBytes: number;

  // Ring of per-frame fields; slot of seq s is (head + s - firstStoredSeq) % capacity.
  private capacity = 0;
  private head = 0;
  private stored = 0;
  private meta = new Uint8Array(0); // opcode index | OUT_BIT
  private at = new Float64Array(0);
  /** Payload length: a Uint32 (4 bytes a frame, not 8), so no stored frame is 4 GiB or more (see MAX_STORED_FRAME_BYTES). */
  private size = new Uint32Array(0);
  private slabOf = new Uint32Array(0);
  private offsetOf = new Uint32Array(0);
  private closeCodeOf = new Uint16Array(0);

  // Payload slabs: ids grow monotonically in append order, so eviction frees them in order.
  private slabs: Buffer[] = [];
  private slabUsedBytes: number[] = [];
  private firstSlabId = 0;
  private writeSlabId = -1;
  private writeOffset = 0;
  private writeSlabOpen = false;
  /** The slab small payloads are copied into now. */
  private writeSlab: Buffer | undefined;
  /** Where the last copyPayload put its bytes. */
  private copiedSlabId = 0;
  private copiedOffset = 0;

  private nextSeq = 1;
  private payloadBytes = 0;
  /** Intercept marks by seq (an edited, dropped or injected frame); empty for every other session. */
  private readonly marks = new Map<number, MarkEntry>();
  private evicted = 0;
  /** The incoming frames of the current second [tallyStart, tallyEnd), not yet handed to `counter`. */
  private counter: IncomingCounter | undefined;
  private tallyStart = 0;
  private tallyEnd = 0;
  private tallyMessages = 0;
  private tallyBytes = 0;
  /**
   * The open run (see pushIncoming): incoming frames from `runFrom` to the newest, all in the
   * write slab and all of time `runAt`, whose time and slab id are not yet in the ring and
   * which the tally has not counted yet. `endRun` writes them; every reader calls it first.
   */
  private runOpen = false;
  /** lastAssignedSeq when `seal` was called (-1: never): `sealed` while nothing came since. */
  private sealedAt = -1;
  private runFrom = 0;
  private runAt = 0;
  /** payloadBytes when the run opened: the run's bytes are what it has grown by since (nothing evicts during a run). */
  private runBytesFrom = 0;

  constructor(options: FrameStoreOptions = {}) {
    this.maxFrames = positiveInt(options.maxFrames, DEFAULT_MAX_FRAMES);
    this.maxBytes = positiveInt(options.maxBytes, DEFAULT_MAX_BYTES);
  }

  /** Oldest seq still stored, 0 when empty. */
  get firstSeq(): number {
    return this.stored === 0 ? 0 : this.nextSeq - this.stored;
  }

  /** Newest seq still stored, 0 when empty. */
  get lastSeq(): number {
    return this.stored === 0 ? 0 : this.nextSeq - 1;
  }

  /** The seq of the newest frame ever appended (stored or not), 0 before the first. */
  get lastAssignedSeq(): number {
    return this.nextSeq - 1;
  }

  get dropped(): number {
    return this.evicted;
  }

  get count(): number {
    return this.stored;
  }

  /** Payload bytes stored. */
  get bytes(): number {
    return this.payloadBytes;
  }

  /**
   * Records a frame and returns its seq; it builds no summary (they are built later, and only
   * for frames actually sent to a consumer). For close frames `payload` is the close frame's
   * body as on the wire (2-byte code + reason, or empty); with an empty payload, `extra` gives
   * code and reason (1005/1006 are never on the wire but are worth showing). `at` defaults to
   * now (an import passes the frame's own time).
   */
  push(dir: FrameDirection, opcode: Opcode, payload: Buffer, extra?: CloseExtra, at: number = Date.now()): number {
    const out = dir === 'out' ? OUT_BIT : 0;
    if (opcode !== 'close') return this.store(opcodeIndex(opcode) | out, payload, at);
    if (payload.length === 0 && extra) payload = encodeClosePayload(extra.closeCode, extra.closeReason);
    const seq = this.store(CLOSE_INDEX | out, payload, at);
    // Only close frames write the close-code column: it is read only for them (entry, summaries).
    if (this.holds(seq)) this.closeCodeOf[this.slotOf(seq)] = closeCodeFrom(payload, extra);
    return seq;
  }

  /**
   * Marks a stored frame as edited, dropped or injected by the intercepting proxy (an edit keeps
   * its original payload, copied). Call it right after `push`, before the seq is noted for a
   * batch, so that every summary of the frame carries the mark.
   */
  mark(seq: number, mark: FrameMark, original?: Buffer): void {
    if (!this.holds(seq)) return;
    this.marks.set(seq, { mark, original: original === undefined ? undefined : Buffer.from(original) });
  }

  /**
   * An incoming text or binary message: `push` without the direction and opcode to look at
   * (the capture's hot path, a call per message of a flood). Returns its seq.
   *
   * The frames of one burst (one socket read: the intake gives them one time) form a run: the
   * first is stored by `store`, and each next one that fits the open slab and the bounds writes
   * only what differs per frame (its payload copy, offset, size and opcode). What the run's
   * frames share, their time and slab id in the ring and their count in the statistics' tally,
   * is written once for the run by `endRun`: at the next frame of another kind, time or slab,
   * at the intake's end of the burst, or before anything reads the store.
   */
  pushIncoming(binary: boolean, payload: Buffer, at: number): number {
    const length = payload.length;
    const slab = this.writeSlab;
    const stored = this.stored;
    if (
      this.runOpen &&
      at === this.runAt &&
      length > 0 &&
      length <= OWN_SLAB_THRESHOLD &&
      this.writeOffset + length <= SLAB_BYTES &&
      stored < this.capacity &&
      stored < this.maxFrames &&
      this.payloadBytes + length <= this.maxBytes &&
      slab !== undefined
    ) {
      const seq = this.nextSeq;
      // head < capacity and stored < capacity, so one subtraction wraps (no division per frame).
      let slot = this.head + stored;
      if (slot >= this.capacity) slot -= this.capacity;
      // Uint8Array#set: Buffer#copy makes a view object per call.
      slab.set(payload, this.writeOffset);
      this.offsetOf[slot] = this.writeOffset;
      this.writeOffset += length;
      this.meta[slot] = binary ? BINARY_INDEX : TEXT_INDEX;
      this.size[slot] = length;
      this.stored = stored + 1;
      this.payloadBytes += length;
      this.nextSeq = seq + 1;
      return seq;
    }
    return this.pushIncomingAndOpenRun(binary, payload, at);
  }

  /** pushIncoming's other frames (kept out of it so that the fast path stays small enough to be inlined). */
  private pushIncomingAndOpenRun(binary: boolean, payload: Buffer, at: number): number {
    const seq = this.store(binary ? BINARY_INDEX : TEXT_INDEX, payload, at);
    const length = payload.length;
    // A frame copied into the open shared slab opens a run for the frames of its burst after it.
    if (length > 0 && length <= OWN_SLAB_THRESHOLD && this.writeSlabOpen && this.stored > 0) {
      this.runOpen = true;
      this.runFrom = seq + 1;
      this.runAt = at;
      this.runBytesFrom = this.payloadBytes;
    }
    return seq;
  }

  /**
   * Whole incoming text and binary frames found in one socket read (socket-capture.ts), in
   * order: the capture's path for a flood, with no call and no Buffer per frame. As many of
   * them as fit the open slab (and the bounds, after evicting the oldest as `push` would) are
   * copied with one memcpy from the first payload to the last, and their ring fields written
   * in one loop; the frame headers between the payloads come along and are zeroed (no reader
   * looks between frames, and a slab of ASCII text stays ASCII for the previews and search).
   * A frame that does not fit (a full slab, none open, one over OWN_SLAB_THRESHOLD) goes
   * through `store` alone, which opens the next slab, and the copying goes on after it.
   */
  pushIncomingRead(read: Buffer, frames: ReadFrames, at: number): void {
    if (this.runOpen) this.endRun();
    const count = frames.count;
    let i = 0;
    while (i < count) {
      const copied = this.copyReadFrames(read, frames, i, at);
      if (copied > 0) {
        i += copied;
        continue;
      }
      const start = frames.start[i] ?? 0;
      this.store(frames.binary[i] === 1 ? BINARY_INDEX : TEXT_INDEX, read.subarray(start, start + (frames.size[i] ?? 0)), at);
      i += 1;
    }
  }

  /** pushIncomingRead's memcpy: frames from `first` that fit the open slab; returns how many were stored (0: none fit). */
  private copyReadFrames(read: Buffer, frames: ReadFrames, first: number, at: number): number {
    const slab = this.writeSlab;
    if (!this.writeSlabOpen || slab === undefined) return 0;
    const { start: starts, size: sizes, binary } = frames;
    const from = starts[first] ?? 0;
    const room = SLAB_BYTES - this.writeOffset;
    const most = Math.min(frames.count - first, this.maxFrames);
    let n = 0;
    let bytes = 0;
    while (n < most) {
      const size = sizes[first + n] ?? 0;
      if (size > OWN_SLAB_THRESHOLD || (starts[first + n] ?? 0) + size - from > room || bytes + size > this.maxBytes) break;
      bytes += size;
      n += 1;
    }
    if (n === 0) return 0;
    // The oldest go first, as push would evict them one frame at a time (the same frames in the end).
    while (this.stored > 0 && (this.stored + n > this.maxFrames || this.payloadBytes + bytes > this.maxBytes)) this.evictOldest();
    if (this.stored + n > this.capacity) this.ensureCapacity(this.stored + n);
    if (this.counter !== undefined) {
      if (!(at >= this.tallyStart && at < this.tallyEnd)) this.startTallySecond(at);
      this.tallyMessages += n;
      this.tallyBytes += bytes;
    }
    const last = first + n - 1;
    const to = (starts[last] ?? 0) + (sizes[last] ?? 0);
    const shift = this.writeOffset - from;
    slab.set(read.subarray(from, to), this.writeOffset);
    const { meta, size: sizeOf, offsetOf, capacity } = this;
    const firstSlot = this.slotAfterNewest();
    let slot = firstSlot;
    let gapFrom = from;
    for (let k = first; k <= last; k++) {
      const start = starts[k] ?? 0;
      for (let g = gapFrom + shift, end = start + shift; g < end; g++) slab[g] = 0;
      const size = sizes[k] ?? 0;
      offsetOf[slot] = start + shift;
      sizeOf[slot] = size;
      meta[slot] = binary[k] === 1 ? BINARY_INDEX : TEXT_INDEX;
      gapFrom = start + size;
      slot = slot + 1 === capacity ? 0 : slot + 1;
    }
    this.fillShared(firstSlot, n, at, this.writeSlabId);
    this.writeOffset = to + shift;
    this.stored += n;
    this.payloadBytes += bytes;
    this.nextSeq += n;
    return n;
  }

  /** The ring slot the next frame goes into (the ring has room for it). */
  private slotAfterNewest(): number {
    const slot = this.head + this.stored;
    return slot >= this.capacity ? slot - this.capacity : slot;
  }

  /** Writes the time and slab id of `count` frames from ring slot `start` (two fills, wrapping at most once). */
  private fillShared(start: number, count: number, at: number, slabId: number): void {
    const firstRun = Math.min(count, this.capacity - start);
    this.at.fill(at, start, start + firstRun);
    this.slabOf.fill(slabId, start, start + firstRun);
    if (count > firstRun) {
      this.at.fill(at, 0, count - firstRun);
      this.slabOf.fill(slabId, 0, count - firstRun);
    }
  }

  /**
   * Writes the open run's shared fields: each frame's time and slab id into the ring (two
   * fills), and the run's frames into the statistics' tally. Cheap when no run is open.
   */
  endRun(): void {
    if (!this.runOpen) return;
    this.runOpen = false;
    const from = this.runFrom;
    const count = this.nextSeq - from;
    if (count <= 0) return;
    const at = this.runAt;
    if (this.counter !== undefined) {
      if (!(at >= this.tallyStart && at < this.tallyEnd)) this.startTallySecond(at);
      this.tallyMessages += count;
      this.tallyBytes += this.payloadBytes - this.runBytesFrom;
    }
    // The run's slots: `count` from the slot of `from`.
    this.fillShared(this.slotOf(from), count, at, this.writeSlabId);
  }

  /**
   * The hot path: a frame's ring fields and its payload copy, with no object made and no
   * division. Eviction, ring growth and a fresh slab are the exceptions, each behind one test.
   */
  private store(meta: number, payload: Buffer, now: number): number {
    // Any frame but the run's next ends it (before eviction or growth moves what it covers).
    if (this.runOpen) this.endRun();
    const seq = this.nextSeq;
    const length = payload.length;
    if ((meta & OUT_BIT) === 0 && this.counter !== undefined) {
      if (!(now >= this.tallyStart && now < this.tallyEnd)) this.startTallySecond(now);
      this.tallyMessages += 1;
      this.tallyBytes += length;
    }
    if (length > this.maxBytes || length > MAX_STORED_FRAME_BYTES) {
      // Larger than the whole budget (or than the ring's size column holds): everything older goes, and so does this frame.
      while (this.stored > 0) this.evictOldest();
      this.nextSeq = seq + 1;
      this.evicted += 1;
      return seq;
    }
    while (this.stored > 0 && (this.stored + 1 > this.maxFrames || this.payloadBytes + length > this.maxBytes)) this.evictOldest();
    if (this.stored + 1 > this.capacity) this.ensureCapacity(this.stored + 1);
    // head < capacity and stored < capacity, so one subtraction wraps (no division per frame).
    let slot = this.head + this.stored;
    if (slot >= this.capacity) slot -= this.capacity;
    const slab = this.writeSlab;
    if (length > 0 && length <= OWN_SLAB_THRESHOLD && this.writeSlabOpen && slab !== undefined && this.writeOffset + length <= SLAB_BYTES) {
      // The usual small frame: into the open slab. Uint8Array#set: Buffer#copy makes a view object per call.
      slab.set(payload, this.writeOffset);
      this.slabOf[slot] = this.writeSlabId;
      this.offsetOf[slot] = this.writeOffset;
      this.writeOffset += length;
    } else {
      this.copyPayload(payload);
      this.slabOf[slot] = this.copiedSlabId;
      this.offsetOf[slot] = this.copiedOffset;
    }
    this.meta[slot] = meta;
    this.at[slot] = now;
    this.size[slot] = length;
    this.stored += 1;
    this.payloadBytes += length;
    this.nextSeq = seq + 1;
    return seq;
  }

  /**
   * Incoming frames from now on are counted for `counter` (the session's statistics): by the
   * store as it writes their slots, so the capture path makes no call per frame for them.
   */
  countWith(counter: IncomingCounter): void {
    if (this.counter === counter) return;
    this.settleCounts();
    this.counter = counter;
  }

  /** Hands the current second's tally to the counter (the statistics ask before each snapshot). */
  settleCounts(): void {
    this.endRun();
    if (this.tallyMessages > 0) this.counter?.countIncoming(this.tallyStart, this.tallyMessages, this.tallyBytes);
    this.tallyMessages = 0;
    this.tallyBytes = 0;
  }

  /** A frame from another second than the tally's: the tally so far goes out, and a new second starts. */
  private startTallySecond(now: number): void {
    this.settleCounts();
    this.tallyStart = Math.floor(now / 1000) * 1000;
    this.tallyEnd = this.tallyStart + 1000;
  }

  /**
   * Masks credentials in previews the app is sent (session/frame-credential-ranges.ts); unset in
   * the CLI, which masks what it prints itself. Called once per list of summaries, not per frame.
   */
  private previewMasking: PreviewMasking | undefined;

  maskPreviewsWith(masking: PreviewMasking): void {
    this.previewMasking = masking;
  }

  /**
   * The stored frames among `fromSeq`..`toSeq` as summaries built on first read (undefined
   * when none of them is stored): what a batch carries, so that capture makes no summary
   * object for a batch until a consumer reads it. See DeferredSummaries.
   */
  deferredSummaries(fromSeq: number, toSeq: number): DeferredSummaries | undefined {
    if (this.stored === 0) return undefined;
    const start = Math.max(Math.floor(fromSeq), this.firstSeq);
    const end = Math.min(Math.floor(toSeq), this.lastSeq);
    if (start > end) return undefined;
    return new DeferredRange(this, start, end);
  }

  /**
   * Summaries of the stored frames among `fromSeq`..`toSeq` (evicted ones are left out): what a
   * batch carries, so built for every frame a consumer is sent. Text previews are cut from one
   * Latin-1 decode of the slab bytes the batch covers (the usual ASCII frame reads as itself),
   * instead of a decode per frame; other frames are decoded on their own.
   */
  summaries(fromSeq: number, toSeq: number): FrameSummary[] {
    this.endRun();
    if (this.stored === 0) return [];
    const start = Math.max(Math.floor(fromSeq), this.firstSeq);
    const end = Math.min(Math.floor(toSeq), this.lastSeq);
    if (start > end) return [];
    // This runs for every frame a consumer is sent: the array is allocated at its final length
    // (every seq in start..end is stored), the window is kept in locals and the slot advances
    // with the seq (no growing, no object and no division per frame).
    const frames = new Array<FrameSummary>(end - start + 1);
    // The ring's arrays in locals: the loop calls out (substring, the odd summaryAt), and V8
    // reloads a field of `this` after every call.
    const { meta: metaOf, size: sizeOf, slabOf, offsetOf, at: atOf, slabs, firstSlabId, capacity } = this;
    let count = 0;
    let windowSlab: Buffer | undefined;
    let windowStart = 0;
    let windowEnd = 0;
    let windowText = '';
    let windowAscii = false;
    let slot = this.slotOf(start);
    for (let seq = start; seq <= end; seq++, slot = slot + 1 === capacity ? 0 : slot + 1) {
      const meta = metaOf[slot] ?? 0;
      const size = sizeOf[slot] ?? 0;
      const slab = size > 0 ? slabs[(slabOf[slot] ?? 0) - firstSlabId] : undefined;
      const offset = offsetOf[slot] ?? 0;
      if ((meta & ~OUT_BIT) !== TEXT_INDEX || !slab || size > PREVIEW_WINDOW_BYTES) {
        frames[count++] = this.summaryAt(seq);
        continue;
      }
      if (windowSlab !== slab || offset < windowStart || offset + size > windowEnd) {
        windowSlab = slab;
        windowStart = offset;
        // Not past the slab's written bytes: a live batch ends at the write frontier, and what
        // lies beyond it is stale memory (wasted decoding, and it could spoil the ASCII check).
        const used = this.slabUsed(slabOf[slot] ?? 0);
        windowEnd = Math.min(slab.length, Math.max(offset + size, Math.min(used, offset + PREVIEW_WINDOW_BYTES)));
        windowText = slab.toString('latin1', windowStart, windowEnd);
        windowAscii = isAscii(slab.subarray(windowStart, windowEnd));
      }
      const from = offset - windowStart;
      if (!windowAscii && NON_ASCII_TEXT.test(windowText.substring(from, from + size))) {
        frames[count++] = this.summaryAt(seq);
        continue;
      }
      frames[count++] = {
        seq,
        dir: (meta & OUT_BIT) !== 0 ? 'out' : 'in',
        opcode: 'text',
        at: atOf[slot] ?? 0,
        size,
        preview: windowText.substring(from, from + Math.min(size, TEXT_PREVIEW_CHARS)),
        truncated: size > TEXT_PREVIEW_CHARS,
      };
    }
    if (this.marks.size > 0) this.addMarks(frames);
    this.previewMasking?.maskPreviews(frames);
    return frames;
  }

  private addMarks(frames: FrameSummary[]): void {
    for (const frame of frames) {
      const entry = this.marks.get(frame.seq);
      if (entry) frame.intercept = entry.mark;
    }
  }

  /** One stored frame without preview work (exports): its fields and a view of its payload. */
  entry(seq: number): StoredFrame | undefined {
    this.endRun();
    if (!this.holds(seq)) return undefined;
    const slot = this.slotOf(seq);
    const meta = this.meta[slot] ?? 0;
    const closeCode = (meta & ~OUT_BIT) === CLOSE_INDEX ? (this.closeCodeOf[slot] ?? NO_CLOSE_CODE) : NO_CLOSE_CODE;
    return {
      seq,
      dir: (meta & OUT_BIT) !== 0 ? 'out' : 'in',
      opcode: OPCODE_LIST[meta & ~OUT_BIT] ?? 'binary',
      at: this.at[slot] ?? 0,
      payload: this.payloadAt(slot),
      ...(closeCode !== NO_CLOSE_CODE ? { closeCode } : {}),
      ...this.markFields(seq),
    };
  }

  private markFields(seq: number): { mark?: FrameMark; original?: Buffer } {
    const entry = this.marks.size > 0 ? this.marks.get(seq) : undefined;
    if (!entry) return {};
    return entry.original === undefined ? { mark: entry.mark } : { mark: entry.mark, original: entry.original };
  }

  /** One stored frame's summary, or undefined when it is not (or no longer) stored. */
  summary(seq: number): FrameSummary | undefined {
    this.endRun();
    if (!this.holds(seq)) return undefined;
    const frame = this.summaryAt(seq);
    if (this.previewMasking === undefined) return frame;
    const one = [frame];
    this.previewMasking.maskPreviews(one);
    return one[0];
  }

  /** The internals for a synchronous scan; see FrameScanView. */
  scanView(): FrameScanView {
    this.endRun();
    const slabs = this.slabs;
    const used = this.slabUsedBytes;
    const firstSlabId = this.firstSlabId;
    const openSlabId = this.writeSlabOpen ? this.writeSlabId : -1;
    const openSlabUsed = this.writeOffset;
    return {
      firstSeq: this.firstSeq,
      lastSeq: this.lastSeq,
      head: this.head,
      capacity: this.capacity,
      meta: this.meta,
      at: this.at,
      size: this.size,
      slabOf: this.slabOf,
      offsetOf: this.offsetOf,
      slab: (slabId) => slabs[slabId - firstSlabId],
      slabUsed: (slabId) => (slabId === openSlabId ? openSlabUsed : (used[slabId - firstSlabId] ?? 0)),
    };
  }

  /** Summaries from `fromSeq` (or the oldest stored, if that was evicted), at most `limit`. */
  page(fromSeq: number, limit: number): FramePage {
    this.endRun();
    const frames: FrameSummary[] = [];
    const first = this.firstSeq;
    if (this.stored > 0 && limit > 0) {
      const start = Math.max(Math.floor(fromSeq), first);
      const end = Math.min(this.lastSeq, start + Math.floor(limit) - 1);
      for (let seq = start; seq <= end; seq++) frames.push(this.summaryAt(seq));
      this.previewMasking?.maskPreviews(frames);
    }
    return { frames, firstSeq: first, lastSeq: this.lastSeq, dropped: this.evicted };
  }

  /** One frame's full payload, or undefined when it was never stored or has been evicted. */
  get(seq: number): FrameBody | undefined {
    this.endRun();
    if (!this.holds(seq)) return undefined;
    const frame = this.summaryAt(seq);
    const payload = this.payloadAt(this.slotOf(seq));
    const body: FrameBody = { frame, base64: payload.toString('base64') };
    if (frame.opcode === 'text') body.text = payload.toString('utf8');
    const original = this.marks.size > 0 ? this.marks.get(seq)?.original : undefined;
    if (original !== undefined) body.original = { base64: original.toString('base64'), ...(frame.opcode === 'text' ? { text: original.toString('utf8') } : {}) };
    return body;
  }

  /** The payload of a stored frame (a view into the store: copy it if you keep it). */
  payload(seq: number): Buffer | undefined {
    this.endRun();
    return this.holds(seq) ? this.payloadAt(this.slotOf(seq)) : undefined;
  }

  private holds(seq: number): boolean {
    return Number.isInteger(seq) && this.stored > 0 && seq >= this.firstSeq && seq <= this.lastSeq;
  }

  private slotOf(seq: number): number {
    return (this.head + (seq - this.firstSeq)) % this.capacity;
  }

  private summaryAt(seq: number): FrameSummary {
    const slot = this.slotOf(seq);
    const meta = this.meta[slot] ?? 0;
    const opcode = OPCODE_LIST[meta & ~OUT_BIT] ?? 'binary';
    const dir: FrameDirection = (meta & OUT_BIT) !== 0 ? 'out' : 'in';
    const size = this.size[slot] ?? 0;
    const slab = size > 0 ? this.slabs[(this.slabOf[slot] ?? 0) - this.firstSlabId] : undefined;
    const closeCode = opcode === 'close' ? (this.closeCodeOf[slot] ?? NO_CLOSE_CODE) : NO_CLOSE_CODE;
    const summary = summaryFromBytes(seq, dir, opcode, this.at[slot] ?? 0, size, slab, this.offsetOf[slot] ?? 0, closeCode);
    const entry = this.marks.size > 0 ? this.marks.get(seq) : undefined;
    if (entry) summary.intercept = entry.mark;
    return summary;
  }

  /** Bytes written into a slab so far (the open write slab's count lives in writeOffset). */
  private slabUsed(slabId: number): number {
    return this.writeSlabOpen && slabId === this.writeSlabId ? this.writeOffset : (this.slabUsedBytes[slabId - this.firstSlabId] ?? 0);
  }

  private payloadAt(slot: number): Buffer {
    const length = this.size[slot] ?? 0;
    if (length === 0) return Buffer.alloc(0);
    const slab = this.slabs[(this.slabOf[slot] ?? 0) - this.firstSlabId];
    const offset = this.offsetOf[slot] ?? 0;
    return slab ? slab.subarray(offset, offset + length) : Buffer.alloc(0);
  }

  private evictOldest(): void {
    if (this.marks.size > 0) this.marks.delete(this.firstSeq);
    const slot = this.head;
    this.payloadBytes -= this.size[slot] ?? 0;
    this.head = (this.head + 1) % this.capacity;
    this.stored -= 1;
    this.evicted += 1;
    this.releaseSlabs();
  }

  /** Frees slabs that no stored frame points into any more (all older than the oldest frame). */
  private releaseSlabs(): void {
    const keepFrom = this.stored > 0 ? (this.slabOf[this.head] ?? 0) : this.writeSlabOpen ? this.writeSlabId : this.writeSlabId + 1;
    const release = Math.min(keepFrom - this.firstSlabId, this.slabs.length);
    if (release > 0) {
      for (const slab of this.slabs.splice(0, release)) slabPool.give(slab);
      this.slabUsedBytes.splice(0, release);
      this.firstSlabId += release;
    }
  }

  /**
   * Empties the store for good (the session is gone), handing its slabs to the pool for the
   * next session. Nothing may use a payload view of this store afterwards.
   */
  release(): void {
    this.runOpen = false;
    this.marks.clear();
    this.returnRing();
    for (const slab of this.slabs.splice(0)) slabPool.give(slab);
    this.slabUsedBytes = [];
    this.firstSlabId = this.writeSlabId + 1;
    this.writeSlab = undefined;
    this.writeSlabOpen = false;
    this.evicted += this.stored;
    this.stored = 0;
    this.payloadBytes = 0;
  }

  /**
   * The session ended: nothing more is recorded. Gives back what only recording needs while
   * every stored frame stays readable: the open write slab (1 MiB, however little it holds)
   * is cut to the bytes it holds, and a ring far larger than the frames it holds is cut to
   * size. The old slab and ring go to the garbage collector, not to the pools: a search or an
   * export running across the close may still hold a view of them. Appending afterwards still
   * works (it starts a fresh slab).
   */
  seal(): void {
    this.sealedAt = this.lastAssignedSeq;
    this.endRun();
    const slab = this.writeSlab;
    if (this.writeSlabOpen && slab) {
      const index = this.writeSlabId - this.firstSlabId;
      const used = this.writeOffset;
      if (index >= 0 && index < this.slabs.length && used < slab.length) {
        const fitted = Buffer.allocUnsafeSlow(used);
        fitted.set(slab.subarray(0, used));
        this.slabs[index] = fitted;
      }
      this.slabUsedBytes[index] = used;
      this.writeSlabOpen = false;
    }
    this.writeSlab = undefined;
    this.fitRing();
  }

  /**
   * The session ended (`seal`) and nothing was appended since: no frame will follow the last
   * (a decoder's "so far" on the last message of a direction becomes "never came": session-end.ts).
   */
  get sealed(): boolean {
    return this.sealedAt === this.lastAssignedSeq;
  }

  /** Bytes this store holds: its payload slabs and its ring arrays (what `seal` and `release` give back). */
  get heldBytes(): number {
    let bytes = 0;
    for (const slab of this.slabs) bytes += slab.length;
    const ring = [this.meta, this.at, this.size, this.slabOf, this.offsetOf, this.closeCodeOf];
    for (const array of ring) bytes += array.byteLength;
    return bytes;
  }

  /** Cuts the ring to the frames it holds when it has far more slots than that (after `seal`). */
  private fitRing(): void {
    const fitted = Math.max(this.stored, 1);
    if (this.capacity - fitted < RING_FIT_SLACK) return;
    this.meta = unrolled(this.meta, new Uint8Array(fitted), this.head, this.stored);
    this.at = unrolled(this.at, new Float64Array(fitted), this.head, this.stored);
    this.size = unrolled(this.size, new Uint32Array(fitted), this.head, this.stored);
    this.slabOf = unrolled(this.slabOf, new Uint32Array(fitted), this.head, this.stored);
    this.offsetOf = unrolled(this.offsetOf, new Uint32Array(fitted), this.head, this.stored);
    this.closeCodeOf = unrolled(this.closeCodeOf, new Uint16Array(fitted), this.head, this.stored);
    this.capacity = fitted;
    this.head = 0;
  }

  /** Copies the payload into a slab; where it went is left in copiedSlabId/copiedOffset (no tuple per frame). */
  private copyPayload(payload: Buffer): void {
    const length = payload.length;
    if (length === 0) {
      this.copiedSlabId = Math.max(this.writeSlabId, this.firstSlabId);
      this.copiedOffset = 0;
      return;
    }
    if (length > OWN_SLAB_THRESHOLD) {
      const own = Buffer.allocUnsafeSlow(length);
      own.set(payload);
      this.pushSlab(own);
      this.slabUsedBytes[this.writeSlabId - this.firstSlabId] = length;
      this.writeSlabOpen = false; // the next small frame starts a fresh shared slab
      this.copiedSlabId = this.writeSlabId;
      this.copiedOffset = 0;
      return;
    }
    if (!this.writeSlabOpen || this.writeOffset + length > SLAB_BYTES) {
      this.pushSlab(slabPool.take());
      this.writeSlabOpen = true;
      this.writeOffset = 0;
    }
    const offset = this.writeOffset;
    // Uint8Array#set: Buffer#copy makes a view object per call, which shows at a million frames.
    this.writeSlab?.set(payload, offset);
    // The open slab's fill is writeOffset; slabUsedBytes gets it when the slab is closed (pushSlab).
    this.writeOffset += length;
    this.copiedSlabId = this.writeSlabId;
    this.copiedOffset = offset;
  }

  private pushSlab(slab: Buffer): void {
    if (this.writeSlabOpen && this.slabs.length > 0) this.slabUsedBytes[this.writeSlabId - this.firstSlabId] = this.writeOffset;
    this.writeSlab = slab;
    this.writeSlabId += 1;
    if (this.slabs.length === 0) this.firstSlabId = this.writeSlabId;
    this.slabs.push(slab);
    this.slabUsedBytes.push(0);
  }

  /**
   * Grows the ring (doubling, up to maxFrames), unrolling it so the oldest frame is at 0. The
   * ring is copied as (at most) two runs with TypedArray#set, a memcpy each: an element-wise
   * loop here cost a flood several percent (a fresh session regrows from 1,024 up). A spare
   * ring left by a released store is used when it is large enough (see spareRing).
   */
  private ensureCapacity(needed: number): void {
    if (needed <= this.capacity) return;
    const spare = spareRing;
    const reuse = spare !== undefined && spare.capacity >= needed && spare.capacity <= this.maxFrames;
    const next = reuse ? spare.capacity : Math.min(this.maxFrames, Math.max(INITIAL_CAPACITY, this.capacity * 2, needed));
    if (reuse) spareRing = undefined;
    this.meta = unrolled(this.meta, reuse ? spare.meta : new Uint8Array(next), this.head, this.stored);
    this.at = unrolled(this.at, reuse ? spare.at : new Float64Array(next), this.head, this.stored);
    this.size = unrolled(this.size, reuse ? spare.size : new Uint32Array(next), this.head, this.stored);
    this.slabOf = unrolled(this.slabOf, reuse ? spare.slabOf : new Uint32Array(next), this.head, this.stored);
    this.offsetOf = unrolled(this.offsetOf, reuse ? spare.offsetOf : new Uint32Array(next), this.head, this.stored);
    this.closeCodeOf = unrolled(this.closeCodeOf, reuse ? spare.closeCodeOf : new Uint16Array(next), this.head, this.stored);
    this.capacity = next;
    this.head = 0;
  }

  /** Hands the ring arrays to the next store (when they are the largest spare so far) and starts empty. */
  private returnRing(): void {
    if (this.capacity <= SPARE_RING_MAX_SLOTS && this.capacity > (spareRing?.capacity ?? 0)) {
      const { capacity, meta, at, size, slabOf, offsetOf, closeCodeOf } = this;
      spareRing = { capacity, meta, at, size, slabOf, offsetOf, closeCodeOf };
    }
    // A released store that is written again grows a ring of its own, never the spare.
    this.meta = new Uint8Array(0);
    this.at = new Float64Array(0);
    this.size = new Uint32Array(0);
    this.slabOf = new Uint32Array(0);
    this.offsetOf = new Uint32Array(0);
    this.closeCodeOf = new Uint16Array(0);
    this.capacity = 0;
    this.head = 0;
  }
}

/**
 * A store's DeferredSummaries. It keeps no summaries: whatever holds it (a batch waiting to be
 * read) must not keep a flood's summaries alive past the young generation.
 */
class DeferredRange implements DeferredSummaries {
  constructor(
    private readonly store: FrameStore,
    readonly fromSeq: number,
    readonly toSeq: number,
  ) {}

  read(): FrameSummary[] {
    return this.store.summaries(this.fromSeq, this.toSeq);
  }
}

/**
 * The ring arrays of the last released store, for the next store to take instead of growing
 * its own from 1,024 slots (up to 512 Ki slots, 14 MiB, are kept). Growing a ring leaves each
 * outgrown set of arrays as garbage, and that external memory is what sets off full
 * collections while a flood is captured: sessions come and go (reconnects, new tabs), and a
 * flood in a session that reuses a ring makes no ring garbage. Only slots below `stored` are
 * ever read, so what a previous store left in the arrays is never seen.
 */
interface SpareRing {
  capacity: number;
  meta: Uint8Array<ArrayBuffer>;
  at: Float64Array<ArrayBuffer>;
  size: Uint32Array<ArrayBuffer>;
  slabOf: Uint32Array<ArrayBuffer>;
  offsetOf: Uint32Array<ArrayBuffer>;
  closeCodeOf: Uint16Array<ArrayBuffer>;
}
let spareRing: SpareRing | undefined;
const SPARE_RING_MAX_SLOTS = 512 * 1024;

/** Copies `count` ring entries starting at slot `head` of `source` to the start of `target`. */
function unrolled<T extends Float64Array | Uint32Array | Uint16Array | Uint8Array>(source: T, target: T, head: number, count: number): T {
  const firstRun = Math.min(count, source.length - head);
  if (firstRun > 0) target.set(source.subarray(head, head + firstRun), 0);
  if (count > firstRun) target.set(source.subarray(0, count - firstRun), firstRun);
  return target;
}

function positiveInt(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
}

function closeCodeFrom(payload: Buffer, extra: CloseExtra | undefined): number {
  if (payload.length >= 2) return payload.readUInt16BE(0);
  const code = extra?.closeCode;
  return code !== undefined && Number.isInteger(code) && code > 0 && code <= 0xffff ? code : NO_CLOSE_CODE;
}

/** The close frame body as on the wire: 2-byte code and UTF-8 reason; empty for 1005. */
export function encodeClosePayload(code: number | undefined, reason = ''): Buffer {
  if (code === undefined || code === 1005 || code === 1006 || code < 1000 || code > 4999) return Buffer.alloc(0);
  const text = Buffer.from(reason, 'utf8');
  const body = Buffer.allocUnsafe(2 + text.length);
  body.writeUInt16BE(code, 0);
  text.copy(body, 2);
  return body;
}

/**
 * A summary read straight from the bytes at `source[start, start + size)`: the store passes
 * its slab, so no Buffer is made per frame. One object literal per kind, so every summary of
 * a kind has the same shape (this runs for every frame a consumer is sent).
 */
function summaryFromBytes(
  seq: number,
  dir: FrameDirection,
  opcode: Opcode,
  at: number,
  size: number,
  source: Buffer | undefined,
  start: number,
  closeCode: number,
): FrameSummary {
  if (opcode === 'text') {
    // 4 bytes per code point at most, so this many bytes always hold the preview.
    const limit = TEXT_PREVIEW_CHARS * 4;
    const head = source && size > 0 ? source.toString('utf8', start, start + Math.min(size, limit)) : '';
    const fits = head.length <= TEXT_PREVIEW_CHARS;
    return {
      seq,
      dir,
      opcode,
      at,
      size,
      preview: fits ? head : capText(head).text,
      truncated: !fits || size > limit,
    };
  }
  if (opcode === 'close') {
    const reason = source && size > 2 ? source.toString('utf8', start + 2, start + size) : '';
    const preview = capText(reason);
    const summary: FrameSummary = { seq, dir, opcode, at, size, preview: preview.text, truncated: preview.truncated, closeReason: reason };
    if (closeCode !== NO_CLOSE_CODE) summary.closeCode = closeCode;
    return summary;
  }
  const shown = Math.min(size, HEX_PREVIEW_BYTES);
  return {
    seq,
    dir,
    opcode,
    at,
    size,
    preview: source && shown > 0 ? spacedHex(source.toString('hex', start, start + shown)) : '',
    truncated: size > HEX_PREVIEW_BYTES,
  };
}

/** The first TEXT_PREVIEW_CHARS of a UTF-8 payload, decoding only the bytes that can matter. */
export function textPreview(payload: Buffer): { preview: string; truncated: boolean } {
  // 4 bytes per code point at most, so this many bytes always hold the preview.
  const limit = TEXT_PREVIEW_CHARS * 4;
  const head = payload.length > limit ? payload.toString('utf8', 0, limit) : payload.toString('utf8');
  const capped = capText(head);
  return { preview: capped.text, truncated: capped.truncated || payload.length > limit };
}

function capText(text: string): { text: string; truncated: boolean } {
  if (text.length <= TEXT_PREVIEW_CHARS) return { text, truncated: false };
  let cut = TEXT_PREVIEW_CHARS;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1; // do not split a surrogate pair
  return { text: text.slice(0, cut), truncated: true };
}

/** `68 65 6c 6c 6f`: space-separated so it reads like a hex dump. */
function spacedHex(hex: string): string {
  let out = '';
  for (let i = 0; i < hex.length; i += 2) out += (i === 0 ? '' : ' ') + hex.slice(i, i + 2);
  return out;
}
