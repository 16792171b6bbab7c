/**
 * The request an answer answers: the latest frame before it, within a window, that asks in the
 * same conversation (conversation-of.ts). Read back through the session's lazy decoding, so it
 * costs cache lookups for frames decoded on the way to the answer (the usual case: rows in view
 * are decoded in order) and a decode for the others; nothing is kept per session.
 *
 * Only exact answers link: a frame there whose decoding came back marked (decoded without the
 * frames before it, unread-answers.ts: checkpoints thinned past one walk) may name another
 * conversation, or hide the request, so meeting one before the request means no link (not known
 * yet), never a link through a guess.
 */
import type { ConversationRef } from '../../shared/decoding';
import { conversationOf } from './conversation-of';
import type { DecodeOutcome } from './decoded-frame';
import { isUnread } from './unread-answers';

/** How far back an answer's request is looked for (frames). */
export const REQUEST_WINDOW = 256;

export interface RequestLookup {
  decodeAt(seq: number): DecodeOutcome | undefined;
  entry(seq: number): { dir: 'in' | 'out'; at: number } | undefined;
  readonly firstSeq: number;
}

export function requestBefore(seq: number, ref: ConversationRef, lookup: RequestLookup, window = REQUEST_WINDOW): number | undefined {
  if (ref.role === 'request') return undefined;
  const stop = Math.max(lookup.firstSeq, seq - window, 1);
  for (let s = seq - 1; s >= stop; s--) {
    const outcome = lookup.decodeAt(s);
    if (isUnread(outcome)) return undefined;
    const stored = outcome ? lookup.entry(s) : undefined;
    if (!outcome || !stored) continue;
    const other = conversationOf(outcome, stored.dir);
    if (other?.key === ref.key && other.role === 'request') return s;
  }
  return undefined;
}
