/**
 * A conversation's frames as the detail pane lists them: each with its role (request, answer,
 * stream) and, for an answer, the latency since the request it answers (the latest request before
 * it in the same reconnect attempt; a retried request, an MQTT PUBREL, restarts the clock). A
 * stream item (a STOMP MESSAGE, a GraphQL next, a SignalR StreamItem) is not an answer: it is sent
 * when something happens (often another frame, a SEND, caused it), so its time since the
 * subscribe is no response time; it is kept apart (`sinceRequestMs`), never shown as a latency.
 * A conversation's key (an operation id, a receipt) can come back after a reconnect, yet a new
 * attempt is a new connection: an answer there never answers an earlier attempt's request (the
 * engine's link stops at the attempt's start too, core/decode/request-before.ts), so such an
 * answer has no latency and names the request's attempt instead. Frames the engine could not
 * decode any more (evicted meanwhile) keep their place with their preview; one it decoded without
 * the frames before it reads "≈ …", as in the log. A frame in two conversations (a STOMP SUBSCRIBE
 * with a receipt) has its role in the one listed (`key`).
 */
import type { AttemptRecord } from '../../../src-main/shared/attempts';
import { membershipIn } from '../../../src-main/shared/conversation-membership';
import type { DecodedFrame } from '../../../src-main/shared/decoding';
import type { FrameSummary } from '../../../src-main/shared/model';
import { attemptOfFrame } from '../util/attempt-of-frame';

export interface ConversationRow {
  seq: number;
  dir: 'in' | 'out';
  role: 'request' | 'answer' | 'stream' | '';
  summary: string;
  /** The reconnect attempt the frame is in (1 when the connection never reconnected). */
  attempt: number;
  /** Since the request it answers, in its attempt (null: a request, a stream item, or no request before it in its attempt). */
  latencyMs: number | null;
  /** A stream item: the time since its request (the subscribe) in its attempt; not a latency. null otherwise. */
  sinceRequestMs: number | null;
  /** No request before it in its attempt, but one in an earlier attempt: that one (no latency across a reconnect). */
  requestElsewhere: { seq: number; attempt: number } | null;
}

export function conversationRows(frames: readonly FrameSummary[], decoded: ReadonlyMap<number, DecodedFrame>, key: string, attempts: readonly AttemptRecord[] = []): ConversationRow[] {
  const sorted = [...frames].sort((a, b) => a.seq - b.seq);
  let request: { seq: number; at: number; attempt: number } | null = null;
  return sorted.map((frame) => {
    const d = decoded.get(frame.seq);
    const role = membershipIn(d?.conversation, key)?.role ?? '';
    const attempt = attemptOfFrame(frame.seq, attempts);
    let latencyMs: number | null = null;
    let sinceRequestMs: number | null = null;
    let requestElsewhere: ConversationRow['requestElsewhere'] = null;
    if (role === 'request') request = { seq: frame.seq, at: frame.at, attempt };
    else if (request !== null && request.attempt === attempt) {
      const since = Math.max(0, frame.at - request.at);
      if (role === 'stream') sinceRequestMs = since;
      else latencyMs = since;
    }
    else if (request !== null) requestElsewhere = { seq: request.seq, attempt: request.attempt };
    // Decoded without the frames before it (not read yet, or dropped from memory): marked as the log marks it.
    const summary = d ? `${d.unread || d.withoutEvicted ? '≈ ' : ''}${d.summary}` : frame.preview;
    return { seq: frame.seq, dir: frame.dir, role, summary, attempt, latencyMs, sinceRequestMs, requestElsewhere };
  });
}

/**
 * What the list says of the request of frame `seq` (an answer or stream item in it):
 * `here`: one before it in its attempt; `elsewhere`: none in its attempt, the latest before it
 * is in an earlier one; `none`: the log has none before it; null: not known (the list is cut
 * before reaching the frame). The list starts at the log's first frame of the conversation, so
 * when it reaches the frame (or holds all of them) it has every request before it.
 */
export type RequestPlace = { kind: 'here' } | { kind: 'elsewhere'; seq: number; attempt: number } | { kind: 'none' };

export function requestPlace(rows: readonly ConversationRow[], seq: number, more: boolean, attempts: readonly AttemptRecord[] = []): RequestPlace | null {
  const mine = rows.findIndex((row) => row.seq === seq);
  const before = mine >= 0 ? rows.slice(0, mine) : more ? null : rows.filter((row) => row.seq < seq);
  if (before === null) return null;
  const attempt = attemptOfFrame(seq, attempts);
  const latest = before.findLast((row) => row.role === 'request');
  if (latest === undefined) return { kind: 'none' };
  return latest.attempt === attempt ? { kind: 'here' } : { kind: 'elsewhere', seq: latest.seq, attempt: latest.attempt };
}
