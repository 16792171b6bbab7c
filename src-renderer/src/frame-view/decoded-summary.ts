/**
 * What a log row's Summary cell says: the engine's decoded summary ("SUBSCRIBE /topic/prices
 * id=sub-0"), a frame that is not valid in the protocol (in the warning tone, marked "⚠" and
 * leading with what is wrong: "⚠ unknown command 'BOGUS' at byte 0"; the protocol is the Decode
 * picker's, and "not valid STOMP: …" in full is the tooltip's and the detail pane's: in a narrow
 * column "not valid compressed payload: the …" left nothing of the problem itself), part of a
 * frame that continues later (muted), a frame not decoded yet ("…"), and
 * nothing for a frame the protocol does not cover (a ping, a close), unless the close cut short
 * what was under way (MQTT: "⚠ a close frame, which cuts short the PUBLISH …"). An answer (or
 * stream item) whose request the engine found is marked so it reads as one; an answer with the
 * time since its request, apart at the cell's right end so a long summary does not cut it: "↩
 * RECEIPT receipt-id=r-1   +3 ms". A stream item (a STOMP MESSAGE, a GraphQL next) has no latency
 * there: it is sent when something happens (often a later SEND caused it), so its time since the
 * subscribe is no response time; the tooltip says it, labelled so. Only then: the arrow promises a link, so an answer whose request is not
 * in the log shortly before it (a MESSAGE whose SUBSCRIBE came before the capture or far back, an
 * answer after a reconnect whose request went on the earlier connection) has none, its tooltip
 * saying why (the engine looks back REQUEST_WINDOW frames within the attempt: each row costs the
 * same however long the log). A frame the engine decoded without the frames
 * before it (`unread`: it had not read that far) is muted and marked "≈" (approximate); the
 * tooltip says what was not read and that the engine is reading it now, so a narrow column
 * does not cut the note off. A frame decoded without frames the store dropped from memory
 * (`withoutEvicted`: final, nothing will make it exact) is marked the same way, its tooltip saying
 * they are gone. An answer whose request is not known yet (`requestUnread`: a frame shortly
 * before it is still being read) has no latency yet; its tooltip says why.
 */
import { memberships, REQUEST_WINDOW } from '../../../src-main/shared/conversation-membership';
import type { DecodedFrame } from '../../../src-main/shared/decoding';
import type { FrameSummary } from '../../../src-main/shared/model';
import { evictedNote, unreadNote } from '../../../src-main/shared/unread-note';
import type { DecodedRow } from '../stores/decoding-store';
import { formatDuration } from '../util/format-duration';

export interface SummaryCell {
  text: string;
  /**
   * An answer's time since its request ("+23 ms"), shown apart at the cell's right end: appended
   * to the text (" · 23 ms") it was the first thing a narrow column cut. '' when there is none.
   */
  latency: string;
  tone: 'decoded' | 'invalid' | 'partial' | 'waiting' | 'unread' | 'none';
  /** The whole text, with the conversation it belongs to. */
  title: string;
}

/** `numberOf`: a frame's number as shown (an import's own number from its file), for the latency's `after #n`. */
export function summaryCell(frame: FrameSummary, row: DecodedRow | undefined, numberOf: (seq: number) => number = (seq) => seq): SummaryCell {
  // A control frame decodes to nothing, unless it cuts short what was under way (a close in the
  // middle of an MQTT packet): not valid, and said (no "…" while it is asked: most say nothing).
  if (frame.opcode !== 'text' && frame.opcode !== 'binary' && row?.kind !== 'invalid') return { text: '', latency: '', tone: 'none', title: '' };
  if (row === undefined) return { text: '…', latency: '', tone: 'waiting', title: 'Decoding…' };
  if (row === null) return { text: '', latency: '', tone: 'none', title: 'Nothing to decode in this frame' };
  const shown = shownSummary(row);
  if (row.unread) {
    const note = `${unreadNote(row.unread.framesBefore, row.unread.fromSeq)}: state they set may be missing; decoded again once the engine has read them`;
    return { text: `≈ ${shown}`, latency: '', tone: 'unread', title: `${row.summary}${note}` };
  }
  if (row.withoutEvicted) {
    const note = `${evictedNote(row.withoutEvicted.framesBefore, row.withoutEvicted.fromSeq)}: state they set may be missing`;
    return { text: `≈ ${shown}`, latency: '', tone: 'unread', title: `${row.summary}${note}` };
  }
  if (row.kind === 'invalid') return { text: shown, latency: '', tone: 'invalid', title: row.summary };
  const member = memberships(row.conversation);
  const answers = member.some((m) => m.role !== 'request');
  const answer = answers && row.answers ? '↩ ' : '';
  // Only an answer's time is a latency: a stream item's (no answer role) is its time since the subscribe.
  const answered = member.some((m) => m.role === 'answer');
  const latency = row.answers && answered ? `+${formatDuration(row.answers.latencyMs)}` : '';
  const after = !row.answers ? '' : answered ? `, ${formatDuration(row.answers.latencyMs)} after #${numberOf(row.answers.seq)}` : `, ${formatDuration(row.answers.latencyMs)} since its request #${numberOf(row.answers.seq)} (a stream item: not a response time)`;
  const waiting = row.requestUnread === true && !row.answers ? REQUEST_UNREAD_NOTE : '';
  const missing = answers && !row.answers && row.requestUnread !== true ? REQUEST_MISSING_NOTE : '';
  const roles = member.map((m) => `${m.role} in ${m.label}`).join(' and ');
  const title = member.length > 0 ? `${row.summary} — ${roles}${after}${waiting}${missing}` : `${row.summary}${waiting}`;
  return { text: `${answer}${row.summary}`, latency, tone: row.kind === 'partial' ? 'partial' : 'decoded', title };
}

/** Why an answer has no arrow: no request of its conversation where the engine looks (REQUEST_WINDOW frames back, this attempt). */
export const REQUEST_MISSING_NOTE = `; no request of it in the ${REQUEST_WINDOW} frames before it on this connection (sent before the capture began, further back, or before a reconnect)`;

/** Why an answer shows no latency yet: its request is among frames the engine is still reading. */
export const REQUEST_UNREAD_NOTE = '; its request is still being read (frames shortly before it), so no latency yet';

/** The cell's words: an invalid frame's problem first (its protocol is said elsewhere), else the summary. */
function shownSummary(row: DecodedFrame): string {
  return row.kind === 'invalid' && row.problem !== undefined ? `⚠ ${row.problem}` : row.summary;
}
