import { encodePacket } from 'engine.io-parser';
import { Encoder, PacketType, type Packet } from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { SocketIoDecoder } from '../../../src-main/core/decode/socketio-decoder';
import { binaryFrame, textFrame } from './wire';
import type { WireFrame } from '../../../src-main/core/decode/decoded-frame';

/** What a socket.io v4 peer sends for one packet: '4' + the Socket.IO text, then the attachments. */
function messages(packet: Packet, dir: WireFrame['dir'] = 'in'): WireFrame[] {
  return new Encoder().encode(packet).map((part: unknown) => {
    if (typeof part === 'string') {
      let text = '';
      encodePacket({ type: 'message', data: part }, false, (encoded) => (text = String(encoded)));
      return textFrame(text, dir);
    }
    if (part instanceof Uint8Array) return binaryFrame(part, dir);
    throw new Error('unexpected encoder output');
  });
}

describe('Socket.IO decoder', () => {
  it.each([
    ['open', '0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}', 'open sid=abc ping every 25000 ms'],
    ['ping', '2', 'ping'],
    ['pong', '3', 'pong'],
    ['probe', '2probe', 'ping probe'],
    ['close', '1', 'close'],
    ['connected on a namespace', '40/admin,{"sid":"x2"}', 'connected /admin sid=x2'],
    ['connected with sid', '40{"sid":"x1"}', 'connected / sid=x1'],
    ['event with ack on a namespace', '42/admin,12["chat","hi",{"n":1}]', "emit 'chat' on /admin ack 12"],
    ['ack', '43/admin,12["ok"]', 'ack 12 on /admin (1 arg)'],
    ['connect error', '44{"message":"Not authorized"}', "connect error on /: 'Not authorized'"],
    ['disconnect', '41/admin,', 'disconnect /admin'],
  ])('%s', (_name, text, summary) => {
    expect(new SocketIoDecoder().decode(textFrame(text))).toMatchObject({ kind: 'decoded', protocol: 'socketio', summary });
  });

  it('gives the event name and arguments as plain values', () => {
    const result = new SocketIoDecoder().decode(textFrame('42/admin,12["chat","hi",{"n":1}]'));
    expect(result).toMatchObject({ value: { engineIO: 'message', type: 'EVENT', nsp: '/admin', id: 12, event: 'chat', args: ['hi', { n: 1 }] } });
  });

  it('joins binary attachments to their placeholders, shown on the last one', () => {
    const decoder = new SocketIoDecoder();
    const [header, first, second] = messages({ type: PacketType.EVENT, nsp: '/files', id: 4, data: ['upload', Buffer.from([1, 2, 3]), { more: Buffer.from([9]) }] });
    if (!header || !first || !second) throw new Error('the encoder gave fewer parts than expected');
    expect(decoder.decode(header)).toMatchObject({ kind: 'partial', summary: 'binary event header, 2 attachments follow' });
    expect(decoder.decode(first)).toMatchObject({ kind: 'partial', summary: 'attachment 1 of 2 (3 B)' });
    expect(decoder.decode(second)).toMatchObject({
      kind: 'decoded',
      summary: "emit 'upload' on /files ack 4 with 2 binary attachments",
      value: { event: 'upload', args: [{ $bytes: 'AQID', length: 3 }, { more: { $bytes: 'CQ==', length: 1 } }], attachments: 2 },
    });
  });

  it('reads Engine.IO 3 binary messages (type byte 4 first)', () => {
    const decoder = new SocketIoDecoder({ engineVersion: 3 });
    decoder.decode(textFrame('451-["bin",{"_placeholder":true,"num":0}]'));
    expect(decoder.decode(binaryFrame([4, 0xaa, 0xbb]))).toMatchObject({ kind: 'decoded', summary: "emit 'bin' with 1 binary attachment", value: { args: [{ $bytes: 'qrs=', length: 2 }] } });
    expect(new SocketIoDecoder({ engineVersion: 3 }).decode(binaryFrame([7, 1]))?.summary).toMatch(/^not valid Socket.IO: an Engine.IO 3 binary message starts with packet type 7 at byte 0/);
  });

  // What socket.io-parser takes and a socket.io 4.8 server does with it (test/net/decode/socketio-raw-frames.test.ts sends each to one).
  it.each([
    // The server dispatches it with no name and no arguments: only onAny listeners and middleware see it.
    ['an EVENT with a namespace and no payload', '42/admin', 'emit with no payload on /admin (no event name: only catch-all listeners run)', { type: 'EVENT', nsp: '/admin' }],
    ['an EVENT with no payload and an ack id', '421', 'emit with no payload ack 1 (no event name: only catch-all listeners run)', { type: 'EVENT', nsp: '/', id: 1 }],
    // A number is a name: the server's handlers of '1' run with the rest.
    ['an EVENT named by a number', '42[1,2]', 'emit 1', { type: 'EVENT', event: 1, args: [2] }],
    ['an EVENT named by a number written with an exponent', '42/admin,3[1e3]', 'emit 1000 on /admin ack 3', { event: 1000, args: [] }],
    // The waiting emit's callback is called with no arguments.
    ['an ACK with no payload', '43/admin,7', 'ack 7 on /admin (0 args)', { type: 'ACK', nsp: '/admin', id: 7 }],
    // Acks are found by id: nothing waits for one without.
    ['an ACK with no id', '43[5]', 'ack with no id (1 arg; it answers no emit)', { type: 'ACK', args: [5] }],
    ['a CONNECT with an auth object', '40{"token":"t"}', 'connected / without a sid (a socket.io v3+ client takes it as a connect error)', { type: 'CONNECT', data: { token: 't' } }],
  ] as const)('%s', (_name, text, summary, value) => {
    expect(new SocketIoDecoder().decode(textFrame(text))).toMatchObject({ kind: 'decoded', summary, value });
  });

  it("a server's CONNECT without a sid: a v3+ client's connect error under Engine.IO 4, the usual answer under 3", () => {
    expect(new SocketIoDecoder().decode(textFrame('40/admin,', 'in'))?.summary).toBe('connected /admin without a sid (a socket.io v3+ client takes it as a connect error)');
    expect(new SocketIoDecoder().decode(textFrame('40{"sid":""}', 'in'))?.summary).toBe('connected / without a sid (a socket.io v3+ client takes it as a connect error)');
    expect(new SocketIoDecoder().decode(textFrame('40{"sid":5}', 'in'))?.summary).toBe('connected / sid=5');
    expect(new SocketIoDecoder({ engineVersion: 3 }).decode(textFrame('40/admin,', 'in'))?.summary).toBe('connected /admin');
    expect(new SocketIoDecoder().decode(textFrame('40/admin,', 'out'))?.summary).toBe('connect /admin');
  });

  it('a heartbeat the client sends the wrong way is not valid (an engine.io server closes the connection)', () => {
    const v4 = new SocketIoDecoder({ engineVersion: 4 });
    expect(v4.decode(textFrame('2', 'out'))?.summary).toBe('not valid Socket.IO: a ping from the client at character 0 (under Engine.IO 4 the server pings and the client answers with a pong)');
    expect(v4.decode(textFrame('2x', 'out'))?.kind).toBe('invalid');
    // An upgrade's probe, the server's ping and the client's pong are what Engine.IO 4 sends.
    expect(v4.decode(textFrame('2probe', 'out'))?.summary).toBe('ping probe');
    expect(v4.decode(textFrame('2', 'in'))?.summary).toBe('ping');
    expect(v4.decode(textFrame('3', 'out'))?.summary).toBe('pong');
    const v3 = new SocketIoDecoder({ engineVersion: 3 });
    expect(v3.decode(textFrame('3', 'out'))?.summary).toBe('not valid Socket.IO: a pong from the client at character 0 (under Engine.IO 3 the client pings and the server answers with a pong)');
    expect(v3.decode(textFrame('2', 'out'))?.summary).toBe('ping');
    expect(v3.decode(textFrame('3', 'in'))?.summary).toBe('pong');
  });

  it('a CONNECT_ERROR from the client is not valid (a socket.io server closes the connection); from the server it is the refusal', () => {
    const decoder = new SocketIoDecoder();
    expect(decoder.decode(textFrame('44/admin,{"message":"x"}', 'out'))?.summary).toBe('not valid Socket.IO: a CONNECT_ERROR from the client at character 1 (only a server sends it)');
    expect(decoder.decode(textFrame('44/admin,{"message":"x"}', 'in'))?.summary).toBe("connect error on /admin: 'x'");
  });

  it("a server's CONNECT_ERROR as its client reads it: data.message under Engine.IO 4, the data itself under 3", () => {
    const v4 = new SocketIoDecoder();
    expect(v4.decode(textFrame('44"x"', 'in'))?.summary).toBe(
      "connect error on / (its data is the string 'x', not an object with a message: a socket.io v3+ client's connect_error has an empty message)",
    );
    expect(v4.decode(textFrame('44{"data":1}', 'in'))?.summary).toBe("connect error on / (no message: a socket.io v3+ client's connect_error has an empty message)");
    expect(v4.decode(textFrame('44{"message":5}', 'in'))?.summary).toBe("connect error on /: '5'");
    const v3 = new SocketIoDecoder({ engineVersion: 3 });
    expect(v3.decode(textFrame('44/admin,"x"', 'in'))?.summary).toBe("connect error on /admin: 'x'");
  });

  // socket.io-parser throws on each (a socket.io server then closes the connection): what is wrong and at which character of the message.
  it.each([
    ['empty message', '', 'an empty message (no Engine.IO packet type)'],
    ['unknown Engine.IO type', '9hello', "unknown Engine.IO packet type '9' at character 0"],
    ['a message packet with nothing after it', '4', "an Engine.IO message ('4') with no Socket.IO packet after it at character 1"],
    ['unknown Socket.IO type', '49', "unknown Socket.IO packet type '9' at character 1"],
    ['unknown Socket.IO type (a letter)', '4x2', "unknown Socket.IO packet type 'x' at character 1"],
    ['event without array', '42"chat"', `an EVENT whose payload at character 2 is not an array: '"chat"'`],
    ['event payload an object, on a namespace with an id', '42/admin,12{"a":1}', `an EVENT whose payload at character 11 is not an array: '{"a":1}'`],
    ['truncated JSON', '42["chat",', `an EVENT whose payload at character 2 is not JSON: '["chat",'`],
    ['event with an empty array', '42[]', 'an EVENT with an empty array at character 2 (no event name)'],
    ['event named null', '42[null,1]', "an EVENT whose name at character 2 is not a string or a number: '[null,1]'"],
    ['event with a reserved name', '42/admin,["disconnect"]', "an EVENT named 'disconnect' at character 9, a name Socket.IO reserves"],
    ['ack without array', '431"x"', `an ACK whose payload at character 3 is not an array: '"x"'`],
    ['connect with a string', '40"x"', `a CONNECT whose payload at character 2 is not a JSON object: '"x"'`],
    ['connect with null', '40/admin,null', "a CONNECT whose payload at character 9 is not a JSON object: 'null'"],
    ['connect with an array', '40[]', "a CONNECT whose payload at character 2 is not a JSON object: '[]'"],
    ['disconnect with a payload', '41x', "a DISCONNECT with a payload at character 2 (it takes none): 'x'"],
    ['connect error with an array', '44[1]', "a CONNECT_ERROR whose payload at character 2 is neither a string nor a JSON object: '[1]'"],
    ['binary event without an attachment count', '45["x"]', `a BINARY_EVENT's attachment count at character 2 is not a whole number of 1 or more followed by '-': '["x"]'`],
    ['binary ack with 0 attachments', '460-[]', "a BINARY_ACK's attachment count at character 2 is not a whole number of 1 or more followed by '-': '0'"],
    ['binary event with too many attachments', '4511-["x"]', 'a BINARY_EVENT with 11 attachments at character 2 (socket.io-parser takes at most 10)'],
    ['binary event with a bad payload', '451-/a,9{}', "a BINARY_EVENT whose payload at character 8 is not an array: '{}'"],
    ['open packet without JSON', '0{sid', "the Engine.IO open packet's handshake is not JSON: '{sid'"],
  ])('%s is not valid', (_name, text, problem) => {
    const result = new SocketIoDecoder().decode(textFrame(text));
    expect(result).toMatchObject({ kind: 'invalid', problem, summary: `not valid Socket.IO: ${problem}` });
  });

  it('the payload a problem names starts where socket.io-parser reads it (whitespace after an id is read as part of it)', () => {
    expect(new SocketIoDecoder().decode(textFrame('42 7{}'))?.summary).toBe("not valid Socket.IO: an EVENT whose payload at character 4 is not an array: '{}'");
    expect(new SocketIoDecoder().decode(textFrame('42/a, 7"x"'))?.summary).toBe(`not valid Socket.IO: an EVENT whose payload at character 7 is not an array: '"x"'`);
  });

  it('a binary message with nothing to attach to is not valid, and the decoder goes on', () => {
    const decoder = new SocketIoDecoder();
    expect(decoder.decode(binaryFrame([1, 2]))?.summary).toBe('not valid Socket.IO: a binary message of 2 B with no binary event or ack before it to attach to');
    expect(decoder.decode(textFrame('42["x"]'))).toMatchObject({ kind: 'decoded', summary: "emit 'x'" });
  });

  it('text where an attachment was due is not valid (a placeholder count longer than what came)', () => {
    const decoder = new SocketIoDecoder();
    decoder.decode(textFrame('452-["bin",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]'));
    decoder.decode(binaryFrame([1]));
    expect(decoder.decode(textFrame('42["x"]'))?.summary).toBe('not valid Socket.IO: a text message while a binary event waits for its attachments');
    // The direction starts afresh, as after any packet the parser refuses.
    expect(decoder.decode(textFrame('42["y"]'))).toMatchObject({ kind: 'decoded', summary: "emit 'y'" });
  });

  it("'4' alone while a binary ack joins its attachments is not valid, and the direction starts afresh", () => {
    const decoder = new SocketIoDecoder();
    decoder.decode(textFrame('461-3[{"_placeholder":true,"num":0}]'));
    expect(decoder.idle('in')).toBe(false);
    expect(decoder.decode(textFrame('4'))?.kind).toBe('invalid');
    expect(decoder.idle('in')).toBe(true);
    expect(decoder.decode(textFrame('43["z"]'))?.summary).toBe('ack with no id (1 arg; it answers no emit)');
  });
});
