/**
 * SignalR's JSON hub protocol from recorded frames (no SignalR server runs here: the frames are
 * those of the ASP.NET Core chat sample and the HubProtocol specification's examples, as a
 * browser's DevTools shows them), then malformed ones.
 */
import { describe, expect, it } from 'vitest';
import { SignalRDecoder } from '../../../src-main/core/decode/signalr-decoder';
import { binaryFrame, textFrame } from './wire';

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
    expect(decoder.decode(textFrame(`eive","arguments":[]}${RS}{"type":6`, 'in'))).toMatchObject({ kind: 'decoded', summary: "invoke 'Receive' (0 args) · then part of a record (continues)" });
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

  it('a binary message (the MessagePack hub protocol) is said not to be decoded', () => {
    expect(new SignalRDecoder().decode(binaryFrame([0x03, 0x93, 0x06, 0x80]))?.summary).toBe('not valid SignalR: a binary message of 4 B (the MessagePack hub protocol is not decoded; only JSON)');
  });
});
