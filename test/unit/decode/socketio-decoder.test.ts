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
    ['connect on a namespace', '40/admin,', 'connected /admin'],
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

  it.each([
    ['empty message', '', /an empty message/],
    ['unknown Engine.IO type', '9hello', /unknown Engine.IO packet type '9' at character 0/],
    ['unknown Socket.IO type', '49', /^not valid Socket.IO: unknown packet type 9 in the Socket.IO packet '9'$/],
    ['event without array', '42"chat"', /^not valid Socket.IO: invalid payload in the Socket.IO packet '2"chat"'$/],
    ['truncated JSON', '42["chat",', /invalid payload/],
    ['open packet without JSON', '0{sid', /open packet's handshake is not JSON/],
  ])('%s is not valid', (_name, text, problem) => {
    const result = new SocketIoDecoder().decode(textFrame(text));
    expect(result?.kind).toBe('invalid');
    expect(result?.summary).toMatch(problem);
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
    expect(decoder.decode(textFrame('42["x"]'))?.summary).toMatch(/^not valid Socket.IO: got plaintext data when reconstructing a packet/);
  });
});
