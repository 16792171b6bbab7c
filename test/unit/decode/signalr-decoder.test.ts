/**
 * SignalR's JSON hub protocol from recorded frames (no SignalR server runs here: the frames are
 * those of the ASP.NET Core chat sample and the HubProtocol specification's examples, as a
 * browser's DevTools shows them), then malformed ones; MessagePack hub messages built as its
 * specification lays them out.
 */
import { describe, expect, it } from 'vitest';
import { SignalRDecoder } from '../../../src-main/core/decode/signalr-decoder';
import type { WireFrame } from '../../../src-main/core/decode/decoded-frame';
import { toJsonValue } from '../../../src-main/core/decode/json-value';
import { binaryFrame, textFrame } from './wire';
import { signalrHubMessage } from '../../support/signalr-hub-message';

const RS = '\u001e';

describe('SignalR decoder on recorded frames', () => {
  it('handshake, invocations, a stream and its completion, ping, close', () => {
    const decoder = new SignalRDecoder();
    const recorded: [string, 'in' | 'out', string][] = [
      [`{"protocol":"json","version":1}${RS}`, 'out', 'handshake json v1'],
      [`{}${RS}`, 'in', 'handshake accepted'],
      [`{"arguments":["ana","hello"],"invocationId":"0","target":"SendMessage","type":1}${RS}`, 'out', "invoke 'SendMessage' (2 args) #0"],
      [`{"type":1,"target":"ReceiveMessage","arguments":["ana","hello"]}${RS}{"type":3,"invocationId":"0","result":null}${RS}`, 'in', "2 messages: invoke 'ReceiveMessage' (2 args) · completion #0 with a result"],
      [`{"type":4,"invocationId":"1","target":"Counter","arguments":[10,500]}${RS}`, 'out', "stream invoke 'Counter' (2 args) #1"],
      [`{"type":2,"invocationId":"1","item":0}${RS}`, 'in', 'stream item #1'],
      [`{"type":5,"invocationId":"1"}${RS}`, 'out', 'cancel #1'],
      [`{"type":3,"invocationId":"1","error":"Canceled"}${RS}`, 'in', "completion #1 error 'Canceled'"],
      [`{"type":6}${RS}`, 'in', 'ping'],
      [`{"type":7,"error":"Connection closed with an error.","allowReconnect":true}${RS}`, 'in', "close error 'Connection closed with an error.' (may reconnect)"],
    ];
    for (const [text, dir, summary] of recorded) expect(decoder.decode(textFrame(text, dir))).toMatchObject({ kind: 'decoded', protocol: 'signalr', summary });
  });

  it('the value is the record with its type named and the invocation as a conversation', () => {
    const decoder = new SignalRDecoder();
    decoder.decode(textFrame(`{"protocol":"json","version":1}${RS}`, 'out'));
    const call = decoder.decode(textFrame(`{"type":1,"invocationId":"7","target":"Add","arguments":[1,2]}${RS}`, 'out'));
    expect(call).toMatchObject({ value: { messageType: 'Invocation', type: 1, target: 'Add', arguments: [1, 2], conversation: { key: 'signalr invocation 7', role: 'request', label: 'invocation 7' } } });
    const done = decoder.decode(textFrame(`{}${RS}{"type":3,"invocationId":"7","result":3}${RS}`, 'in'));
    expect(done).toMatchObject({ value: { messages: [{ messageType: 'HandshakeResponse' }, { messageType: 'Completion', result: 3, conversation: { key: 'signalr invocation 7', role: 'answer' } }] } });
  });

  it('a record split over two messages is decoded where it ends, each direction on its own', () => {
    const decoder = new SignalRDecoder();
    expect(decoder.decode(textFrame('{"type":1,"target":"Rec', 'in'))).toMatchObject({ kind: 'partial' });
    expect(decoder.decode(textFrame(`{"protocol":"json","version":1}${RS}`, 'out'))).toMatchObject({ summary: 'handshake json v1' });
    expect(decoder.decode(textFrame(`eive","arguments":[]}${RS}{"type":6`, 'in'))).toMatchObject({ kind: 'decoded', summary: "invoke 'Receive' (0 args) · then part of a record (9 characters so far, continues)" });
    expect(decoder.decode(textFrame(`}${RS}`, 'in'))).toMatchObject({ summary: 'ping' });
  });

  const malformed: [string, string][] = [
    [`{"type":1,"target":"X","arguments":[]${RS}`, 'not valid SignalR: the record is not JSON'],
    [`{"type":6}${RS}{"type":12}${RS}`, 'not valid SignalR: record 2 of 2 has the unknown message type 12 (1–9)'],
    [`{"type":2,"item":1}${RS}`, 'not valid SignalR: the record: a StreamItem without an "invocationId" (a string)'],
    [`{"type":1,"target":"X"}${RS}`, 'not valid SignalR: the record: an Invocation without "arguments" (a list)'],
    [`{"type":3,"invocationId":"1","result":1,"error":"e"}${RS}`, 'not valid SignalR: the record: a Completion with both "result" and "error"'],
    [`[1]${RS}`, "not valid SignalR: the record is JSON but not an object: '[1]'"],
    [`{"type":"1"}${RS}`, 'not valid SignalR: the record has no "type" (a whole number)'],
  ];
  it.each(malformed)('not valid: %s', (text, start) => {
    const decoder = new SignalRDecoder();
    decoder.decode(textFrame(`{}${RS}`, 'in'));
    const result = decoder.decode(textFrame(text, 'in'));
    expect(result?.kind).toBe('invalid');
    expect(result?.summary.startsWith(start)).toBe(true);
  });

});


describe('SignalR decoder: the MessagePack hub protocol (frames built as the protocol specification lays them out)', () => {
  it('reads invocations, a stream, completions of each kind and close from binary messages', () => {
    const decoder = new SignalRDecoder();
    expect(decoder.decode(textFrame(`{"protocol":"messagepack","version":1}${RS}`, 'out'))).toMatchObject({ summary: 'handshake messagepack v1' });
    // The server's handshake answer comes as a binary message, still JSON.
    expect(decoder.decode(binaryFrame(Buffer.from(`{}${RS}`), 'in'))).toMatchObject({ summary: 'handshake accepted' });
    const call = decoder.decode(binaryFrame(signalrHubMessage([1, {}, '0', 'SendMessage', ['ana', 'hi']]), 'out'));
    expect(call).toMatchObject({
      kind: 'decoded',
      summary: "invoke 'SendMessage' (2 args) #0",
      value: { messageType: 'Invocation', invocationId: '0', target: 'SendMessage', arguments: ['ana', 'hi'], conversation: { key: 'signalr invocation 0', role: 'request' } },
    });
    const two = decoder.decode(binaryFrame(Buffer.concat([signalrHubMessage([1, {}, null, 'Receive', ['ana', 'hi']]), signalrHubMessage([3, {}, '0', 3, 42])]), 'in'));
    expect(two).toMatchObject({ summary: "2 messages: invoke 'Receive' (2 args) · completion #0 with a result" });
    expect(decoder.decode(binaryFrame(signalrHubMessage([3, {}, '1', 1, 'boom']), 'in'))?.summary).toBe("completion #1 error 'boom'");
    expect(decoder.decode(binaryFrame(signalrHubMessage([3, {}, '2', 2]), 'in'))?.summary).toBe('completion #2');
    expect(decoder.decode(binaryFrame(signalrHubMessage([2, {}, '5', { n: 1 }]), 'in'))).toMatchObject({ summary: 'stream item #5', value: { item: { n: 1 } } });
    expect(decoder.decode(binaryFrame(signalrHubMessage([6]), 'in'))?.summary).toBe('ping');
    expect(decoder.decode(binaryFrame(signalrHubMessage([7, 'server going away', true]), 'in'))?.summary).toBe("close error 'server going away' (may reconnect)");
  });

  it('a message split over two binary messages is decoded where it ends', () => {
    const decoder = new SignalRDecoder();
    const whole = signalrHubMessage([1, {}, '9', 'Add', [1, 2]]);
    expect(decoder.decode(binaryFrame(whole.subarray(0, 6), 'out'))).toMatchObject({ kind: 'partial' });
    expect(decoder.decode(binaryFrame(whole.subarray(6), 'out'))).toMatchObject({ kind: 'decoded', summary: "invoke 'Add' (2 args) #9" });
  });

  it('malformed MessagePack hub messages are not valid, with what and where', () => {
    const bad = (bytes: Uint8Array): string | undefined => new SignalRDecoder().decode(binaryFrame(bytes, 'in'))?.summary;
    expect(bad(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]))).toBe('not valid SignalR: MessagePack hub protocol: the length prefix at byte 0 is longer than 5 bytes');
    expect(bad(Buffer.from([0x02, 0xc1, 0x00]))).toBe('not valid SignalR: MessagePack hub message 1 (byte 0) is not MessagePack: its first byte is 0xC1, which MessagePack reserves (no value has it)');
    // QA D18: msgpackr's "Data read, but end of buffer not reached [1,2]" said as what and where.
    expect(bad(Buffer.from('0492010203', 'hex'))).toBe('not valid SignalR: MessagePack hub message 1 (byte 0) is not one MessagePack value: its value takes 3 of its 4 B, and the 1 B after it is left over');
    expect(bad(Buffer.from('03c0c0c0', 'hex'))).toBe('not valid SignalR: MessagePack hub message 1 (byte 0) is not one MessagePack value: its value takes 1 of its 3 B, and the 2 B after it are left over');
    // A length inside the hub message running past its end: where, from the heads.
    expect(bad(Buffer.from('04c40a0102', 'hex'))).toBe('not valid SignalR: MessagePack hub message 1 (byte 0) ends before its MessagePack value does: the bin 8 at byte 0 says 10 B, 2 B are left (a length is wrong)');
    expect(bad(Buffer.from('03dc0005', 'hex'))).toBe('not valid SignalR: MessagePack hub message 1 (byte 0) ends before its MessagePack value does: it ends inside the array 16 at byte 0 (5 items, 0 read) (a length is wrong)');
    for (const hex of ['0492010203', '03c0c0c0', '04c40a0102', '03dc0005', '02c1c1']) expect(bad(Buffer.from(hex, 'hex'))).not.toMatch(/Data read|end of buffer|DataView|Unexpected end/);
    expect(bad(signalrHubMessage([3, {}, '1', 7]))).toBe('not valid SignalR: MessagePack hub message 1 (byte 0): a Completion with the result kind 7 (1 error, 2 void, 3 result)');
    expect(bad(signalrHubMessage([12, {}]))).toBe('not valid SignalR: MessagePack hub message 1 (byte 0) has the unknown message type 12 (1–9)');
    expect(bad(signalrHubMessage(['x']))).toBe('not valid SignalR: MessagePack hub message 1 (byte 0) does not start with a message type (a number)');
    expect(bad(signalrHubMessage([2, {}, null, 1]))).toBe('not valid SignalR: MessagePack hub message 1 (byte 0): a StreamItem without an "invocationId" (a string)');
  });
});

describe('SignalR decoder: a close frame that cuts a record short', () => {
  const close = (dir: 'in' | 'out'): WireFrame => ({ seq: 0, dir, opcode: 'close', bytes: new Uint8Array(0) });

  it('names the record under way in its direction and how many characters of it arrived, changing nothing', () => {
    const decoder = new SignalRDecoder();
    decoder.decode(textFrame(`{}${RS}`, 'in'));
    expect(decoder.decode(textFrame('{"type":1,"target":"Rec', 'in'))).toMatchObject({ kind: 'partial', summary: 'part of a SignalR record (23 characters so far, continues in a later message)' });
    const before = decoder.snapshot();
    expect(decoder.decode(close('in'))).toMatchObject({
      kind: 'invalid',
      protocol: 'signalr',
      summary: 'not valid SignalR: a close frame, which cuts short the record under way in this direction: 23 characters of it arrived',
    });
    expect(decoder.snapshot()).toEqual(before);
    expect(decoder.between('in')).toBe(false);
    // Nothing may follow a close; were something to, it would still finish the record (the close reset nothing).
    expect(decoder.decode(textFrame(`eive","arguments":[]}${RS}`, 'in'))).toMatchObject({ kind: 'decoded', summary: "invoke 'Receive' (0 args)" });
  });

  it('with nothing under way a close decodes to nothing', () => {
    const decoder = new SignalRDecoder();
    expect(decoder.decode(close('out'))).toBeUndefined();
    decoder.decode(textFrame(`{"protocol":"json","version":1}${RS}`, 'out'));
    decoder.decode(textFrame(`{}${RS}{"type":6}${RS}`, 'in'));
    expect(decoder.decode(close('in'))).toBeUndefined();
    expect(decoder.decode(close('out'))).toBeUndefined();
  });

  it('each direction on its own; the first record each way is the handshake', () => {
    const decoder = new SignalRDecoder();
    expect(decoder.decode(textFrame('{"protocol":"js', 'out'))).toMatchObject({ kind: 'partial' });
    expect(decoder.decode(close('in'))).toBeUndefined();
    expect(decoder.decode(close('out'))?.summary).toBe('not valid SignalR: a close frame, which cuts short the handshake under way in this direction: 15 characters of it arrived');
    expect(decoder.decode(textFrame(`{}${RS}{"type":6`, 'in'))?.summary).toBe('handshake accepted · then part of a record (9 characters so far, continues)');
    expect(decoder.decode(close('in'))?.summary).toBe('not valid SignalR: a close frame, which cuts short the record under way in this direction: 9 characters of it arrived');
    expect(decoder.decode(textFrame(`on","version":1}${RS}`, 'out'))?.summary).toBe('handshake json v1');
    expect(decoder.decode(close('out'))).toBeUndefined();
  });

  it('a MessagePack hub message: how much arrived after its length prefix, or of the prefix', () => {
    const decoder = new SignalRDecoder();
    const whole = signalrHubMessage([1, {}, '9', 'Add', [1, 2]]);
    expect(whole[0]).toBe(whole.byteLength - 1); // one length byte
    expect(decoder.decode(binaryFrame(whole.subarray(0, 6), 'out'))).toMatchObject({ kind: 'partial', summary: 'part of a SignalR MessagePack message (6 B so far, continues in a later message)' });
    const before = decoder.snapshot();
    expect(decoder.decode(close('out'))?.summary).toBe(`not valid SignalR: a close frame, which cuts short the MessagePack hub message under way in this direction: 5 of the ${whole.byteLength - 1} B after its length prefix arrived`);
    expect(decoder.snapshot()).toEqual(before);
    expect(decoder.decode(binaryFrame(whole.subarray(6), 'out'))).toMatchObject({ kind: 'decoded', summary: "invoke 'Add' (2 args) #9" });
    const ping = signalrHubMessage([6]);
    expect(decoder.decode(binaryFrame(Buffer.concat([ping, whole.subarray(0, 3)]), 'in'))?.summary).toBe('ping · then part of a message (3 B so far, continues)');
    expect(decoder.decode(close('in'))?.summary).toMatch(/cuts short the MessagePack hub message under way in this direction: 2 of the \d+ B after its length prefix arrived$/);
    // A length prefix not yet whole (a message of 200 B takes two length bytes).
    const long = signalrHubMessage([1, {}, '1', 'Send', ['x'.repeat(200)]]);
    const prefixCut = new SignalRDecoder();
    expect(prefixCut.decode(binaryFrame(long.subarray(0, 1), 'in'))).toMatchObject({ kind: 'partial' });
    expect(prefixCut.decode(close('in'))?.summary).toBe('not valid SignalR: a close frame, which cuts short the MessagePack hub message under way in this direction: its first 1 B (part of its length prefix) arrived');
  });
});

describe('SignalR decoder: a record’s value as json-value.ts makes it', () => {
  // The parsed record is taken as it is when toJsonValue would copy it unchanged (parsed-json.ts);
  // anything else is copied. Either way the value is {messageType, ...toJsonValue(record), conversation?}.
  const handshaken = (): SignalRDecoder => {
    const decoder = new SignalRDecoder();
    decoder.decode(textFrame(`{"protocol":"json","version":1}${RS}`, 'out'));
    decoder.decode(textFrame(`{}${RS}`, 'in'));
    return decoder;
  };
  const deep = `${'{"a":'.repeat(70)}1${'}'.repeat(70)}`;
  it.each([
    ['plain', '{"type":1,"target":"T","arguments":["r",{"n":5,"s":"x"}]}'],
    ['1e400 (JSON.parse: Infinity)', '{"type":1,"target":"T","arguments":[1e400,{"n":-1e400}]}'],
    ['nested past 64 levels', `{"type":1,"target":"T","arguments":[${deep}]}`],
    ['a __proto__ key', '{"type":1,"target":"T","arguments":[{"__proto__":{"x":1}}],"__proto__":7}'],
    ['-0 and 1.0', '{"type":1.0,"target":"T","arguments":[-0,1.0]}'],
  ])('JSON: %s', (_, record) => {
    const outcome = handshaken().decode(textFrame(`${record}${RS}`, 'in'));
    expect(outcome?.kind).toBe('decoded');
    const expected = { messageType: 'Invocation', ...(toJsonValue(JSON.parse(record)) as Record<string, unknown>) };
    expect(JSON.stringify(outcome?.kind === 'decoded' ? outcome.value : undefined)).toBe(JSON.stringify(expected));
    expect(outcome?.kind === 'decoded' ? Object.keys(outcome.value as object) : []).toEqual(Object.keys(expected));
  });

  it('MessagePack: bytes, big integers and a map keyed by a number: copied as toJsonValue makes them', () => {
    const decoder = new SignalRDecoder();
    decoder.decode(textFrame(`{"protocol":"messagepack","version":1}${RS}`, 'out'));
    decoder.decode(binaryFrame(Buffer.from(`{}${RS}`), 'in'));
    const outcome = decoder.decode(binaryFrame(signalrHubMessage([1, {}, null, 'T', [Buffer.from([1, 2, 3]), 2n ** 63n + 5n, new Map<unknown, unknown>([[1, 'a']])]]), 'in'));
    expect(outcome).toMatchObject({ kind: 'decoded', value: { arguments: [{ $bytes: 'AQID', length: 3 }, '9223372036854775813', { '1': 'a' }] } });
  });
});
