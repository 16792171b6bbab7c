/**
 * A frame's conversations (shared/decoding.ts ConversationRef: one, or two with `also`) as every
 * consumer reads them: the engine's "follow this conversation" search, the request an answer
 * answers, the detail pane's rows and the log's summary. One place, so none honours only the first.
 */
import type { ConversationMembership, ConversationRef } from './decoding';

/**
 * How far back (frames) the engine looks for an answer's request (core/decode/request-before.ts),
 * within the answer's connection attempt; the log says so of an answer it found none for.
 */
export const REQUEST_WINDOW = 256;

/** Each conversation the frame belongs to, its first (the ref itself) first. */
export function memberships(ref: ConversationRef | undefined): ConversationMembership[] {
  if (ref === undefined) return [];
  const first = { key: ref.key, role: ref.role, label: ref.label };
  return ref.also === undefined ? [first] : [first, ref.also];
}

/** The frame's place in the conversation with this key (undefined: not in it). */
export function membershipIn(ref: ConversationRef | undefined, key: string): ConversationMembership | undefined {
  if (ref === undefined) return undefined;
  if (ref.key === key) return { key: ref.key, role: ref.role, label: ref.label };
  return ref.also?.key === key ? ref.also : undefined;
}
