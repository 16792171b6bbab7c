/**
 * Reads the session's log into the composer's id ledger (composer-ids.ts noteLogFrame), from
 * where it left off or the attempt under way's first frame, to the newest frame: a page of
 * summaries (each frame's direction) and the same range decoded with values (log-ids.ts reads the
 * ids there). Each frame is read once per session, so a long session costs one decode per frame
 * over its life, only while the Protocol format is in use. Frames the store dropped are skipped
 * (their ids cannot be known); a refused page, or a session no protocol decodes yet, ends the
 * read, taken up again by the next one.
 */
import type { AttemptRecord } from '../../../src-main/shared/attempts';
import type { TunnelscopeBridge } from '../../../src-main/shared/bridge';
import { MAX_DECODE_FRAMES } from '../../../src-main/shared/decoding';
import { currentAttemptStart } from '../util/attempt-of-frame';
import { noteAttemptStart, noteLogFrame, type IdLedger } from './composer-ids';
import { idEventsOfFrame } from './log-ids';

export interface LogIdsSession {
  id: string;
  /** Oldest and newest seq stored (0 while none). */
  firstSeq: number;
  lastSeq: number;
  attempts: readonly AttemptRecord[];
}

/** Whether the ledger still follows this session (a tab that connected again follows another). */
function following(ledger: IdLedger, sessionId: string): boolean {
  return ledger.sessionId === sessionId;
}

export async function readLogIds(bridge: TunnelscopeBridge, ledger: IdLedger, session: LogIdsSession): Promise<void> {
  const sessionId = session.id;
  noteAttemptStart(ledger, sessionId, currentAttemptStart(session.attempts));
  let from = Math.max(ledger.scannedTo + 1, ledger.attemptStart, session.firstSeq, 1);
  while (from <= session.lastSeq && following(ledger, sessionId)) {
    const to = Math.min(session.lastSeq, from + MAX_DECODE_FRAMES - 1);
    const [page, decoded] = await Promise.all([
      bridge['frames:page']({ sessionId, fromSeq: from, limit: to - from + 1 }),
      bridge['frames:decode']({ sessionId, fromSeq: from, toSeq: to, values: true }),
    ]);
    // No protocol found yet (or decoding set to none): nothing to read ids from; read once one is.
    if (!page.ok || !decoded.ok || decoded.value.active === null || !following(ledger, sessionId)) return;
    const dirOf = new Map(page.value.frames.map((f) => [f.seq, f.dir]));
    const bySeq = new Map(decoded.value.frames.map((f) => [f.seq, f]));
    for (let seq = from; seq <= to; seq++) {
      const frame = bySeq.get(seq);
      const dir = dirOf.get(seq);
      const events = frame && dir && frame.kind === 'decoded' ? idEventsOfFrame(frame.protocol, dir, frame.value) : [];
      noteLogFrame(ledger, sessionId, seq, events);
    }
    from = to + 1;
  }
}
