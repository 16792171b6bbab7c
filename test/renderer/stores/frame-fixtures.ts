/** Frame summaries and `frames` events for renderer tests. */
import type { EngineEventOf } from '../../../src-main/shared/events';
import type { FrameSummary } from '../../../src-main/shared/model';

/** A frame with seq n: alternating directions, text unless told otherwise. */
export function frame(seq: number, over: Partial<FrameSummary> = {}): FrameSummary {
  return {
    seq,
    dir: seq % 2 === 0 ? 'in' : 'out',
    opcode: 'text',
    at: Date.UTC(2024, 4, 1, 10, 0, 0) + seq,
    size: 10,
    preview: `message ${seq}`,
    truncated: false,
    ...over,
  };
}

/** Frames first..last (inclusive) shaped by `shape`. */
export function frames(first: number, last: number, shape: (seq: number) => Partial<FrameSummary> = () => ({})): FrameSummary[] {
  const out: FrameSummary[] = [];
  for (let seq = first; seq <= last; seq++) out.push(frame(seq, shape(seq)));
  return out;
}

export function batch(sessionId: string, list: FrameSummary[], dropped = 0): EngineEventOf<'frames'> {
  return { type: 'frames', sessionId, fromSeq: list[0]?.seq ?? 1, frames: list, dropped };
}
