/**
 * A conversation's frames as the detail pane lists them: each with its role (request, answer,
 * stream) and, for an answer or a stream item, the latency since the request it answers (the
 * latest request before it; a retried request restarts the clock). Frames the engine could not
 * decode any more (evicted meanwhile) keep their place with their preview; one it decoded without
 * the frames before it reads "≈ …", as in the log. A frame in two conversations (a STOMP SUBSCRIBE
 * with a receipt) has its role in the one listed (`key`).
 */
import { membershipIn } from '../../../src-main/shared/conversation-membership';
import type { DecodedFrame } from '../../../src-main/shared/decoding';
import type { FrameSummary } from '../../../src-main/shared/model';

export interface ConversationRow {
  seq: number;
  dir: 'in' | 'out';
  role: 'request' | 'answer' | 'stream' | '';
  summary: string;
  /** Since the request it answers (null: a request, or no request before it). */
  latencyMs: number | null;
}

export function conversationRows(frames: readonly FrameSummary[], decoded: ReadonlyMap<number, DecodedFrame>, key: string): ConversationRow[] {
  const sorted = [...frames].sort((a, b) => a.seq - b.seq);
  let requestAt: number | null = null;
  return sorted.map((frame) => {
    const d = decoded.get(frame.seq);
    const role = membershipIn(d?.conversation, key)?.role ?? '';
    let latencyMs: number | null = null;
    if (role === 'request') requestAt = frame.at;
    else if (requestAt !== null) latencyMs = Math.max(0, frame.at - requestAt);
    // Decoded without the frames before it (not read yet, or dropped from memory): marked as the log marks it.
    const summary = d ? `${d.unread || d.withoutEvicted ? '≈ ' : ''}${d.summary}` : frame.preview;
    return { seq: frame.seq, dir: frame.dir, role, summary, latencyMs };
  });
}
