/**
 * `frames:get` with `maxBytes`: a part of a stored frame's payload, read from the store without
 * encoding the rest (a 20 MiB frame's whole answer was 47 MiB of base64 and text). A text
 * frame's part ends before a character cut in two (UTF-8), so its base64 and text hold the
 * same bytes and the next part starts where this one ended.
 */
import type { FrameSummary } from '../shared/model';
import type { FramePartBody } from '../shared/payload-part';

/** What this needs of a session's frame store (core/session/frame-store.ts). */
export interface PartSource {
  page(fromSeq: number, limit: number): { frames: FrameSummary[] };
  payload(seq: number): Buffer | undefined;
  /** The whole body, for an edited frame's original (rare: only when the summary says there is one). */
  get(seq: number): { original?: { base64: string; text?: string } } | undefined;
}

export function payloadPart(frames: PartSource, seq: number, offset: number, maxBytes: number): FramePartBody | undefined {
  const frame = frames.page(seq, 1).frames[0];
  const payload = frames.payload(seq);
  if (!frame || frame.seq !== seq || !payload) return undefined;
  const text = frame.opcode === 'text';
  const start = text ? characterStart(payload, Math.min(offset, payload.length)) : Math.min(offset, payload.length);
  const end = partEnd(payload, start, maxBytes, text);
  const bytes = payload.subarray(start, end);
  const body: FramePartBody = {
    frame,
    base64: bytes.toString('base64'),
    ...(text ? { text: bytes.toString('utf8') } : {}),
    part: { offset: start, bytes: bytes.length, totalBytes: payload.length },
  };
  if (frame.intercept?.originalSize === undefined) return body;
  const original = frames.get(seq)?.original;
  if (!original) return body;
  const whole = Buffer.from(original.base64, 'base64');
  if (whole.length <= maxBytes) return { ...body, original };
  const cut = whole.subarray(0, partEnd(whole, 0, maxBytes, text));
  return {
    ...body,
    original: { base64: cut.toString('base64'), ...(text ? { text: cut.toString('utf8') } : {}) },
    part: { offset: start, bytes: bytes.length, totalBytes: payload.length, originalTotalBytes: whole.length },
  };
}

/** The end of a part of at most maxBytes from start; for text, not inside a character (unless one character is longer than the part). */
export function partEnd(payload: Buffer, start: number, maxBytes: number, text: boolean): number {
  const end = Math.min(payload.length, start + maxBytes);
  if (!text || end === payload.length) return end;
  const back = characterStart(payload, end);
  return back > start ? back : end;
}

/** `at`, or the start of the UTF-8 character it falls inside (a continuation byte is 10xxxxxx; at most 3 of them). */
function characterStart(payload: Buffer, at: number): number {
  let i = at;
  while (i > 0 && at - i < 3 && ((payload[i] ?? 0) & 0xc0) === 0x80) i -= 1;
  return ((payload[i] ?? 0) & 0xc0) === 0x80 ? at : i;
}
