/**
 * An empty WebSocket message in a STOMP direction with nothing under way carries no STOMP bytes:
 * no frame, and no heart-beat (an EOL). It is decoded as that (stomp-decoder.ts EMPTY_MESSAGE,
 * with no frames), not as "part of a STOMP frame (0 B so far …)": in the decoder, in what the
 * engine answers the log and the detail pane (frames:decode: a decoded row, so no "Part of a
 * STOMP frame that continues…" note; the log's cell for that row: test/renderer/frame-view/
 * stomp-empty-message-summary.test.ts), and in the CLI's human and --json output. Inside a frame under way it is still part of that frame.
 */
import { describe, expect, it } from 'vitest';
import { DecodeCommands } from '../../../src-main/core/decode-commands';
import { EMPTY_MESSAGE, StompDecoder } from '../../../src-main/core/decode/stomp-decoder';
import { endedAnswer } from '../../../src-main/core/decode/session-end';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { CliFrameDecoding, decodedJson } from '../../../src-main/cli/frame-decoding';
import { formatFrame, choosePalette } from '../../../src-main/cli/human-output';
import { Scrubber } from '../../../src-main/cli/scrub';
import type { FrameSummary } from '../../../src-main/shared/model';
import { textFrame } from './wire';

describe('STOMP: an empty message while nothing is under way', () => {
  it('is decoded as an empty message with no frames, the same once the session ended', () => {
    const decoder = new StompDecoder();
    const empty = decoder.decode(textFrame('', 'in'));
    expect(empty).toEqual({ kind: 'decoded', protocol: 'stomp', summary: EMPTY_MESSAGE, value: { frames: [] } });
    expect(EMPTY_MESSAGE).toBe('empty message (no STOMP frame, and not a heart-beat: a heart-beat is an end of line, LF or CR LF)');
    if (!empty) throw new Error('no answer');
    // Nothing was under way, so nothing never came.
    expect(endedAnswer(empty)).toEqual(empty);
    expect(decoder.idle('in')).toBe(true);
    // Binary too, in either direction, and between whole frames.
    expect(decoder.decode({ seq: 2, dir: 'out', opcode: 'binary', bytes: new Uint8Array(0) })?.summary).toBe(EMPTY_MESSAGE);
    expect(decoder.decode(textFrame('RECEIPT\nreceipt-id:1\n\n\u0000', 'in'))?.summary).toBe('RECEIPT receipt-id=1');
    expect(decoder.decode(textFrame('', 'in'))?.summary).toBe(EMPTY_MESSAGE);
  });

  it('inside a frame under way it is still part of that frame, and a kept CR stays a heart-beat’s', () => {
    const decoder = new StompDecoder();
    decoder.decode(textFrame('SEND\ndestination:/q\n', 'out'));
    expect(decoder.decode(textFrame('', 'out'))).toMatchObject({ kind: 'partial', summary: 'part of a STOMP frame (20 B so far, continues in a later message)' });
    expect(decoder.decode(textFrame('\nhi\u0000', 'out'))).toMatchObject({ kind: 'decoded', summary: 'SEND /q 2 B', value: { body: 'hi' } });
    decoder.decode(textFrame('\r', 'in'));
    expect(decoder.decode(textFrame('', 'in'))).toMatchObject({ kind: 'partial', summary: 'the CR of a heart-beat (CR LF), its LF in a later message' });
    expect(decoder.decode(textFrame('\n', 'in'))?.summary).toBe('heart-beat');
  });

  it('reads the same in the engine’s rows and detail and the CLI', async () => {
    const store = new FrameStore({});
    store.push('out', 'text', Buffer.from('SEND\ndestination:/q\n\nhi\u0000'));
    store.push('in', 'text', Buffer.alloc(0));
    store.seal();
    const session = { id: 's', url: 'ws://h/stomp', frames: store, handshakeSteps: () => [], attempts: () => [] };
    const decodes = new DecodeCommands();
    const chosen = decodes.state(session, { sessionId: 's', choice: 'stomp' });
    if (!chosen.ok) throw new Error(chosen.error.message);
    for (const values of [false, true]) {
      const answer = decodes.decode(session, { sessionId: 's', seqs: [2], values });
      if (!answer.ok) throw new Error(answer.error.message);
      const frame = answer.value.frames[0];
      expect(frame).toMatchObject({ seq: 2, kind: 'decoded', summary: EMPTY_MESSAGE });
      if (values) expect(frame?.value).toEqual({ frames: [] });
    }
    const summary: FrameSummary = { seq: 2, dir: 'in', opcode: 'text', at: 0, size: 0, preview: '', truncated: false };

    const cli = new CliFrameDecoding('stomp', () => undefined, () => undefined);
    const outcome = await cli.decode(summary);
    expect(outcome).toMatchObject({ kind: 'decoded', summary: EMPTY_MESSAGE });
    if (!outcome) throw new Error('no outcome');
    // In colour a partial answer is dimmed: this line is not (the summary ends it as it is).
    const colour = choosePalette(true, {});
    expect(formatFrame(summary, colour, outcome).endsWith(`0 B  ${EMPTY_MESSAGE}`)).toBe(true);
    const json = JSON.parse(decodedJson(outcome, undefined, 'in', new Scrubber([])).slice(',"decoded":'.length)) as Record<string, unknown>;
    expect(json).toMatchObject({ protocol: 'stomp', summary: EMPTY_MESSAGE, value: { frames: [] } });
    expect(json).not.toHaveProperty('partial');
  });
});
