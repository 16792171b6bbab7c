/**
 * The log's Summary cell for MQTT's problems as the engine gives them (test/unit/engine/
 * mqtt-not-valid-rows.test.ts has the engine's rows): a text frame's in the warning tone with the
 * whole problem as its title, the last message of a packet that never ends muted with how much
 * arrived; a close frame that cut a packet short says so too (in the warning tone), and a close
 * or ping with nothing to say stays empty.
 */
import { describe, expect, it } from 'vitest';
import type { DecodedFrame } from '../../../src-main/shared/decoding';
import { summaryCell } from '../../../src-renderer/src/frame-view/decoded-summary';
import { frame } from '../stores/frame-fixtures';

const TEXT_PROBLEM = 'a text frame (MQTT over WebSocket is sent in binary frames only), which cuts short the PUBLISH under way in this direction: 4 of the 24 B after its fixed header arrived';
const CLOSE_PROBLEM = 'a close frame, which cuts short the PUBLISH under way in this direction: 7 of the 24 B after its fixed header arrived';

describe('the Summary cell of MQTT problems', () => {
  it('shows a text frame as not valid, the start of a packet with what arrived, and the close that cut it short', () => {
    const text: DecodedFrame = { seq: 3, kind: 'invalid', protocol: 'mqtt', summary: `not valid MQTT: ${TEXT_PROBLEM}`, problem: TEXT_PROBLEM };
    const cell = summaryCell(frame(3, { opcode: 'text', dir: 'in' }), text);
    expect(cell).toMatchObject({ tone: 'invalid', title: `not valid MQTT: ${TEXT_PROBLEM}` });
    expect(cell.text).toContain('a text frame (MQTT over WebSocket is sent in binary frames only)');
    const partial: DecodedFrame = { seq: 5, kind: 'partial', protocol: 'mqtt', summary: 'part of an MQTT PUBLISH: 7 of the 24 B after its fixed header so far (continues in a later message)' };
    expect(summaryCell(frame(5, { opcode: 'binary', dir: 'in' }), partial)).toMatchObject({ text: partial.summary, tone: 'partial' });
    const close: DecodedFrame = { seq: 6, kind: 'invalid', protocol: 'mqtt', summary: `not valid MQTT: ${CLOSE_PROBLEM}`, problem: CLOSE_PROBLEM };
    expect(summaryCell(frame(6, { opcode: 'close', dir: 'in' }), close)).toMatchObject({ text: `⚠ ${CLOSE_PROBLEM}`, tone: 'invalid', title: `not valid MQTT: ${CLOSE_PROBLEM}` });
    // A close or ping with nothing to say, or not asked yet: empty, never "…".
    expect(summaryCell(frame(7, { opcode: 'close', dir: 'out' }), null)).toMatchObject({ text: '', tone: 'none' });
    expect(summaryCell(frame(8, { opcode: 'ping', dir: 'in' }), undefined)).toMatchObject({ text: '', tone: 'none' });
  });
});
