/**
 * conversation-of.ts for Socket.IO binary events and acks (BINARY_EVENT 5, BINARY_ACK 6): the
 * header and every attachment are frames of the packet, so each is in its ack's conversation
 * (socketio-binary-part.ts), in the packet's role. "Follow this conversation" shows them all, and
 * the frames it shows, exported and decoded afresh (an import), decode whole (QA: following
 * "ack 5" showed the emit and the last attachment; the import read "a binary message of 2 B with
 * no binary event or ack before it").
 */
import { describe, expect, it } from 'vitest';
import { conversationOf } from '../../../src-main/core/decode/conversation-of';
import type { DecodeOutcome, WireFrame } from '../../../src-main/core/decode/decoded-frame';
import { requestBefore } from '../../../src-main/core/decode/request-before';
import { SocketIoDecoder } from '../../../src-main/core/decode/socketio-decoder';
import { membershipIn } from '../../../src-main/shared/conversation-membership';

type Message = Omit<WireFrame, 'seq'>;
const text = (dir: 'in' | 'out', s: string): Message => ({ dir, opcode: 'text', bytes: new Uint8Array(Buffer.from(s)) });
const binary = (dir: 'in' | 'out', bytes: number[]): Message => ({ dir, opcode: 'binary', bytes: new Uint8Array(bytes) });

function decodeAll(messages: readonly Message[], decoder = new SocketIoDecoder()): (DecodeOutcome | undefined)[] {
  return messages.map((m, i) => decoder.decode({ ...m, seq: i + 1 }));
}

/** The seqs (from 1) in the conversation with this key, as the engine's follow filter tests them. */
function follow(messages: readonly Message[], key: string): number[] {
  const seqs: number[] = [];
  decodeAll(messages).forEach((outcome, i) => {
    const dir = messages[i]?.dir ?? 'in';
    if (outcome && membershipIn(conversationOf(outcome, dir), key) !== undefined) seqs.push(i + 1);
  });
  return seqs;
}

/** The QA repro's server (test /tmp/qa3/servers.mts): on 'file' it emits a binary 'file' event, then acks with a Buffer. */
const REPRO: Message[] = [
  text('in', '0{"sid":"s","upgrades":[],"pingInterval":25000,"pingTimeout":20000}'),
  text('out', '40/chat,'),
  text('in', '40/chat,{"sid":"a"}'),
  text('out', '42/chat,5["file",{"want":"x.bin"}]'),
  text('in', '451-/chat,["file",{"name":"x.bin","data":{"_placeholder":true,"num":0}}]'),
  binary('in', [1, 2, 3, 4]),
  text('in', '461-/chat,5[{"_placeholder":true,"num":0}]'),
  binary('in', [9, 9]),
];

describe('Socket.IO binary packets in their conversation', () => {
  it('a binary ack: its header and its attachment are answers in the ack, beside the emit', () => {
    expect(follow(REPRO, 'socketio /chat ack 5 ↑')).toEqual([4, 7, 8]);
    const outcomes = decodeAll(REPRO);
    expect(outcomes[6]?.kind).toBe('partial');
    expect(conversationOf(outcomes[6] as DecodeOutcome, 'in')).toEqual({ key: 'socketio /chat ack 5 ↑', role: 'answer', label: 'ack 5' });
    // The binary event with no ack id is in no conversation.
    expect(conversationOf(outcomes[4] as DecodeOutcome, 'in')).toBeUndefined();
    expect(conversationOf(outcomes[5] as DecodeOutcome, 'in')).toBeUndefined();
  });

  it("the conversation's frames, exported and imported (decoded afresh), decode whole", () => {
    const shown = follow(REPRO, 'socketio /chat ack 5 ↑').map((seq) => REPRO[seq - 1] as Message);
    const again = decodeAll(shown);
    expect(again.map((o) => o?.kind)).toEqual(['decoded', 'partial', 'decoded']);
    expect(again[2]?.summary).toBe('ack 5 on /chat (1 arg) with 1 binary attachment');
  });

  it('a binary event with an ack id and two attachments: each of its frames asks; the ACK links to its last', () => {
    const messages: Message[] = [
      text('out', '452-12["up",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]'),
      binary('out', [1]),
      text('in', '42["other"]'),
      binary('out', [2, 2]),
      text('in', '4312["ok"]'),
    ];
    expect(follow(messages, 'socketio / ack 12 ↑')).toEqual([1, 2, 4, 5]);
    const outcomes = decodeAll(messages);
    expect([1, 2, 4].map((seq) => membershipIn(conversationOf(outcomes[seq - 1] as DecodeOutcome, 'out'), 'socketio / ack 12 ↑')?.role)).toEqual(['request', 'request', 'request']);
    const lookup = { firstSeq: 1, decodeAt: (seq: number) => outcomes[seq - 1], entry: (seq: number) => ({ dir: messages[seq - 1]?.dir ?? 'in', at: seq }) };
    const ack = conversationOf(outcomes[4] as DecodeOutcome, 'in');
    expect(ack && requestBefore(5, ack, lookup)).toEqual({ kind: 'found', seq: 4 });
  });

  it('a binary ack in two attachments on the default namespace: the header and both attachments answer the emit', () => {
    const messages: Message[] = [text('in', '42["q",1]'), text('out', '421["file"]'), text('in', '462-1[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]'), binary('in', [1]), binary('in', [2])];
    expect(follow(messages, 'socketio / ack 1 ↑')).toEqual([2, 3, 4, 5]);
    const outcomes = decodeAll(messages);
    const lookup = { firstSeq: 1, decodeAt: (seq: number) => outcomes[seq - 1], entry: (seq: number) => ({ dir: messages[seq - 1]?.dir ?? 'in', at: seq }) };
    const header = conversationOf(outcomes[2] as DecodeOutcome, 'in');
    expect(header && requestBefore(3, header, lookup)).toEqual({ kind: 'found', seq: 2 });
  });

  it('restored from a snapshot taken between the header and its attachments, the attachments are still in the ack', () => {
    const first = new SocketIoDecoder();
    decodeAll(REPRO.slice(0, 7), first);
    const snapshot = first.snapshot();
    if (!snapshot) throw new Error('no snapshot');
    const restored = new SocketIoDecoder();
    restored.restore(snapshot);
    const last = restored.decode({ ...(REPRO[7] as Message), seq: 8 });
    expect(last?.summary).toBe('ack 5 on /chat (1 arg) with 1 binary attachment');
    const twoParts = new SocketIoDecoder();
    decodeAll([text('out', '453-/x,3["e",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1},{"_placeholder":true,"num":2}]'), binary('out', [1])], twoParts);
    const state = twoParts.snapshot();
    if (!state) throw new Error('no snapshot');
    const again = new SocketIoDecoder();
    again.restore(state);
    const middle = again.decode({ seq: 3, dir: 'out', opcode: 'binary', bytes: new Uint8Array([2]) });
    expect(middle?.summary).toBe('attachment 2 of 3 (1 B)');
    expect(middle && conversationOf(middle, 'out')).toEqual({ key: 'socketio /x ack 3 ↑', role: 'request', label: 'ack 3' });
  });

  it("a header socket.io-parser refuses, or an attachment with no header, is in no conversation; the value is the bytes' alone", () => {
    const outcomes = decodeAll([text('in', '461-5{"not":"an array"}'), binary('in', [1])]);
    expect(outcomes.map((o) => o?.kind)).toEqual(['invalid', 'invalid']);
    const header = decodeAll([text('in', '461-/chat,5[{"_placeholder":true,"num":0}]')])[0];
    expect(header?.kind === 'partial' ? header.value : undefined).toEqual({ engineIO: 'message', binaryHeader: '61-/chat,5[{"_placeholder":true,"num":0}]', attachments: 1 });
  });
});
