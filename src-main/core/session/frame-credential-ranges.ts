/**
 * Where each stored frame of a session holds credentials (an MQTT CONNECT's password, a STOMP
 * passcode, a GraphQL or Socket.IO auth token), so the app shows them masked: the log's previews
 * (`frames` batches, `frames:page`, search hits) and the detail pane's raw payload (`frames:get`,
 * unless the pane asks to reveal them). The ranges are the ones exports and the CLI mask
 * (core/decode/credential-bytes.ts): no second detector.
 *
 * A credential's place follows from the bytes before it (a CONNECT split across messages), so
 * the frames are read in seq order, once, as far as the newest frame asked about; only frames
 * that hold a credential are remembered (their ranges, sparse). A session whose protocol cannot
 * carry credentials (recognised from the upgrade or its first data messages) is not read past
 * recognition: asking about it costs a comparison. A new attempt of a reconnecting connection
 * starts afresh; frames missing (evicted before they were read) leave each direction's next
 * messages masked up to where a frame surely starts (midway-credentials.ts), as an export does.
 * Unlike an export, recognition does not look ahead: a frame read before the protocol was
 * recognised stays unmasked (the protocols' first messages, a CONNECT, recognise themselves),
 * except when the first read comes after eviction, when the stored frames are looked through for
 * a sign once (stored-credential-protocol.ts).
 */
import { AttemptBoundaries, type AttemptSource } from '../decode/attempt-boundaries';
import { CredentialBytes } from '../decode/credential-bytes';
import type { CredentialRange, FoundCredentials } from '../decode/credential-range';
import { MidwayCredentials } from '../decode/midway-credentials';
import { storedCredentialProtocol } from '../decode/stored-credential-protocol';
import { upgradeSigns } from '../decode/upgrade-signs';
import type { FrameSummary, HandshakeStep } from '../../shared/model';
import type { StoredFrame } from './frame-store';

/** One frame's credentials: the ranges in its payload and in an edited frame's kept original. */
export interface FrameCredentials {
  payload: readonly CredentialRange[];
  original: readonly CredentialRange[];
  /** The credential fields, as paths in the protocol frame (`$.headers.passcode`). */
  fields: readonly string[];
}

/** What this reads of a session: its stored frames in order, and what its upgrade said. */
export interface CredentialRangeSource {
  readonly frames: {
    readonly firstSeq: number;
    readonly lastSeq: number;
    entry(seq: number): StoredFrame | undefined;
    payload(seq: number): Buffer | undefined;
  };
  readonly url: string;
  handshakeSteps(): readonly HandshakeStep[];
  attempts?(): ReturnType<AttemptSource>;
}

const NO_RANGES: readonly CredentialRange[] = Object.freeze([]);

/** The list is the masker's, reused; each range in it is made fresh per message, so kept as it is. */
function kept(found: FoundCredentials): readonly CredentialRange[] {
  return found.ranges.length === 0 ? NO_RANGES : found.ranges.slice();
}

export class FrameCredentialRanges {
  private readonly masker = new CredentialBytes();
  private readonly midway = new MidwayCredentials(this.masker);
  private readonly boundaries: AttemptBoundaries;
  /** The next frame to read; 0 before the first (the upgrade is noted then). */
  private next = 0;
  /** Frames before the next stored one were not read (evicted first): what comes next may be the rest of a frame. */
  private gap = false;
  /** The frames read that hold credentials, ascending by seq (a Map keeps insertion order). */
  private readonly held = new Map<number, FrameCredentials>();
  /** Each list of fields once (a flood of frames with the same credential header shares one). */
  private readonly fieldLists = new Map<string, readonly string[]>();

  constructor(private readonly session: CredentialRangeSource) {
    this.boundaries = new AttemptBoundaries(() => session.attempts?.() ?? []);
  }

  /** Frame `seq`'s credentials, or undefined when it holds none (or is no longer stored). */
  of(seq: number): FrameCredentials | undefined {
    this.readTo(seq);
    return this.held.size === 0 ? undefined : this.held.get(seq);
  }

  /**
   * The summaries with each credential's bytes masked in their previews (a copy of a summary
   * that has one; the list itself is changed in place). Previews are a payload's first bytes
   * (text as itself, binary as spaced hex), so a byte keeps its place in them.
   */
  maskPreviews(frames: FrameSummary[]): void {
    const count = frames.length;
    if (count === 0) return;
    const first = frames[0]?.seq ?? 0;
    const last = frames[count - 1]?.seq ?? 0;
    this.readTo(first > last ? first : last);
    if (this.held.size === 0) return;
    for (let i = 0; i < count; i++) {
      const frame = frames[i];
      const found = frame === undefined ? undefined : this.held.get(frame.seq);
      if (frame === undefined || found === undefined || found.payload.length === 0) continue;
      frames[i] = { ...frame, preview: maskedPreview(frame, found.payload) };
    }
  }

  private readTo(seq: number): void {
    if (seq < this.next) return;
    const frames = this.session.frames;
    const lastSeq = frames.lastSeq;
    if (lastSeq === 0) return;
    if (this.next === 0) {
      const { target, subprotocol } = upgradeSigns(this.session.handshakeSteps());
      this.masker.noteHandshake(target ?? this.session.url, subprotocol);
      this.next = frames.firstSeq;
      if (frames.firstSeq > 1) {
        // Evicted before the first read: the CONNECT that recognises a STOMP or MQTT session may
        // be gone, so the stored frames are looked through for a sign (as an export does).
        this.gap = true;
        const protocol = this.masker.protocols.length === 0 ? storedCredentialProtocol(frames, frames.firstSeq) : undefined;
        if (protocol) this.masker.lookFor(protocol);
      }
    }
    const end = Math.min(seq, lastSeq);
    // A protocol that carries no credentials: nothing to read, ever (the common flood).
    if (!this.masker.reading) {
      if (end >= this.next) this.next = end + 1;
      return;
    }
    if (this.next < frames.firstSeq) {
      this.gap = true; // evicted before read: a frame under way is not followed across the gap
      this.next = frames.firstSeq;
    }
    for (; this.next <= end; this.next++) {
      const stored = frames.entry(this.next);
      if (!stored) {
        this.gap = true;
        continue;
      }
      // A new attempt starts its frames afresh; after a gap, the next message in each direction
      // may be the rest of a frame begun in a dropped one (midway-credentials.ts).
      if (this.boundaries.startsAttempt(this.next)) this.midway.fresh();
      else if (this.gap) this.midway.afterGap();
      this.gap = false;
      // The original first: it stands where the frame does, before the stream moves past it.
      const beside = stored.original !== undefined ? this.midway.credentialsBeside(stored.dir, stored.opcode, stored.original) : undefined;
      const found = this.midway.credentialsIn(stored.dir, stored.opcode, stored.payload);
      if (found.ranges.length === 0 && (beside === undefined || beside.ranges.length === 0)) continue;
      const fields = beside === undefined ? found.fields : [...found.fields, ...beside.fields.filter((field) => !found.fields.includes(field))];
      this.held.set(this.next, { payload: kept(found), original: beside ? kept(beside) : NO_RANGES, fields: this.fieldList(fields) });
      if (!this.masker.reading) break;
    }
    this.forgetEvicted(frames.firstSeq);
  }

  private fieldList(fields: readonly string[]): readonly string[] {
    const key = fields.join('\n');
    let list = this.fieldLists.get(key);
    if (list === undefined) {
      // Bounded: a field's path is the protocol's (a few names), not the user's data at large.
      if (this.fieldLists.size >= 256) this.fieldLists.clear();
      list = Object.freeze([...fields]);
      this.fieldLists.set(key, list);
    }
    return list;
  }

  /** Frames no longer stored are not asked about again. */
  private forgetEvicted(firstSeq: number): void {
    for (const seq of this.held.keys()) {
      if (seq >= firstSeq) return;
      this.held.delete(seq);
    }
  }
}

/** The bytes with the ranges shifted by `offset` masked ('*' each): what the pane shows of a part starting there. */
export function maskBytes(bytes: Uint8Array, ranges: readonly CredentialRange[], offset = 0): Buffer {
  const out = Buffer.from(bytes);
  for (const [start, end, number] of ranges) {
    const from = Math.max(0, start - offset);
    const to = Math.min(out.length, end - offset);
    // A JSON number is masked as the masker does it: '0' then spaces, so it stays a number.
    for (let i = from; i < to; i++) out[i] = number === 1 ? (i + offset === start ? 0x30 : 0x20) : number === 2 ? 0x20 : 0x2a;
  }
  return out;
}

const ASCII = /^[\x00-\x7f]*$/;

/** An ASCII preview masked in place of its bytes (one character a byte): no Buffer made (the common case). */
function maskAscii(preview: string, ranges: readonly CredentialRange[]): string {
  let out = preview;
  for (const [start, end, number] of ranges) {
    const from = Math.max(0, start);
    const to = Math.min(out.length, end);
    if (from >= to) continue;
    const fill = number === 1 ? (from === start ? '0' : ' ') + ' '.repeat(to - from - 1) : number === 2 ? ' '.repeat(to - from) : '*'.repeat(to - from);
    out = out.slice(0, from) + fill + out.slice(to);
  }
  return out;
}

/** A preview masked where the ranges fall inside it. */
export function maskedPreview(frame: FrameSummary, ranges: readonly CredentialRange[]): string {
  if (frame.opcode === 'text') return ASCII.test(frame.preview) ? maskAscii(frame.preview, ranges) : maskBytes(Buffer.from(frame.preview, 'utf8'), ranges).toString('utf8');
  if (frame.opcode !== 'binary') return frame.preview;
  // Two hex digits and a space per byte.
  const shown = Math.ceil(frame.preview.length / 3);
  const hex = Buffer.from(frame.preview.replace(/ /g, ''), 'hex').subarray(0, shown);
  const masked = maskBytes(hex, ranges).toString('hex');
  let out = '';
  for (let i = 0; i < masked.length; i += 2) out += (i === 0 ? '' : ' ') + masked.slice(i, i + 2);
  return out;
}
