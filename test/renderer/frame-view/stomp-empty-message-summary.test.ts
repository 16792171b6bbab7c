/**
 * The log's Summary cell for an empty STOMP message with nothing under way, as the engine's row
 * gives it (test/unit/decode/stomp-empty-message.test.ts: a decoded row): the summary in the
 * decoded tone, not the muted tone of a part of a frame.
 */
import { describe, expect, it } from 'vitest';
import type { DecodedFrame } from '../../../src-main/shared/decoding';
import { summaryCell } from '../../../src-renderer/src/frame-view/decoded-summary';
import { frame } from '../stores/frame-fixtures';

const EMPTY_MESSAGE = 'empty message (no STOMP frame, and not a heart-beat: a heart-beat is an end of line, LF or CR LF)';

describe('the Summary cell of an empty STOMP message', () => {
  it('says what it is in the decoded tone', () => {
    const row: DecodedFrame = { seq: 2, kind: 'decoded', protocol: 'stomp', summary: EMPTY_MESSAGE };
    expect(summaryCell(frame(2, { opcode: 'text', dir: 'in' }), row)).toMatchObject({ text: EMPTY_MESSAGE, tone: 'decoded' });
  });
});
