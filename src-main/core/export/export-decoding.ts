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
 * evicted more since), and the checkpoint's state holds the frames between. The rows made their
 * checkpoints from the stored bytes, unmasked: one is rejoined only when what it holds of each
 * direction's latest bytes (an unfinished STOMP frame, MQTT packet, SignalR record) was read by
 * this export and holds none it masked (masked-checkpoints.ts); else the frames go on flagged.
 *
 * The frames decoded are the ones the export writes: with their credentials' bytes masked
 * (its ExportCredentials hands each stored frame over in order as it masks it, `read`). A
 * summary or problem quotes a message that is not valid as the protocol decoded (a CONNECT or
 * connection_init split across messages, STOMP read as GraphQL), so it quotes only what the raw
 * bytes show; the decoded value still marks a credential field REDACTED (decoded-record.ts).
 */
import { AttemptBoundaries } from '../decode/attempt-boundaries';
import { decodedRecord, type DecodedRecord } from '../decode/decoded-record';
import type { DecoderSettings } from '../decode/decoder-registry';
import { SessionDecoding, type DecodeChoice, type RowCheckpoints } from '../decode/session-decoding';
import { SessionEnd } from '../decode/session-end';
import { upgradeSigns } from '../decode/upgrade-signs';
import { VettedCheckpoints } from '../decode/vetted-checkpoints';
import type { StoredFrame } from '../session/frame-store';
import type { SessionLog } from '../session/session-log';
import { ExportCredentials, type ExportedFrame } from './export-credentials';
import { MaskedCheckpoints } from './masked-checkpoints';

export interface ExportDecodingChoice {
  choice: DecodeChoice;
  settings?: DecoderSettings;
  /** The session's rows' checkpoints (decode-commands.ts): the export rejoins their state after evicted frames. */
  rowCheckpoints?: RowCheckpoints;
}

/** A frame's record decoded by a decoder that never read the `framesBefore` frames before #`fromSeq` (evicted from the store). */
export type ExportedDecoding = DecodedRecord & { withoutEvicted?: { framesBefore: number; fromSeq: number } };

/** The protocol a decoding choice names (looked for by the masker besides the one recognised). */
export function namedProtocol(choice: DecodeChoice | undefined): string | undefined {
  return choice === undefined || choice === 'auto' || choice === 'none' ? undefined : choice;
}

export class ExportDecoding {
  private readonly decoding: SessionDecoding;
  /** A frame that ends its direction of an ended session is written as that (session-end.ts). */
  private readonly end: SessionEnd;
  /** The masker whose frames are decoded: it walks the store, handing each frame over as masked. */
  private readonly credentials: ExportCredentials;
  /** The decoding of the frame `frame` was last asked for. */
  private last: ExportedDecoding | undefined;
  /** Which of the rows' checkpoints hold none of the bytes this export masked (masked-checkpoints.ts). */
  private readonly vetting = new MaskedCheckpoints();

  constructor(session: Pick<SessionLog, 'frames' | 'url' | 'handshakeSteps' | 'attempts'>, wanted: ExportDecodingChoice) {
    // Protocol Buffers rules asking for a part of the URL read the session's whole URL.
    const settings = { ...wanted.settings, connection: { url: session.url } };
    // A reconnecting connection's attempts each decode afresh, as the rows do (attempt-boundaries.ts).
    const boundaries = new AttemptBoundaries(() => session.attempts?.() ?? []);
    // The rows' checkpoints were made from the unmasked bytes: one is rejoined only when it holds none this export masked.
    const rows = wanted.rowCheckpoints;
    const rowCheckpoints: RowCheckpoints | undefined = rows
      ? (protocol) => {
          const source = rows(protocol);
          return source && new VettedCheckpoints(source, (checkpoint) => this.vetting.accepts(checkpoint));
        }
      : undefined;
    this.decoding = new SessionDecoding(wanted.choice, undefined, undefined, settings, undefined, rowCheckpoints, boundaries);
    const { target, subprotocol } = upgradeSigns(session.handshakeSteps());
    this.decoding.noteHandshake(target ?? session.url, subprotocol);
    this.end = new SessionEnd(session.frames, boundaries);
    this.credentials = new ExportCredentials(session, namedProtocol(wanted.choice), { read: (seq, stored, bytes, own, exported) => this.read(seq, stored, bytes, own, exported) });
  }

  /** The frame at `seq` (asked in increasing order) as exported, masked, with its decoding; undefined when it was evicted. */
  frame(seq: number): { exported: ExportedFrame; decoded: ExportedDecoding | undefined } | undefined {
    this.last = undefined;
    const exported = this.credentials.at(seq);
    return exported ? { exported, decoded: this.last } : undefined;
  }

  /** The frame's decoding (seqs asked in increasing order), or undefined when none applies. */
  at(seq: number): ExportedDecoding | undefined {
    return this.frame(seq)?.decoded;
  }

  /**
   * The next stored frame as exported (every one, in seq order). Pings, pongs and closes are
   * handed over too (they decode as nothing): a seq skipped is a gap to the decoder, which then
   * starts afresh and loses what earlier messages set.
   */
  private read(seq: number, stored: StoredFrame, bytes: Uint8Array, own: boolean, exported: boolean): void {
    if (!this.decoding.wantsFrames) return;
    this.vetting.before(seq);
    // Copied unless masking made a copy: a decoder may keep bytes across messages, and the store reuses its slabs.
    const outcome = this.end.settle(seq, this.decoding.decodeInOrder({ seq, dir: stored.dir, opcode: stored.opcode, bytes: own ? bytes : new Uint8Array(bytes) }));
    this.vetting.read(stored.dir, stored.opcode, stored.payload, bytes, own);
    if (!exported || !outcome) return;
    const record = decodedRecord(outcome, this.decoding.decoding, stored.dir);
    const from = this.decoding.afreshFrom;
    this.last = from !== undefined ? { ...record, withoutEvicted: { framesBefore: from - 1, fromSeq: from } } : record;
  }
}
