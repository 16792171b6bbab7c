/**
 * NDJSON: a header line (url, proxy decision, handshake, ending) then one JSON object per
 * frame: seq, dir, opcode, at (ISO time), size, and `text` (text frames), `base64` (binary,
 * ping, pong) or `closeCode`/`closeReason` (close frames). The shapes are the contract's
 * (shared/log-file.ts), so the importer reads back exactly what is written here.
 */
import { NDJSON_HEADER_TYPE, NDJSON_VERSION, type NdjsonFrame, type NdjsonHeader } from '../../shared/log-file';
import type { FrameFilter } from '../../shared/search';
import type { LoggedDecode } from '../../shared/log-decode';
import type { StoredFrame } from '../session/frame-store';
import { shownUrlOf, type SessionLog } from '../session/session-log';
import { redactClientHandshake, redactSteps } from './redact-log';
import { loggedMark } from './intercept-mark';

/** `decode`: the Decode choice the session is read with, recorded so an import decodes the same way. */
export function ndjsonHeader(session: SessionLog, filter: FrameFilter | undefined, now: number, decode?: LoggedDecode): NdjsonHeader {
  const ending = session.closedInfo();
  const clientHandshake = session.clientHandshake?.();
  return {
    type: NDJSON_HEADER_TYPE,
    version: NDJSON_VERSION,
    url: shownUrlOf(session),
    ...(session.name !== undefined ? { name: session.name } : {}),
    createdAt: new Date(session.createdAt).toISOString(),
    exportedAt: new Date(now).toISOString(),
    state: session.state,
    proxy: session.proxyDecision() ?? null,
    handshake: redactSteps(session.handshakeSteps(), session.secretHeaderNames()),
    error: session.failure() ?? null,
    closed: ending ? { code: ending.code, reason: ending.reason, wasClean: ending.wasClean, initiatedBy: ending.initiatedBy, at: new Date(ending.at).toISOString() } : null,
    framesDropped: session.frames.dropped,
    filter: filter ? { ...filter } : null,
    ...attemptsField(session),
    ...(clientHandshake ? { clientHandshake: redactClientHandshake(clientHandshake, session.secretHeaderNames()) } : {}),
    ...(decode ? { decode } : {}),
  };
}

/** The separators of a reconnecting connection, when it had more than one attempt (an import's after its own file numbers). */
function attemptsField(session: SessionLog): Pick<NdjsonHeader, 'attempts'> {
  const attempts = session.attempts?.() ?? [];
  const numbers = session.frameNumbers?.();
  if (attempts.length === 0) return {};
  return { attempts: numbers ? attempts.map((record) => ({ ...record, afterSeq: record.afterSeq === 0 ? 0 : numbers.numberOf(record.afterSeq) })) : [...attempts] };
}

export function ndjsonFrame(frame: StoredFrame): NdjsonFrame {
  const record: NdjsonFrame = {
    seq: frame.seq,
    dir: frame.dir,
    opcode: frame.opcode,
    at: new Date(frame.at).toISOString(),
    size: frame.payload.length,
  };
  if (frame.opcode === 'text') {
    record.text = frame.payload.toString('utf8');
  } else if (frame.opcode === 'close') {
    if (frame.closeCode !== undefined) record.closeCode = frame.closeCode;
    record.closeReason = frame.payload.length > 2 ? frame.payload.toString('utf8', 2) : '';
  } else {
    record.base64 = frame.payload.toString('base64');
  }
  const mark = loggedMark(frame);
  if (mark) record.intercept = mark;
  return record;
}
