/**
 * The check of a `frames` event's envelope (everything but its summaries, which
 * frame-summary-check.ts checks one by one), written out by hand: it accepts exactly what
 * `framesEnvelopeSchema` accepts and gives the same fields back (unknown ones dropped, as zod
 * drops them); a test holds the two together on valid and broken envelopes. A page takes in a
 * hundred of these a second in a flood, and zod without `eval` (the page's CSP forbids it)
 * walks the up to 500 entries of `frames: z.array(z.unknown())` one by one and copies the list.
 */
import type { z } from 'zod';
import type { framesEnvelopeSchema } from '../../../src-main/shared/events';

export type FramesEnvelope = z.infer<typeof framesEnvelopeSchema>;

export type EnvelopeCheck = { ok: true; envelope: FramesEnvelope } | { ok: false; problem: string };

const isInt = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);

/** A frames event's envelope, or what is wrong with it as `field: problem`. */
export function checkFramesEnvelope(raw: unknown): EnvelopeCheck {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, problem: 'not an object' };
  const event = raw as Record<string, unknown>;
  const { type, sessionId, fromSeq, toSeq, dropped, frames } = event;
  if (type !== 'frames') return { ok: false, problem: 'type: not "frames"' };
  if (typeof sessionId !== 'string' || sessionId.length === 0) return { ok: false, problem: 'sessionId: not a non-empty string' };
  if (!isInt(fromSeq)) return { ok: false, problem: 'fromSeq: not a whole number' };
  if (toSeq !== undefined && !isInt(toSeq)) return { ok: false, problem: 'toSeq: not a whole number' };
  if (!isInt(dropped) || dropped < 0) return { ok: false, problem: 'dropped: not a whole number from 0' };
  if (!Array.isArray(frames)) return { ok: false, problem: 'frames: not a list' };
  const envelope: FramesEnvelope = { type, sessionId, fromSeq, dropped, frames };
  if (toSeq !== undefined) envelope.toSeq = toSeq;
  return { ok: true, envelope };
}
