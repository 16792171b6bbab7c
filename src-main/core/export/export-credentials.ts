/**
 * Credentials inside frames leave an export masked, as credential headers do: the export's
 * decoding (the one asked for, else `auto` just for this) tells the protocol and the decoded
 * record already shows the REDACTED marker (decoded-record.ts); here each exported frame's raw
 * bytes get the credential's bytes as '*' (credential-bytes.ts: same length, so sizes, offsets
 * and an import's decoding stay valid), and the frame says what was hidden: `redacted`
 * {fields (paths in the decoded value), maskedBytes} (NDJSON; `_redacted` in HAR).
 *
 * Every stored frame is handed over in seq order, exported or not, since an MQTT packet may span
 * messages. There is no way to export them unmasked, as there is none for credential headers.
 */
import { CredentialBytes } from '../decode/credential-bytes';
import type { StoredFrame } from '../session/frame-store';
import type { SessionLog } from '../session/session-log';
import type { ExportDecoding, ExportedDecoding } from './export-decoding';

export interface FrameRedaction {
  /** The decoded value's paths that held credentials (empty for a credential's bytes in a later message of its packet). */
  fields: string[];
  maskedBytes: number;
}

export interface ExportedFrame {
  /** The stored frame, or a copy with its credential bytes masked. */
  frame: StoredFrame;
  /** The frame's decoding, undefined when none applies. */
  decoded: ExportedDecoding | undefined;
  redacted?: FrameRedaction;
}

export class ExportCredentials {
  private masker: CredentialBytes | undefined;
  private next: number;

  constructor(
    private readonly session: Pick<SessionLog, 'frames'>,
    private readonly decoding: Pick<ExportDecoding, 'at'>,
  ) {
    this.next = session.frames.firstSeq;
  }

  /** The frame at `seq` (asked in increasing order) as it is exported; undefined when it was evicted. */
  at(seq: number): ExportedFrame | undefined {
    let answer: ExportedFrame | undefined;
    for (; this.next <= seq; this.next++) {
      const stored = this.session.frames.entry(this.next);
      if (!stored) {
        this.masker?.reset(); // a gap: a packet under way is not followed across it
        continue;
      }
      const decoded = this.decoding.at(this.next);
      if (decoded && decoded.protocol !== this.masker?.protocol) this.masker = new CredentialBytes(decoded.protocol);
      const { bytes, masked } = this.masker ? this.masker.mask(stored.dir, stored.opcode, stored.payload) : { bytes: stored.payload, masked: 0 };
      if (this.next !== seq) continue;
      const fields = decoded && 'redacted' in decoded && decoded.redacted ? decoded.redacted : [];
      answer = {
        frame: masked > 0 ? { ...stored, payload: Buffer.from(bytes) } : stored,
        decoded,
        ...(masked > 0 || fields.length > 0 ? { redacted: { fields, maskedBytes: masked } } : {}),
      };
    }
    return answer;
  }
}
