/**
 * Runs a compiled filter over a FrameStore, synchronously, for a bounded time per call.
 *
 * Built for a million frames well under 300 ms: it reads the store's typed arrays and payload
 * slabs directly (no summary, no Buffer per frame), cheap criteria first (type, direction,
 * size from the per-frame arrays), then the payload, looking at each 1 MiB slab once:
 * - case-sensitive text needs no decoding: the needle's UTF-8 bytes are searched in the slab
 *   (Buffer#indexOf) and a frame matches when a hit lies wholly inside it (binary search in
 *   the slab's hit list, so it works in both directions);
 * - everything else reads the slab as one Latin-1 string, whose characters are the payload
 *   bytes one to one, so a frame's payload is a substring at the same offsets. A frame of
 *   ASCII bytes (the usual case, checked per slab with buffer.isAscii, else per frame) reads
 *   as its own text; any other frame is decoded as UTF-8 on its own;
 * - case-insensitive text is a hit list too, in the lower-cased slab (exact for ASCII frames);
 * - a forward regex scan runs the pattern over the whole slab string: one `exec` tells, for
 *   every frame up to the next match, that it does not match (a match inside a frame is a
 *   match in the slab, for a pattern without anchors or word boundaries, which would see the
 *   neighbouring frames). A match that runs past its frame's end, a pattern with context
 *   (`^ $ \b \B`), one that matches the empty string, and backward scans fall back to
 *   testing the frame's own text.
 * A close frame is matched by its reason (the two code bytes are skipped). JSONPath looks only
 * at text frames whose payload starts with `{` or `[`.
 */
import { isAscii } from 'node:buffer';
import { OPCODE_LIST, OUT_BIT, type FrameScanView, type FrameStore } from '../session/frame-store';
import type { CompiledFilter } from './compile-filter';

export interface ScanCursor {
  /** The next seq to look at. */
  next: number;
  /** The last seq to look at (inclusive): the upper bound, or the lower one when backward. */
  end: number;
  backward: boolean;
}

/** done: the range is exhausted; paused: the time slice ran out; stopped: onMatch asked to stop. */
export type ScanStatus = 'done' | 'paused' | 'stopped';

type Verdict = 'yes' | 'no' | 'unsure';

const TEXT = OPCODE_LIST.indexOf('text');
const CLOSE = OPCODE_LIST.indexOf('close');
const OPCODE_BITS = 0x7f;
/** How many frames between two looks at the clock. */
const CLOCK_EVERY = 512;
const NON_ASCII = /[\x80-\xff]/;
const JSON_START = /^\s*[[{]/;
/** Pattern pieces whose meaning depends on the text around a frame: such patterns are tested per frame. */
const CONTEXT_SENSITIVE = /[\^$]|\\[bB]|\(\?<?[=!]/;

/** Sorted start offsets of a needle in a slab. */
export interface HitList {
  at: Int32Array;
  count: number;
  length: number;
}

export class FrameScanner {
  /** Frames looked at so far. */
  scanned = 0;
  private forward = true;
  private slabId = -1;
  private slabLength = 0;
  private slabBuffer: Buffer | undefined;
  private slabAscii = true;
  /** Decoded lazily: case-sensitive text alone never needs the text. */
  private slabText: string | undefined;
  private slabLower: string | undefined;
  private byteHits: HitList | undefined;
  private lowerHits: HitList | undefined;
  /** The slab-wide regex's next match at or after the last frame asked about (-1: none asked yet). */
  private matchStart = -1;
  private matchEnd = -1;
  /** No match starts at or after this offset of the slab. */
  private noMatchFrom = Number.POSITIVE_INFINITY;
  private readonly needle: Buffer | undefined;
  private readonly slabRegex: RegExp | undefined;

  constructor(
    private readonly store: FrameStore,
    private readonly filter: CompiledFilter,
  ) {
    this.needle = filter.textBytes !== undefined ? Buffer.from(filter.textBytes, 'latin1') : undefined;
    const regex = filter.regex;
    if (regex && !CONTEXT_SENSITIVE.test(regex.source) && !regex.test('')) {
      this.slabRegex = new RegExp(regex.source, `g${regex.flags.replace(/[gy]/g, '')}`);
    }
  }

  /**
   * Looks at frames from `cursor.next` towards `cursor.end` for about `sliceMs`, calling
   * `onMatch` for each match (return false to stop). Advances the cursor. Frames evicted
   * meanwhile are skipped; frames appended meanwhile are outside the range.
   */
  run(cursor: ScanCursor, sliceMs: number, onMatch: (seq: number) => boolean): ScanStatus {
    const view = this.store.scanView();
    if (view.lastSeq === 0) return 'done';
    this.forward = !cursor.backward;
    const step = cursor.backward ? -1 : 1;
    let seq = cursor.backward ? Math.min(cursor.next, view.lastSeq) : Math.max(cursor.next, view.firstSeq);
    const last = cursor.backward ? Math.max(cursor.end, view.firstSeq) : Math.min(cursor.end, view.lastSeq);
    if (cursor.backward ? seq < last : seq > last) {
      cursor.next = seq;
      return 'done';
    }
    // The slab caches hold state for one direction and one view: start them afresh.
    this.slabId = -1;
    const { capacity, meta, size, slabOf, offsetOf } = view;
    const filter = this.filter;
    const deadline = performance.now() + sliceMs;
    let slot = (view.head + (seq - view.firstSeq)) % capacity;
    let sinceClock = 0;
    for (;;) {
      this.scanned += 1;
      const m = meta[slot] ?? 0;
      const opcode = m & OPCODE_BITS;
      const frameSize = size[slot] ?? 0;
      let keep =
        (filter.opcodeMask & (1 << opcode)) !== 0 &&
        (filter.directionBit < 0 || (m & OUT_BIT) === filter.directionBit) &&
        frameSize >= filter.minSize &&
        frameSize <= filter.maxSize;
      if (keep && filter.needsPayload) {
        if (filter.jsonPath !== undefined && opcode !== TEXT) keep = false;
        else {
          const start = offsetOf[slot] ?? 0;
          const end = start + frameSize;
          keep = this.payloadMatches(slabOf[slot] ?? 0, opcode === CLOSE ? Math.min(end, start + 2) : start, end, view);
        }
      }
      // Decoding is the dearest test: only frames every other criterion kept.
      if (keep && filter.decoded !== undefined) keep = filter.decoded(seq);
      if (keep && !onMatch(seq)) {
        cursor.next = seq + step;
        return 'stopped';
      }
      if (seq === last) {
        cursor.next = seq + step;
        return 'done';
      }
      seq += step;
      slot = cursor.backward ? (slot === 0 ? capacity - 1 : slot - 1) : slot + 1 === capacity ? 0 : slot + 1;
      if (++sinceClock === CLOCK_EVERY) {
        sinceClock = 0;
        if (performance.now() >= deadline) {
          cursor.next = seq;
          return 'paused';
        }
      }
    }
  }

  private payloadMatches(slabId: number, start: number, end: number, view: FrameScanView): boolean {
    const filter = this.filter;
    const empty = end <= start;
    if (!empty) this.loadSlab(slabId, end, view);
    if (this.needle !== undefined) {
      if (empty) return false;
      this.byteHits ??= bufferHits(this.slabBuffer, this.slabLength, this.needle);
      if (!hitInside(this.byteHits, start, end)) return false;
    }
    if (filter.textLower === undefined && filter.regex === undefined && filter.jsonPath === undefined) return true;

    let raw: string | undefined;
    let ascii = empty || this.slabAscii;
    if (!ascii) {
      raw = this.text().substring(start, end);
      ascii = !NON_ASCII.test(raw);
    }
    // The frame's own text, built only when a criterion needs it. (No closure here: this runs
    // a million times, and a function created per call costs more than the test itself.)
    let decoded: string | undefined;

    if (filter.textLower !== undefined) {
      if (empty) return false;
      if (ascii) {
        this.lowerHits ??= stringHits(this.lowerSlab(), filter.textLower);
        if (!hitInside(this.lowerHits, start, end)) return false;
      } else {
        decoded = this.frameText(start, end, ascii, raw);
        if (!decoded.toLowerCase().includes(filter.textLower)) return false;
      }
    }
    if (filter.regex !== undefined) {
      const verdict: Verdict = ascii && !empty && this.forward && this.slabRegex ? this.regexVerdict(this.slabRegex, start, end) : 'unsure';
      if (verdict === 'no') return false;
      if (verdict === 'unsure') {
        decoded ??= this.frameText(start, end, ascii, raw);
        if (!filter.regex.test(decoded)) return false;
      }
    }
    if (filter.jsonPath !== undefined) {
      const body = decoded ?? this.frameText(start, end, ascii, raw);
      if (!JSON_START.test(body)) return false;
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        return false;
      }
      try {
        return filter.jsonPath(json);
      } catch {
        return false; // a filter expression that fails on this frame's data does not match it
      }
    }
    return true;
  }

  /** A frame's payload as text: its Latin-1 substring when ASCII, else decoded as UTF-8. */
  private frameText(start: number, end: number, ascii: boolean, raw: string | undefined): string {
    if (end <= start) return '';
    if (ascii) return raw ?? this.text().substring(start, end);
    return this.slabBuffer?.toString('utf8', start, end) ?? '';
  }

  /** Forward only: what the slab-wide match says about the frame at [start, end). */
  private regexVerdict(regex: RegExp, start: number, end: number): Verdict {
    if (start >= this.noMatchFrom) return 'no';
    if (this.matchStart < start) {
      regex.lastIndex = start;
      const found = regex.exec(this.text());
      if (!found) {
        this.noMatchFrom = start;
        return 'no';
      }
      this.matchStart = found.index;
      this.matchEnd = found.index + found[0].length;
    }
    if (this.matchStart >= end) return 'no';
    return this.matchEnd <= end ? 'yes' : 'unsure';
  }

  /** Switches to a slab (again when frames were written past what was looked at). */
  private loadSlab(slabId: number, needEnd: number, view: FrameScanView): void {
    if (slabId === this.slabId && needEnd <= this.slabLength) return;
    const slab = view.slab(slabId);
    this.slabId = slabId;
    this.slabBuffer = slab;
    this.slabLength = slab ? Math.min(view.slabUsed(slabId), slab.length) : 0;
    this.slabAscii = slab ? isAscii(slab.subarray(0, this.slabLength)) : true;
    this.slabText = undefined;
    this.slabLower = undefined;
    this.byteHits = undefined;
    this.lowerHits = undefined;
    this.matchStart = -1;
    this.matchEnd = -1;
    this.noMatchFrom = Number.POSITIVE_INFINITY;
  }

  /** The slab as Latin-1 text (one character per byte). */
  private text(): string {
    this.slabText ??= this.slabBuffer ? this.slabBuffer.toString('latin1', 0, this.slabLength) : '';
    return this.slabText;
  }

  /** The slab in lower case; offsets are kept (no Latin-1 character changes length). */
  private lowerSlab(): string {
    this.slabLower ??= this.text().toLowerCase();
    return this.slabLower;
  }
}

/** Whether an occurrence in the hit list lies wholly inside [start, end). */
export function hitInside(hits: HitList, start: number, end: number): boolean {
  let lo = 0;
  let hi = hits.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((hits.at[mid] ?? 0) < start) lo = mid + 1;
    else hi = mid;
  }
  return lo < hits.count && (hits.at[lo] ?? 0) + hits.length <= end;
}

function growingHits(length: number): HitList {
  return { at: new Int32Array(64), count: 0, length };
}

function pushHit(hits: HitList, at: number): void {
  if (hits.count === hits.at.length) {
    const grown = new Int32Array(hits.at.length * 2);
    grown.set(hits.at);
    hits.at = grown;
  }
  hits.at[hits.count++] = at;
}

/** Leading quote bytes are left out of the search, then checked: Buffer#indexOf is many times slower on a needle that starts with a byte as common as `"` in JSON. */
const QUOTE = 0x22;

/** A needle as firstHit looks for it: its leading quotes (all but its last byte) counted and left out of the search. */
export interface SearchedNeedle {
  readonly bytes: Buffer;
  readonly rest: Buffer;
  readonly quotes: number;
}

export function searchedNeedle(bytes: Buffer): SearchedNeedle {
  let quotes = 0;
  while (quotes < bytes.length - 1 && bytes[quotes] === QUOTE) quotes++;
  return { bytes, rest: bytes.subarray(quotes), quotes };
}

/** The first hit of the needle in the slab starting at or after `from` and ending by `used`, or -1. */
export function firstHit(slab: Buffer, used: number, needle: SearchedNeedle, from: number): number {
  const { rest, quotes } = needle;
  const length = needle.bytes.length;
  for (let found = slab.indexOf(rest, from + quotes); found >= 0; found = slab.indexOf(rest, found + 1)) {
    const at = found - quotes;
    if (at + length > used) return -1;
    let quoted = true;
    for (let k = 0; k < quotes && quoted; k++) quoted = slab[at + k] === QUOTE;
    if (quoted) return at;
  }
  return -1;
}

/** Every hit of the needle in the slab's first `used` bytes, in order. */
export function bufferHits(slab: Buffer | undefined, used: number, needle: Buffer): HitList {
  const hits = growingHits(needle.length);
  if (!slab) return hits;
  const searched = searchedNeedle(needle);
  for (let at = firstHit(slab, used, searched, 0); at >= 0; at = firstHit(slab, used, searched, at + 1)) pushHit(hits, at);
  return hits;
}

function stringHits(haystack: string, needle: string): HitList {
  const hits = growingHits(needle.length);
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) pushHit(hits, at);
  return hits;
}
