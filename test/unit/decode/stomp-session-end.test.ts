/**
 * A session that ends without a close in a direction where a STOMP frame (or the CR of a split
 * heart-beat) is under way: the last message of that direction says "… so far (continues in a
 * later message)" while the session is live, and that the rest never came once it ended (the
 * store sealed: session-end.ts), however the answer is reached: the rows' in-order walk, a far
 * frame (marked, then exact after the catch-up, then again from a checkpoint), a search, an
 * export. Worded as a close's cut (the command named once its command line is whole).
 */
import { describe, expect, it } from 'vitest';
import { DecodeCommands } from '../../../src-main/core/decode-commands';
import { isUnread } from '../../../src-main/core/decode/frame-decode-cache';
import { endedAnswer } from '../../../src-main/core/decode/session-end';
import { StompDecoder } from '../../../src-main/core/decode/stomp-decoder';
import { StoreDecoding } from '../../../src-main/core/decode/store-decoding';
import { ExportDecoding } from '../../../src-main/core/export/export-decoding';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import { textFrame } from './wire';

const CONNECT = 'CONNECT\naccept-version:1.2\nhost:h\n\n\u0000';
const MESSAGE = 'MESSAGE\ndestination:/t/1\nsubscription:0\nmessage-id:1\n\n{"p":1}\u0000';
const MESSAGE_START = MESSAGE.slice(0, 40);
const SO_FAR = 'part of a STOMP frame (40 B so far, continues in a later message)';
const NEVER = 'part of a STOMP MESSAGE: 40 B of it arrived; the session ended before the rest';
const WHOLE = 'MESSAGE /t/1 7 B subscription=0 message-id=1';

type Line = readonly ['in' | 'out', 'text' | 'close' | 'ping', string];

function storeOf(lines: readonly Line[]): FrameStore {
  const store = new FrameStore();
  for (const [dir, opcode, text] of lines) store.push(dir, opcode, opcode === 'close' ? Buffer.from([0x03, 0xe8]) : Buffer.from(text, 'latin1'));
  return store;
}

function decodingOf(store: FrameStore, cacheEntries?: number): { decoding: StoreDecoding; turns: (() => void)[] } {
  const turns: (() => void)[] = [];
  const decoding = new StoreDecoding('stomp', { url: 'ws://h/stomp', frames: store, handshakeSteps: () => [] }, {}, cacheEntries, (turn) => void turns.push(turn));
  return { decoding, turns };
}

/** CONNECT out; a whole MESSAGE in; the start of one in (its rest never comes); a SEND out; a ping in. */
const ENDS_MID_FRAME: readonly Line[] = [
  ['out', 'text', CONNECT],
  ['in', 'text', MESSAGE],
  ['in', 'text', MESSAGE_START],
  ['out', 'text', 'SEND\ndestination:/q\n\n\u0000'],
  ['in', 'ping', ''],
];

/** The answer a decoder gives once the session ended with this message the last of its direction. */
function ended(decoder: StompDecoder, text: string, dir: 'in' | 'out' = 'in'): string | undefined {
  const outcome = decoder.decode(textFrame(text, dir));
  return outcome && endedAnswer(outcome).summary;
}

describe('STOMP decoder: what a message leaving a frame under way says once the session ended', () => {
  it('names the command once its command line is whole, else "frame"; a lone CR waits for its LF', () => {
    expect(ended(new StompDecoder(), MESSAGE_START)).toBe(`not valid STOMP: ${NEVER}`);
    expect(ended(new StompDecoder(), 'MESS')).toBe('not valid STOMP: part of a STOMP frame: 4 B of it arrived; the session ended before the rest');
    expect(ended(new StompDecoder(), 'UNSUBSCRIBE\r\nid:')).toBe('not valid STOMP: part of a STOMP UNSUBSCRIBE: 16 B of it arrived; the session ended before the rest');
    expect(ended(new StompDecoder(), '\r')).toBe('not valid STOMP: a CR, the first half of a heart-beat (CR LF); the session ended before its LF');
    // Whole frames then the start of one: the whole ones stay decoded.
    expect(new StompDecoder().decode(textFrame(`RECEIPT\nreceipt-id:1\n\n\u0000${MESSAGE_START}`, 'in'))).toMatchObject({
      kind: 'decoded',
      summary: 'RECEIPT receipt-id=1 · then part of a frame (40 B, continues)',
      ifEnded: { kind: 'decoded', summary: `RECEIPT receipt-id=1 · then ${NEVER}` },
    });
    expect(ended(new StompDecoder(), 'RECEIPT\nreceipt-id:1\n\n\u0000\r')).toBe('RECEIPT receipt-id=1 · then the CR of a heart-beat; the session ended before its LF');
    // A message adding to a frame under way (the path that keeps it without parsing again).
    const decoder = new StompDecoder();
    decoder.decode(textFrame(MESSAGE_START, 'in'));
    expect(ended(decoder, 'x-a:1\n')).toBe('not valid STOMP: part of a STOMP MESSAGE: 46 B of it arrived; the session ended before the rest');
    // Nothing under way: nothing to say at the end.
    expect(new StompDecoder().decode(textFrame(MESSAGE, 'in'))).not.toHaveProperty('ifEnded');
    expect(new StompDecoder().decode(textFrame('', 'in'))).not.toHaveProperty('ifEnded');
  });
});

describe('STOMP: the last message of a direction once the session ended', () => {
  it('keeps "so far" while the session is live, and says the rest never came once it ended, though asked before', () => {
    const store = storeOf(ENDS_MID_FRAME);
    const { decoding } = decodingOf(store);
    expect(decoding.decodeAt(3)).toMatchObject({ kind: 'partial', summary: SO_FAR });
    store.seal();
    expect(decoding.decodeAt(3)).toEqual({ kind: 'invalid', protocol: 'stomp', summary: `not valid STOMP: ${NEVER}`, problem: NEVER });
    expect(decoding.decodeExactly(3)?.summary).toBe(`not valid STOMP: ${NEVER}`);
    expect(decoding.decodeAt(2)?.summary).toBe(WHOLE);
    expect(decoding.decodeAt(4)?.summary).toBe('SEND /q');
    // A frame appended after the seal: the session went on after all.
    store.push('in', 'text', Buffer.from(MESSAGE.slice(40), 'latin1'));
    expect(decoding.decodeAt(3)?.summary).toBe(SO_FAR);
    expect(decoding.decodeAt(6)?.summary).toBe(WHOLE);
  });

  it('a close in that direction says it instead; a close only the other way does not', () => {
    const closed = storeOf([...ENDS_MID_FRAME, ['in', 'close', '']]);
    closed.seal();
    const a = decodingOf(closed).decoding;
    expect(a.decodeAt(3)?.summary).toBe(SO_FAR);
    expect(a.decodeAt(6)?.summary).toBe('not valid STOMP: a close frame, which cuts short the MESSAGE under way in this direction: 40 B of it arrived');
    const otherClosed = storeOf([...ENDS_MID_FRAME, ['out', 'close', '']]);
    otherClosed.seal();
    expect(decodingOf(otherClosed).decoding.decodeAt(3)?.summary).toBe(`not valid STOMP: ${NEVER}`);
    // A lone CR last.
    const cr = storeOf([['out', 'text', CONNECT], ['in', 'text', `${MESSAGE}\r`]]);
    cr.seal();
    expect(decodingOf(cr).decoding.decodeAt(2)?.summary).toBe(`${WHOLE} · then the CR of a heart-beat; the session ended before its LF`);
  });

  it('a far last frame: marked at first, exact after the catch-up, and again from a checkpoint once its answer left the cache', () => {
    const lines: Line[] = [['out', 'text', CONNECT]];
    for (let i = 0; i < 20_000; i++) lines.push(['in', 'text', MESSAGE]);
    lines.push(['in', 'text', MESSAGE_START]);
    const store = storeOf(lines);
    store.seal();
    const last = store.lastSeq;
    const { decoding, turns } = decodingOf(store, 64);
    const first = decoding.decodeAt(last);
    expect(isUnread(first)).toBe(true);
    expect(first?.summary).toBe(`not valid STOMP: ${NEVER}`);
    while (turns.length > 0) turns.shift()?.();
    const exact = decoding.decodeAt(last);
    expect(isUnread(exact)).toBe(false);
    expect(exact?.summary).toBe(`not valid STOMP: ${NEVER}`);
    for (let seq = 2; seq < 200; seq++) decoding.decodeAt(seq);
    expect(decoding.decodeAt(last)?.summary).toBe(`not valid STOMP: ${NEVER}`);
    expect(decoding.decodeAt(last - 1)?.summary).toBe(WHOLE);
  });

  it('a search finds what it stands for, live and after the end, forward and backward', () => {
    const store = storeOf(ENDS_MID_FRAME);
    const session = { id: 's', url: 'ws://h/stomp', frames: store, handshakeSteps: () => [] };
    const decodes = new DecodeCommands();
    decodes.state(session, { sessionId: 's', choice: 'stomp' });
    const search = (query: string, backward = false): number[] => {
      const test = decodes.predicate(session, { query });
      if (!test.ok) throw new Error(test.error.message);
      const seqs = [1, 2, 3, 4, 5];
      return (backward ? seqs.reverse() : seqs).filter((seq) => test.value(seq)).sort((a, b) => a - b);
    };
    expect(search('$.continues == true')).toEqual([3]);
    store.seal();
    expect(search('$.continues == true')).toEqual([]);
    expect(search('$.bytesSoFar == 40', true)).toEqual([]);
    expect(search("$.command == 'MESSAGE'")).toEqual([2]);
    const destination = decodes.predicate(session, { destination: '/t/1' });
    expect(destination.ok && [1, 2, 3, 4, 5].filter((seq) => destination.value(seq))).toEqual([2]);
  });

  it('an export writes the last message as it stands when it is written', () => {
    const store = storeOf(ENDS_MID_FRAME);
    const session = { url: 'ws://h/stomp', frames: store, handshakeSteps: () => [] };
    expect(new ExportDecoding(session, { choice: 'stomp' }).at(3)?.summary).toBe(SO_FAR);
    store.seal();
    expect(new ExportDecoding(session, { choice: 'stomp' }).at(3)).toMatchObject({ protocol: 'stomp', summary: `not valid STOMP: ${NEVER}`, valid: false, problem: NEVER });
  });
});
