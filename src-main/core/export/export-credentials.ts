/**
 * Credentials inside frames leave an export masked, as credential headers do: each exported
 * frame's raw bytes get the credential's bytes as '*' (credential-bytes.ts: same length, so
 * sizes, offsets and an import's decoding stay valid), an edited intercepted frame's kept
 * original too, and the frame says what was hidden: `redacted` {fields, maskedBytes} (NDJSON;
 * `_redacted` in HAR), `fields` being the credential fields whose bytes it holds, as paths in the
 * protocol frame (`$.password`, `$.headers.passcode`). The decoded record (decoded-record.ts)
 * shows the REDACTED marker in its value on its own.
 *
 * Nothing is decoded for this: which protocol's credentials to look for is recognised from the
 * session as `auto` would (the upgrade, else the first data messages, looked at ahead), whatever
 * decoding the export asked for, plus the protocol it named. Every stored frame is handed over in
 * seq order, exported or not, since a protocol frame may span messages; a new attempt of a
 * reconnecting connection starts afresh. After frames missing (evicted before the oldest stored
 * one, or gone while the export ran) each direction's next messages may be the rest of a frame
 * begun in them: they are masked up to where a frame surely starts, and say so
 * (midway-credentials.ts). When the evicted frames held the CONNECT that recognises a STOMP or
 * MQTT session, the stored ones are looked through for a sign (stored-credential-protocol.ts).
 * There is no way to export them unmasked, as there is none for credential headers.
 *
 * An export's decoding reads the frames as masked here (`MaskedFrameReader`, export-decoding.ts),
 * every stored frame in order: a summary or problem quotes a message that is not valid as the
 * protocol decoded (a CONNECT split across messages, another protocol named), and so never quotes
 * a credential. The bytes are masked once, for both.
 */
import { AttemptBoundaries } from '../decode/attempt-boundaries';
import { CredentialBytes } from '../decode/credential-bytes';
import { MidwayCredentials } from '../decode/midway-credentials';
import { RECOGNITION_FRAMES } from '../decode/recognise-protocol';
import { storedCredentialProtocol } from '../decode/stored-credential-protocol';
import { upgradeSigns } from '../decode/upgrade-signs';
import type { StoredFrame } from '../session/frame-store';
import type { SessionLog } from '../session/session-log';

export interface FrameRedaction {
  /** The credential fields whose bytes the frame (or its original) holds, as paths in the protocol frame. */
  fields: string[];
  maskedBytes: number;
}

export interface ExportedFrame {
  /** The stored frame, or a copy with its credential bytes (and its original's) masked. */
  frame: StoredFrame;
  redacted?: FrameRedaction;
}

/** Reads every stored frame of the export in seq order, as masked (the export's decoding). */
export interface MaskedFrameReader {
  /**
   * `bytes`: the payload as exported; `own`: a copy made by masking (else the store's bytes, which
   * it reuses); `exported`: the frame is the one `at` was asked for.
   */
  read(seq: number, stored: StoredFrame, bytes: Uint8Array, own: boolean, exported: boolean): void;
}

export class ExportCredentials {
  private readonly masking: CredentialBytes;
  private readonly midway: MidwayCredentials;
  private readonly boundaries: AttemptBoundaries;
  private next: number;
  /** Frames before the next stored one were not read (evicted, or gone while the export ran). */
  private gap: boolean;

  constructor(
    private readonly session: Pick<SessionLog, 'frames' | 'url' | 'handshakeSteps' | 'attempts'>,
    /** The protocol the export's decoding named, if any (looked for besides the one recognised). */
    named?: string,
    /** The export's decoding, handed each frame as masked. */
    private readonly reader?: MaskedFrameReader,
  ) {
    this.masking = new CredentialBytes(named);
    this.midway = new MidwayCredentials(this.masking);
    this.boundaries = new AttemptBoundaries(() => session.attempts?.() ?? []);
    const { target, subprotocol } = upgradeSigns(session.handshakeSteps());
    this.masking.noteHandshake(target ?? session.url, subprotocol);
    // Recognised before the first frame is masked: a CONNECT is a session's first message.
    const frames = session.frames;
    let seq = frames.firstSeq;
    for (let looked = 0; seq <= frames.lastSeq && looked < RECOGNITION_FRAMES && this.masking.recognising; seq++) {
      const stored = frames.entry(seq);
      if (!stored || (stored.opcode !== 'text' && stored.opcode !== 'binary')) continue;
      this.masking.recognise(stored.opcode, stored.payload);
      looked++;
    }
    if (frames.firstSeq > 1 && this.masking.protocols.length === 0) {
      // The session's first messages (a STOMP or MQTT CONNECT) were evicted: the stored ones are
      // looked through for a sign that cannot be mistaken (stored-credential-protocol.ts), so a
      // later CONNECT or a SEND's credential header is masked from the oldest stored frame on.
      const protocol = storedCredentialProtocol(frames, frames.firstSeq);
      if (protocol) this.masking.lookFor(protocol);
    }
    this.next = frames.firstSeq;
    this.gap = frames.firstSeq > 1;
  }

  /** The frame at `seq` (asked in increasing order) as it is exported; undefined when it was evicted. */
  at(seq: number): ExportedFrame | undefined {
    let answer: ExportedFrame | undefined;
    for (; this.next <= seq; this.next++) {
      const stored = this.session.frames.entry(this.next);
      if (!stored) {
        this.gap = true; // a frame under way is not followed across it, and what comes next may be its rest
        continue;
      }
      // A new attempt is a new connection, whose frames start afresh; after a gap each direction's
      // next message may be the rest of a frame begun in a dropped one (midway-credentials.ts).
      if (this.boundaries.startsAttempt(this.next)) this.midway.fresh();
      else if (this.gap) this.midway.afterGap();
      this.gap = false;
      // The original first: it stands where the frame does, before the stream moves past it.
      const original = stored.original !== undefined ? this.midway.maskBeside(stored.dir, stored.opcode, stored.original) : undefined;
      const payload = this.midway.mask(stored.dir, stored.opcode, stored.payload);
      this.reader?.read(this.next, stored, payload.bytes, payload.masked > 0, this.next === seq);
      if (this.next !== seq) continue;
      const masked = payload.masked + (original?.masked ?? 0);
      if (masked === 0) {
        answer = { frame: stored };
        continue;
      }
      const fields = [...payload.fields, ...(original?.fields ?? []).filter((field) => !payload.fields.includes(field))];
      answer = {
        frame: {
          ...stored,
          // The masked copy itself, not copied again (a decoder may keep it: it is never written to).
          payload: payload.masked > 0 ? Buffer.from(payload.bytes.buffer, payload.bytes.byteOffset, payload.bytes.byteLength) : stored.payload,
          ...(original && original.masked > 0 ? { original: Buffer.from(original.bytes) } : {}),
        },
        redacted: { fields, maskedBytes: masked },
      };
    }
    return answer;
  }
}
