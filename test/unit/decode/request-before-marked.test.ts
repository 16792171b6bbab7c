/**
 * requestBefore (an answer's request, for its latency) reads the frames before the answer through
 * the session's lazy decoding. With checkpoints thinned past MAX_WALK_FRAMES apart (a tight memory
 * budget), a frame there may come back marked (decoded with only the 64 frames before it), while
 * the answer itself is exact (a checkpoint just before it). A marked answer's conversation may be
 * wrong: here a STOMP 1.0 session (no header escapes, from its CONNECTED) read as 1.2 unescapes
 * `receipt:a\\b` to `a\b`, the receipt the answer names, and the answer was linked to it. Linked
 * only through exact answers: an exact request, with no marked frame between it and the answer.
 * Meeting a marked frame first is said (`unread`): through `frames:decode` the answer carries
 * `requestUnread`, so the renderer asks it again, and once the engine's catch-up has read that
 * far it is linked, with its latency (before, it stayed without one until its row was fetched
 * again for another reason).
 */
import { describe, expect, it } from 'vitest';
import { conversationOf } from '../../../src-main/core/decode/conversation-of';
import type { WireFrame } from '../../../src-main/core/decode/decoded-frame';
import { DecoderCheckpoints } from '../../../src-main/core/decode/decoder-checkpoints';
import { FrameDecodeCache, isUnread, MAX_WALK_FRAMES } from '../../../src-main/core/decode/frame-decode-cache';
import { requestBefore, type RequestLookup } from '../../../src-main/core/decode/request-before';
import { StompDecoder } from '../../../src-main/core/decode/stomp-decoder';
import { DecodeCommands } from '../../../src-main/core/decode-commands';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { fixtureSession } from '../export/log-fixture';

const TOTAL = 20_000;
/** Where the checkpoints end up once thinned to two (1, then 16,385: 16,384 apart). */
const CHECKPOINT = 16_385;
const TRUE_REQUEST = CHECKPOINT - 8;
const LOOKALIKE = CHECKPOINT - 5;
const ANSWER = CHECKPOINT + 5;

function stream(): WireFrame[] {
  const frames: WireFrame[] = [];
  const text = (dir: WireFrame['dir'], value: string): void => {
    frames.push({ seq: frames.length + 1, dir, opcode: 'text', bytes: new Uint8Array(Buffer.from(value, 'utf8')) });
  };
  text('out', 'CONNECT\naccept-version:1.0\nhost:far\n\n\0');
  text('in', 'CONNECTED\nversion:1.0\n\n\0');
  while (frames.length < TOTAL) {
    const seq = frames.length + 1;
    // STOMP 1.0 takes backslashes as they are: the true request asks for receipt `a\b`, the
    // lookalike for `a\\b` (which 1.2 would read as `a\b`); the answer names `a\b`.
    if (seq === TRUE_REQUEST) text('out', 'SEND\ndestination:/q\nreceipt:a\\b\n\n\0');
    else if (seq === LOOKALIKE) text('out', 'SEND\ndestination:/q\nreceipt:a\\\\b\n\n\0');
    else if (seq === ANSWER) text('in', 'RECEIPT\nreceipt-id:a\\b\n\n\0');
    else if (seq % 2 === 0) text('in', `MESSAGE\ndestination:/t\nsubscription:0\nmessage-id:${seq}\n\n{"n":${seq}}\0`);
    else text('out', `SEND\ndestination:/q\n\n{"n":${seq}}\0`);
  }
  return frames;
}

/** The session's decoding as requestBefore reads it (a frame's time: its seq). */
function lookupOf(cache: FrameDecodeCache, read: (seq: number) => WireFrame | undefined): RequestLookup {
  return {
    decodeAt: (seq) => cache.decodeAt(seq),
    entry: (seq) => {
      const frame = read(seq);
      return frame ? { dir: frame.dir, at: seq } : undefined;
    },
    firstSeq: 1,
  };
}

describe('an answer’s request with checkpoints thinned past one walk', () => {
  it('is never a frame whose decoding was marked', () => {
    const frames = stream();
    const read = (seq: number): WireFrame | undefined => frames[seq - 1];
    // At most two checkpoints: thinned (as by the memory budget) to one every 16,384 frames.
    const checkpoints = new DecoderCheckpoints(() => 1, 1024, 2);
    const cache = new FrameDecodeCache(() => new StompDecoder(), read, 300, undefined, () => 1, checkpoints);
    cache.decodeExactly(TOTAL);
    expect(checkpoints.nearest(ANSWER)?.seq).toBe(CHECKPOINT);
    expect(checkpoints.nearest(LOOKALIKE)?.seq).toBe(1);
    expect(LOOKALIKE - 1).toBeGreaterThan(MAX_WALK_FRAMES);

    const answer = cache.decodeAt(ANSWER);
    const ref = answer ? conversationOf(answer, 'in') : undefined;
    expect(isUnread(answer)).toBe(false);
    expect(ref).toEqual({ key: 'stomp receipt a\\b', role: 'answer', label: 'receipt a\\b' });
    if (!ref) return;
    const lookup = lookupOf(cache, read);
    const linked = requestBefore(ANSWER, ref, lookup);
    // The lookalike's decoding was marked (no CONNECTED 1.0 in the 64 frames before it): it is not the request.
    expect(isUnread(cache.decodeAt(LOOKALIKE))).toBe(true);
    expect(linked).not.toBe(LOOKALIKE);
    // Nor is the true request, read only marked too: not known yet, so no link, and that is said
    // (the first frame met marked, going back: the one just before the answer's checkpoint).
    expect(linked).toEqual({ kind: 'unread', seq: CHECKPOINT - 1 });
  });

  it('an exact request is still linked', () => {
    const frames = stream();
    const read = (seq: number): WireFrame | undefined => frames[seq - 1];
    const cache = new FrameDecodeCache(() => new StompDecoder(), read, 300, undefined, () => 1, new DecoderCheckpoints(() => 1));
    cache.decodeExactly(TOTAL);
    const answer = cache.decodeAt(ANSWER);
    const ref = answer ? conversationOf(answer, 'in') : undefined;
    if (!ref) throw new Error('no conversation');
    const lookup = lookupOf(cache, read);
    expect(requestBefore(ANSWER, ref, lookup)).toEqual({ kind: 'found', seq: TRUE_REQUEST });
  });

  it('through frames:decode: the exact answer says its request is not known yet, and asked again after the catch-up, it has its latency', async () => {
    const store = new FrameStore();
    // A frame's time: its seq, in ms.
    for (const frame of stream()) store.push(frame.dir, 'text', Buffer.from(frame.bytes), undefined, frame.seq);
    const session = { ...fixtureSession({ frames: store, steps: [], url: 'ws://far.test/' }), id: 'far' };
    const commands = new DecodeCommands(300);
    expect(commands.state(session, { sessionId: 'far', choice: 'stomp' }).ok).toBe(true);
    const rowOf = (seq: number) => {
      const decoded = commands.decode(session, { sessionId: 'far', seqs: [seq], values: false });
      return decoded.ok ? decoded.value.frames[0] : undefined;
    };
    const turn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));
    // The last frame, far ahead: marked until the catch-up has walked there, leaving checkpoints.
    for (let i = 0; i < 100 && rowOf(TOTAL)?.unread !== undefined; i++) await turn();
    expect(rowOf(TOTAL)?.unread).toBeUndefined();
    // Thinned (as by the memory budget of every session's checkpoints) to 1 and 16,385.
    const checkpoints = commands.rowCheckpoints('far')('stomp');
    for (let i = 0; i < 4; i++) checkpoints?.thinOnce();
    expect(checkpoints?.nearest(ANSWER)?.seq).toBe(CHECKPOINT);
    expect(checkpoints?.nearest(TRUE_REQUEST)?.seq).toBe(1);

    const first = rowOf(ANSWER);
    expect(first).toMatchObject({ seq: ANSWER, kind: 'decoded', conversation: { role: 'answer', key: 'stomp receipt a\\b' } });
    expect(first?.unread).toBeUndefined();
    expect(first?.answers).toBeUndefined();
    expect(first?.requestUnread).toBe(true);
    // The engine reads the frames before it meanwhile (a slice a turn); the renderer asks again while flagged.
    let again = rowOf(ANSWER);
    for (let i = 0; i < 100 && again?.requestUnread; i++) {
      await turn();
      again = rowOf(ANSWER);
    }
    expect(again?.requestUnread).toBeUndefined();
    expect(again?.answers).toEqual({ seq: TRUE_REQUEST, latencyMs: ANSWER - TRUE_REQUEST });
  });
});
