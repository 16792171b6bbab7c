/**
 * The hand check of a frames event's envelope accepts exactly what the contract's
 * framesEnvelopeSchema accepts, gives the same fields back, and says what is wrong and where.
 */
import { describe, expect, it } from 'vitest';
import { framesEnvelopeSchema } from '../../../src-main/shared/events';
import { checkFramesEnvelope } from '../../../src-renderer/src/bridge/frames-envelope-check';

const FRAME = { seq: 1, dir: 'in', opcode: 'text', at: 1, size: 2, preview: 'hi', truncated: false };
const VALID = { type: 'frames', sessionId: 's1', fromSeq: 1, toSeq: 1, dropped: 0, frames: [FRAME] };

const cases: [string, unknown, string | null][] = [
  ['a valid envelope', VALID, null],
  ['one without toSeq (older producers)', { ...VALID, toSeq: undefined }, null],
  ['one with an extra field (dropped, as zod drops it)', { ...VALID, extra: 1 }, null],
  ['an empty frames list', { ...VALID, frames: [] }, null],
  ['frames that are not summaries (checked apart)', { ...VALID, frames: [1, 'x'] }, null],
  ['a negative fromSeq (zod allows it)', { ...VALID, fromSeq: -3 }, null],
  ['null', null, 'not an object'],
  ['a list', [VALID], 'not an object'],
  ['another event type', { ...VALID, type: 'frames-skipped' }, 'type'],
  ['no session', { ...VALID, sessionId: '' }, 'sessionId'],
  ['a session that is a number', { ...VALID, sessionId: 7 }, 'sessionId'],
  ['a fractional fromSeq', { ...VALID, fromSeq: 1.5 }, 'fromSeq'],
  ['a fromSeq past the safe integers', { ...VALID, fromSeq: 2 ** 60 }, 'fromSeq'],
  ['a fromSeq as text', { ...VALID, fromSeq: '1' }, 'fromSeq'],
  ['a toSeq that is not a number', { ...VALID, toSeq: null }, 'toSeq'],
  ['a negative dropped', { ...VALID, dropped: -1 }, 'dropped'],
  ['dropped missing', { ...VALID, dropped: undefined }, 'dropped'],
  ['frames not a list', { ...VALID, frames: 'many' }, 'frames'],
  ['frames missing', { ...VALID, frames: undefined }, 'frames'],
];

describe('checkFramesEnvelope', () => {
  it.each(cases)('%s: as the schema says', (_what, raw, problemAt) => {
    const checked = checkFramesEnvelope(raw);
    const parsed = framesEnvelopeSchema.safeParse(raw);
    expect(checked.ok).toBe(parsed.success);
    if (checked.ok && parsed.success) {
      expect(checked.envelope).toEqual(parsed.data);
      expect(Object.keys(checked.envelope).sort()).toEqual(Object.keys(parsed.data).filter((key) => key in checked.envelope).sort());
    }
    if (!checked.ok) expect(checked.problem).toContain(problemAt ?? 'nothing expected');
  });
});
