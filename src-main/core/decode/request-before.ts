/**
 * The request an answer answers: the latest frame before it, within a window and within its
 * reconnect attempt, that asks in the same conversation (conversation-of.ts; a frame in two
 * conversations, a STOMP SUBSCRIBE with a receipt, asks in both). Read back through the session's lazy decoding, so it
 * costs cache lookups for frames decoded on the way to the answer (the usual case: rows in view
 * are decoded in order) and a decode for the others; nothing is kept per session.
 *
 * Only exact answers link: a frame there whose decoding came back marked (decoded without the
 * frames before it, unread-answers.ts: checkpoints thinned past one walk) may name another
 * conversation, or hide the request, so meeting one before the request means no link yet, never
 * a link through a guess. That is said (`unread`: the answer's request is not known yet), since
 * the engine reads up to that frame at once (the cache's catch-up): the renderer asks the answer
 * again, as it does a marked row, and then it is linked. Before, an exact answer whose request
 * was met marked was shown without its latency until its row was asked again for another reason.
 */
import type { ConversationRef } from '../../shared/decoding';
import { membershipIn, memberships, REQUEST_WINDOW } from '../../shared/conversation-membership';
import { conversationOf } from './conversation-of';
import type { DecodeOutcome } from './decoded-frame';
import { isUnread } from './unread-answers';

export { REQUEST_WINDOW };

export interface RequestLookup {
  decodeAt(seq: number): DecodeOutcome | undefined;
  entry(seq: number): { dir: 'in' | 'out'; at: number } | undefined;
  readonly firstSeq: number;
  /**
   * The first frame of the reconnect attempt `seq` is in (undefined: the first attempt). A new
   * attempt is a new connection: its answers never answer a request of an earlier one (ids start
   * again: a RECEIPT r-1 after a reconnect is not the answer to the r-1 sent before it).
   */
  attemptStart?(seq: number): number | undefined;
}

/**
 * `found`: the request's seq; `unread`: a frame on the way back (`seq`) was decoded marked, so
 * whether the request is there is not known yet; undefined: none within the window.
 */
export type RequestLink = { kind: 'found'; seq: number } | { kind: 'unread'; seq: number };

/**
 * In each conversation the frame answers in (a ref has one, or two: `also`), the latest request
 * before it: the nearest of them links. A frame that only asks links to nothing.
 */
export function requestBefore(seq: number, ref: ConversationRef, lookup: RequestLookup, window = REQUEST_WINDOW): RequestLink | undefined {
  const keys = memberships(ref)
    .filter((m) => m.role !== 'request')
    .map((m) => m.key);
  if (keys.length === 0) return undefined;
  const stop = Math.max(lookup.firstSeq, seq - window, 1, lookup.attemptStart?.(seq) ?? 1);
  for (let s = seq - 1; s >= stop; s--) {
    const outcome = lookup.decodeAt(s);
    if (isUnread(outcome)) return { kind: 'unread', seq: s };
    const stored = outcome ? lookup.entry(s) : undefined;
    if (!outcome || !stored) continue;
    const other = conversationOf(outcome, stored.dir);
    if (keys.some((key) => membershipIn(other, key)?.role === 'request')) return { kind: 'found', seq: s };
  }
  return undefined;
}
