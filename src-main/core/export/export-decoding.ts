/**
 * The decoded output of an export: the session's frames are handed to a SessionDecoding in seq
 * order (every stored frame, selected or not, since protocols keep state across messages), and
 * the selected ones get their decoding (core/decode/decoded-record.ts). With `auto` the protocol
 * is recognised as for a live session (the upgrade, then the first data messages); when nothing
 * is recognised, frames are no longer read. Imports decode the same way: their frames are a store.
 *
 * After the store evicted its front (or frames were evicted while the export ran), the decoder
 * starts afresh at the oldest stored frame: what the evicted frames set (an MQTT 5 topic alias, a
 * GraphQL operation) is gone. It takes the state of the rows' first checkpoint when it gets there
 * (`rowCheckpoints`: the session's StoreDecoding's, when it decodes as the same protocol), so from
 * there the export says what the log's rows say; each frame decoded before that (or with no such
 * checkpoint) says it lacks them: `withoutEvicted` {framesBefore, fromSeq} in its record. A partial
 * checkpoint (left by a walk that itself started afresh after evicted frames) keeps the flag, with
 * that walk's start as `fromSeq`, as the rows say: the export's own start may be later (the store
 * evicted more since), and the checkpoint's state holds the frames between.
 */
import { AttemptBoundaries } from '../decode/attempt-boundaries';
import { decodedRecord, type DecodedRecord } from '../decode/decoded-record';
import type { DecoderSettings } from '../decode/decoder-registry';
import { SessionDecoding, type DecodeChoice, type RowCheckpoints } from '../decode/session-decoding';
import { SessionEnd } from '../decode/session-end';
import { upgradeSigns } from '../decode/upgrade-signs';
import type { SessionLog } from '../session/session-log';

export interface ExportDecodingChoice {
  choice: DecodeChoice;
  settings?: DecoderSettings;
  /** The session's rows' checkpoints (decode-commands.ts): the export rejoins their state after evicted frames. */
  rowCheckpoints?: RowCheckpoints;
}

/** A frame's record decoded by a decoder that never read the `framesBefore` frames before #`fromSeq` (evicted from the store). */
export type ExportedDecoding = DecodedRecord & { withoutEvicted?: { framesBefore: number; fromSeq: number } };

export class ExportDecoding {
  private readonly decoding: SessionDecoding;
  /** The next seq handed to the decoders. */
  private next: number;
  /** A frame that ends its direction of an ended session is written as that (session-end.ts). */
  private readonly end: SessionEnd;

  constructor(
    private readonly session: Pick<SessionLog, 'frames' | 'url' | 'handshakeSteps' | 'attempts'>,
    wanted: ExportDecodingChoice,
  ) {
    // Protocol Buffers rules asking for a part of the URL read the session's whole URL.
    const settings = { ...wanted.settings, connection: { url: session.url } };
    // A reconnecting connection's attempts each decode afresh, as the rows do (attempt-boundaries.ts).
    const boundaries = new AttemptBoundaries(() => session.attempts?.() ?? []);
    this.decoding = new SessionDecoding(wanted.choice, undefined, undefined, settings, undefined, wanted.rowCheckpoints, boundaries);
    const { target, subprotocol } = upgradeSigns(session.handshakeSteps());
    this.decoding.noteHandshake(target ?? session.url, subprotocol);
    this.next = session.frames.firstSeq;
    this.end = new SessionEnd(session.frames, boundaries);
  }

  /** The frame's decoding (seqs asked in increasing order), or undefined when none applies. */
  at(seq: number): ExportedDecoding | undefined {
    let answer: ExportedDecoding | undefined;
    for (; this.next <= seq; this.next++) {
      if (!this.decoding.wantsFrames) {
        this.next = seq + 1;
        return undefined;
      }
      const stored = this.session.frames.entry(this.next);
      if (!stored) continue;
      // Pings, pongs and closes are handed over too (they decode as nothing): a seq skipped is a
      // gap to the decoder, which then starts afresh and loses what earlier messages set.
      // Copied: a decoder may keep bytes across messages, and the store reuses its slabs.
      const outcome = this.end.settle(this.next, this.decoding.decodeInOrder({ seq: this.next, dir: stored.dir, opcode: stored.opcode, bytes: new Uint8Array(stored.payload) }));
      if (this.next === seq && outcome) {
        const record = decodedRecord(outcome, this.decoding.decoding, stored.dir);
        const from = this.decoding.afreshFrom;
        answer = from !== undefined ? { ...record, withoutEvicted: { framesBefore: from - 1, fromSeq: from } } : record;
      }
    }
    return answer;
  }
}
