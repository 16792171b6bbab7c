/**
 * An empty WebSocket message in a STOMP direction with nothing under way carries no STOMP bytes:
 * no frame, and no heart-beat (an EOL). It is decoded as that (stomp-decoder.ts EMPTY_MESSAGE,
 * with no frames), not as "part of a STOMP frame (0 B so far …)": in the decoder, in what the
 * engine answers the log and the detail pane (frames:decode: a decoded row, so no "Part of a
 * STOMP frame that continues…" note; the log's cell for that row: test/renderer/frame-view/
 * stomp-empty-message-summary.test.ts), and in the CLI's human and --json output. Inside a frame
 * under way (or after a heart-beat's CR) it is still part of what is under way (partial, the same
 * value, the frame assembled as before) but says it is empty, live and once the session ended.
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
import { binaryFrame, textFrame } from './wire';

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

  it('inside a frame under way it is still part of that frame, said as an empty message; a kept CR stays a heart-beat’s', () => {
    const decoder = new StompDecoder();
    decoder.decode(textFrame('SEND\ndestination:/q\n', 'out'));
    const inside = decoder.decode(textFrame('', 'out'));
    expect(inside).toMatchObject({ kind: 'partial', protocol: 'stomp', summary: 'empty message (inside a STOMP frame, 20 B so far, continues in a later message)', value: { continues: true, bytesSoFar: 20 } });
    if (!inside) throw new Error('no answer');
    // The last of its direction once the session ended: the SEND never ended.
    expect(endedAnswer(inside).summary).toBe('not valid STOMP: empty message (inside a STOMP SEND: 20 B of it arrived; the session ended before the rest)');
    // Several in a row, then a non-empty part: the counts go on as before, the frame is whole.
    expect(decoder.decode(textFrame('', 'out'))?.summary).toBe('empty message (inside a STOMP frame, 20 B so far, continues in a later message)');
    expect(decoder.decode(textFrame('x-a:1\n', 'out'))).toMatchObject({ kind: 'partial', summary: 'part of a STOMP frame (26 B so far, continues in a later message)' });
    expect(decoder.decode(binaryFrame([], 'out'))?.summary).toBe('empty message (inside a STOMP frame, 26 B so far, continues in a later message)');
    expect(decoder.decode(textFrame('\nhi\u0000', 'out'))).toMatchObject({ kind: 'decoded', summary: 'SEND /q 2 B', value: { headers: { destination: '/q', 'x-a': '1' }, body: 'hi' } });
    expect(decoder.idle('out')).toBe(true);
    // Before the command line is whole, the ended words say "frame".
    decoder.decode(textFrame('MESS', 'in'));
    const early = decoder.decode(textFrame('', 'in'));
    if (!early) throw new Error('no answer');
    expect(endedAnswer(early).summary).toBe('not valid STOMP: empty message (inside a STOMP frame: 4 B of it arrived; the session ended before the rest)');
    // A content-length body waiting for its bytes (the kept chunks are not parsed again).
    const withLength = new StompDecoder();
    withLength.decode(textFrame('MESSAGE\ndestination:/t\ncontent-length:4\n\nab', 'in'));
    expect(withLength.decode(textFrame('', 'in'))?.summary).toBe('empty message (inside a STOMP frame, 43 B so far, continues in a later message)');
    expect(withLength.decode(textFrame('\u0000d\u0000', 'in'))).toMatchObject({ kind: 'decoded', value: { body: 'ab\u0000d' } });
    // A kept CR: the heart-beat's LF still ends it.
    decoder.decode(textFrame('\r', 'out'));
    const afterCr = decoder.decode(textFrame('', 'out'));
    expect(afterCr).toMatchObject({ kind: 'partial', summary: 'empty message (after the CR of a heart-beat, its LF in a later message)', value: { continues: true, bytesSoFar: 1 } });
    if (!afterCr) throw new Error('no answer');
    expect(endedAnswer(afterCr).summary).toBe('not valid STOMP: empty message (after the CR of a heart-beat; the session ended before its LF)');
    expect(decoder.decode(textFrame('\n', 'out'))?.summary).toBe('heart-beat');
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
