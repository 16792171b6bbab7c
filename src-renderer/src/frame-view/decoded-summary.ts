/**
 * What a log row's Summary cell says: the engine's decoded summary ("SUBSCRIBE /topic/prices
 * id=sub-0"), a frame that is not valid in the protocol (in the warning tone, the problem in full
 * on hover), part of a frame that continues later (muted), a frame not decoded yet ("…"), and
 * nothing for a frame the protocol does not cover (a ping, a close). Answers in a conversation
 * are marked so a request's answer reads as one, with the time since its request when the engine
 * found it: "↩ RECEIPT receipt-id=r-1 · 3 ms". A frame the engine decoded without the frames
 * before it (`unread`: it had not read that far) is muted and marked "≈" (approximate); the
 * tooltip says what was not read and that the engine is reading it now, so a narrow column
 * does not cut the note off. A frame decoded without frames the store dropped from memory
 * (`withoutEvicted`: final, nothing will make it exact) is marked the same way, its tooltip saying
 * they are gone.
 */
import type { FrameSummary } from '../../../src-main/shared/model';
import { evictedNote, unreadNote } from '../../../src-main/shared/unread-note';
import type { DecodedRow } from '../stores/decoding-store';
import { formatDuration } from '../util/format-duration';

export interface SummaryCell {
  text: string;
  tone: 'decoded' | 'invalid' | 'partial' | 'waiting' | 'unread' | 'none';
  /** The whole text, with the conversation it belongs to. */
  title: string;
}

export function summaryCell(frame: FrameSummary, row: DecodedRow | undefined): SummaryCell {
  if (frame.opcode !== 'text' && frame.opcode !== 'binary') return { text: '', tone: 'none', title: '' };
  if (row === undefined) return { text: '…', tone: 'waiting', title: 'Decoding…' };
  if (row === null) return { text: '', tone: 'none', title: 'Nothing to decode in this frame' };
  if (row.unread) {
    const note = `${unreadNote(row.unread.framesBefore, row.unread.fromSeq)}: state they set may be missing; decoded again once the engine has read them`;
    return { text: `≈ ${row.summary}`, tone: 'unread', title: `${row.summary}${note}` };
  }
  if (row.withoutEvicted) {
    const note = `${evictedNote(row.withoutEvicted.framesBefore, row.withoutEvicted.fromSeq)}: state they set may be missing`;
    return { text: `≈ ${row.summary}`, tone: 'unread', title: `${row.summary}${note}` };
  }
  if (row.kind === 'invalid') return { text: row.summary, tone: 'invalid', title: row.summary };
  const answer = row.conversation && row.conversation.role !== 'request' ? '↩ ' : '';
  const latency = row.answers ? ` · ${formatDuration(row.answers.latencyMs)}` : '';
  const after = row.answers ? `, ${formatDuration(row.answers.latencyMs)} after #${row.answers.seq}` : '';
  const title = row.conversation ? `${row.summary} — ${row.conversation.role} in ${row.conversation.label}${after}` : row.summary;
  return { text: `${answer}${row.summary}${latency}`, tone: row.kind === 'partial' ? 'partial' : 'decoded', title };
}
