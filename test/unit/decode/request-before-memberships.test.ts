/**
 * requestBefore with frames in two conversations and reconnect attempts: a MESSAGE finds the
 * SUBSCRIBE that asked for a receipt too (in its `also`), a RECEIPT finds it in its first; an
 * answer never links to a request of an earlier attempt (a new connection: ids start again),
 * nor past the window.
 */
import { describe, expect, it } from 'vitest';
import type { DecodeOutcome } from '../../../src-main/core/decode/decoded-frame';
import { requestBefore, type RequestLookup } from '../../../src-main/core/decode/request-before';
import { StompDecoder } from '../../../src-main/core/decode/stomp-decoder';
import type { ConversationRef } from '../../../src-main/shared/decoding';
import { conversationOf } from '../../../src-main/core/decode/conversation-of';
import { DecodeCommands } from '../../../src-main/core/decode-commands';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { attemptRecords } from './prefilter-harness';

type Dir = 'in' | 'out';

/** Each frame decoded in order (one decoder), its time its seq; `attempts`: first seqs of attempts after the first. */
function lookupOf(frames: readonly [Dir, string][], attempts: readonly number[] = []): { lookup: RequestLookup; ref: (seq: number) => ConversationRef } {
  const outcomes: (DecodeOutcome | undefined)[] = [];
  let decoder = new StompDecoder();
  frames.forEach(([dir, text], i) => {
    if (attempts.includes(i + 1)) decoder = new StompDecoder();
    outcomes.push(decoder.decode({ seq: i + 1, dir, opcode: 'text', bytes: new Uint8Array(Buffer.from(text)) }));
  });
  const lookup: RequestLookup = {
    decodeAt: (seq) => outcomes[seq - 1],
    entry: (seq) => {
      const frame = frames[seq - 1];
      return frame ? { dir: frame[0], at: seq } : undefined;
    },
    firstSeq: 1,
    attemptStart: (seq) => [...attempts].reverse().find((start) => start <= seq),
  };
  const ref = (seq: number): ConversationRef => {
    const outcome = outcomes[seq - 1];
    const frame = frames[seq - 1];
    const found = outcome && frame ? conversationOf(outcome, frame[0]) : undefined;
    if (!found) throw new Error(`no conversation at ${seq}`);
    return found;
  };
  return { lookup, ref };
}

const CONNECT: [Dir, string][] = [
  ['out', 'CONNECT\naccept-version:1.2\nhost:h\n\n\0'],
  ['in', 'CONNECTED\nversion:1.2\n\n\0'],
];
const message = (sub: string, n: number): [Dir, string] => ['in', `MESSAGE\nsubscription:${sub}\nmessage-id:${n}\ndestination:/q\n\n${n}\0`];

describe('requestBefore and frames in two conversations', () => {
  it('a MESSAGE links to the SUBSCRIBE with a receipt (its subscription), the RECEIPT to it as well (its receipt)', () => {
    const { lookup, ref } = lookupOf([...CONNECT, ['out', 'SUBSCRIBE\nid:7\ndestination:/q\nreceipt:7\n\n\0'], ['in', 'RECEIPT\nreceipt-id:7\n\n\0'], message('7', 1), message('7', 2)]);
    expect(requestBefore(4, ref(4), lookup)).toEqual({ kind: 'found', seq: 3 });
    expect(requestBefore(5, ref(5), lookup)).toEqual({ kind: 'found', seq: 3 });
    expect(requestBefore(6, ref(6), lookup)).toEqual({ kind: 'found', seq: 3 });
    // A request links to nothing, in either of its conversations.
    expect(requestBefore(3, ref(3), lookup)).toBeUndefined();
  });

  it('an UNSUBSCRIBE with a receipt is the latest request of its subscription for a MESSAGE after it', () => {
    const { lookup, ref } = lookupOf([...CONNECT, ['out', 'SUBSCRIBE\nid:s\ndestination:/q\n\n\0'], message('s', 1), ['out', 'UNSUBSCRIBE\nid:s\nreceipt:u\n\n\0'], message('s', 2), ['in', 'RECEIPT\nreceipt-id:u\n\n\0']]);
    expect(requestBefore(4, ref(4), lookup)).toEqual({ kind: 'found', seq: 3 });
    expect(requestBefore(6, ref(6), lookup)).toEqual({ kind: 'found', seq: 5 });
    expect(requestBefore(7, ref(7), lookup)).toEqual({ kind: 'found', seq: 5 });
  });

  it('a receipt id equal to another subscription id does not link across the two', () => {
    // SEND receipt:a, then a MESSAGE of subscription a: the SEND asks in 'stomp receipt a' only.
    const { lookup, ref } = lookupOf([...CONNECT, ['out', 'SEND\ndestination:/q\nreceipt:a\n\nx\0'], message('a', 1)]);
    expect(requestBefore(4, ref(4), lookup)).toBeUndefined();
  });

  it('never links to a request of an earlier attempt, even with the same ids', () => {
    const frames: [Dir, string][] = [...CONNECT, ['out', 'SUBSCRIBE\nid:0\ndestination:/q\nreceipt:r-1\n\n\0'], ['in', 'RECEIPT\nreceipt-id:r-1\n\n\0'], ...CONNECT, message('0', 1), ['in', 'RECEIPT\nreceipt-id:r-1\n\n\0']];
    const { lookup, ref } = lookupOf(frames, [5]);
    expect(requestBefore(4, ref(4), lookup)).toEqual({ kind: 'found', seq: 3 });
    expect(requestBefore(7, ref(7), lookup)).toBeUndefined();
    expect(requestBefore(8, ref(8), lookup)).toBeUndefined();
    // Without attempts (one connection), the same frames link back.
    const single = lookupOf(frames);
    expect(requestBefore(7, single.ref(7), single.lookup)).toEqual({ kind: 'found', seq: 3 });
  });

  it('nor past the window', () => {
    const frames: [Dir, string][] = [...CONNECT, ['out', 'SUBSCRIBE\nid:0\ndestination:/q\nreceipt:r\n\n\0']];
    for (let n = 0; n < 20; n++) frames.push(message('0', n));
    const { lookup, ref } = lookupOf(frames);
    expect(requestBefore(23, ref(23), lookup, 20)).toEqual({ kind: 'found', seq: 3 });
    expect(requestBefore(23, ref(23), lookup, 19)).toBeUndefined();
  });
});

describe('through frames:decode (DecodeCommands), with a session that reconnected', () => {
  it('links within an attempt, never to the attempt before: a MESSAGE after the reconnect whose SUBSCRIBE went on the old connection has no request', () => {
    const frames: [Dir, string][] = [...CONNECT, ['out', 'SUBSCRIBE\nid:0\ndestination:/q\nreceipt:r-1\n\n\0'], message('0', 1), ...CONNECT, message('0', 2), ['out', 'SUBSCRIBE\nid:0\ndestination:/q\nreceipt:r-1\n\n\0'], message('0', 3)];
    const store = new FrameStore();
    for (const [dir, text] of frames) store.push(dir, 'text', Buffer.from(text));
    const session = { id: 's', url: 'ws://h/ws', frames: store, handshakeSteps: () => [], attempts: () => attemptRecords([4]) };
    const decodes = new DecodeCommands(100);
    expect(decodes.state(session, { sessionId: 's', choice: 'stomp' }).ok).toBe(true);
    const rows = decodes.decode(session, { sessionId: 's', seqs: [4, 7, 9], values: false });
    if (!rows.ok) throw new Error(rows.error.message);
    expect(rows.value.frames.map((f) => [f.seq, f.answers?.seq])).toEqual([
      [4, 3],
      [7, undefined],
      [9, 8],
    ]);
    store.release();
  });
});
