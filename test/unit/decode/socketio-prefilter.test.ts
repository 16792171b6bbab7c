/**
 * The Socket.IO event prefilter (raw-prefilter.ts): a text message that is not a binary header
 * and has no escape where the event name is decodes alone as in order, and can be `chat` only
 * if it holds `"chat"`. Compared, on crafted and random streams, with decoding every frame.
 */
import { describe, expect, it } from 'vitest';
import { socketIoSelfContained } from '../../../src-main/core/decode/raw-prefilter';
import { SocketIoDecoder } from '../../../src-main/core/decode/socketio-decoder';
import { binary, compareSearches, pick, seeded, text, type Message } from './prefilter-harness';
import { textFrame, binaryFrame } from './wire';

const URL4 = 'ws://h/socket.io/?EIO=4&transport=websocket';
const URL3 = 'ws://h/socket.io/?EIO=3&transport=websocket';

function expectAgreement(messages: readonly Message[], url = URL4, events = ['chat', 'chat2', 'e"q', 'caf\u00e9']): void {
  const version = url.includes('EIO=3') ? 3 : 4;
  for (const { label, expected, got } of compareSearches(messages, 'socketio', url, () => new SocketIoDecoder({ engineVersion: version }), events.map((event) => ({ event })))) {
    expect(got, label).toEqual(expected);
  }
}

describe('socketIoSelfContained', () => {
  const sc = (s: string): boolean => {
    const bytes = Buffer.from(s, 'utf8');
    return socketIoSelfContained(bytes, 0, bytes.length, 'text');
  };
  it('takes plain text messages, escapes outside the event included', () => {
    expect(sc('42["chat",{"a":1}]')).toBe(true);
    expect(sc('42/admin,7["chat"]')).toBe(true);
    expect(sc('42["chat","he said \\"hi\\""]')).toBe(true);
    expect(sc('2probe')).toBe(true);
  });
  it('refuses binary headers and an escape in a string right after a bracket', () => {
    expect(sc('451-["chat",{"_placeholder":true,"num":0}]')).toBe(false);
    expect(sc('461-/admin,3[{"_placeholder":true,"num":0}]')).toBe(false);
    expect(sc('42["ch\\u0061t"]')).toBe(false);
    expect(sc('42[ \n"ch\\u0061t"]')).toBe(false);
    expect(sc('42/a[b,["x\\"y"]')).toBe(false); // a bracket in the namespace: every bracket is looked at
  });
  it('says nothing about binary and control frames (an idle direction answers them alike)', () => {
    expect(socketIoSelfContained(Buffer.from([4, 1]), 0, 2, 'binary')).toBe(true);
    expect(socketIoSelfContained(Buffer.alloc(0), 0, 0, 'ping')).toBe(true);
  });
});

describe('SocketIoDecoder.idle', () => {
  it('is false while a binary event waits for its attachments, per direction', () => {
    const decoder = new SocketIoDecoder({ engineVersion: 4 });
    expect(decoder.idle('in')).toBe(true);
    decoder.decode(textFrame('452-["up",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]', 'in'));
    expect(decoder.idle('in')).toBe(false);
    expect(decoder.idle('out')).toBe(true);
    decoder.decode(binaryFrame([1], 'in'));
    expect(decoder.idle('in')).toBe(false);
    expect(decoder.decode(binaryFrame([2], 'in'))).toMatchObject({ kind: 'decoded', value: { event: 'up' } });
    expect(decoder.idle('in')).toBe(true);
  });
  it('follows the parser, not the header regex: "45 1-" makes it wait too', () => {
    const decoder = new SocketIoDecoder({ engineVersion: 4 });
    decoder.decode(textFrame('45 1-["chat",{"_placeholder":true,"num":0}]', 'in'));
    expect(decoder.idle('in')).toBe(false);
  });
});

describe('a Socket.IO event search with the prefilter agrees with decoding every frame', () => {
  it('on crafted messages: escapes, namespaces, ack ids, binary events, malformed ones', () => {
    const messages: Message[] = [
      text('in', '0{"sid":"x","upgrades":[],"pingInterval":25000,"pingTimeout":20000}'),
      text('in', '40'),
      text('in', '42["chat","hi"]'),
      text('in', '42["ch\\u0061t","escaped"]'),
      text('out', '42[ "chat" ]'),
      text('in', '42/admin,12["chat",{"t":1}]'),
      text('in', '42/a["x,["chat"]'), // the namespace holds a bracket and a quote
      text('in', '42["chatty"]'),
      text('in', '42["other","chat"]'), // the needle in an argument only
      text('in', '42["chat"'), // not JSON
      text('in', '42["connect"]'), // a reserved event: not valid
      text('in', '451-["chat",{"_placeholder":true,"num":0}]'),
      text('out', '42["chat2"]'), // the other direction is not waiting
      binary('in', [1, 2, 3]), // the attachment: the event shows here
      binary('in', [9]), // nothing waits: not valid
      text('in', '452-["chat",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]'),
      binary('in', [1]),
      text('in', '42["chat","interrupts the join"]'), // plain text while joining: not valid, starts afresh
      binary('in', [2]),
      text('in', '45 1-["chat",{"_placeholder":true,"num":0}]'), // the parser takes " 1" as a count
      binary('in', [3]),
      text('in', '42["chat"]'),
      text('in', '461-/admin,4[{"_placeholder":true,"num":0}]'),
      binary('in', [4]),
      text('in', '42["e\\"q"]'),
      text('in', '42["caf\u00e9"]'),
      text('in', '42["caf\\u00e9"]'),
      text('in', 'b4AQID'),
      text('in', ''),
      text('in', '3'),
      { dir: 'in', opcode: 'ping', bytes: Buffer.from('42["chat"]') },
    ];
    expectAgreement(messages);
  });

  it('under Engine.IO 3 (binary messages start with a type byte)', () => {
    expectAgreement([
      text('in', '451-["chat",{"_placeholder":true,"num":0}]'),
      binary('in', [4, 1, 2]),
      text('in', '451-["chat",{"_placeholder":true,"num":0}]'),
      binary('in', [1, 2]), // no type byte: not valid, and the join still waits
      binary('in', [4, 7]),
      text('in', '42["chat"]'),
      binary('out', [4, 1]),
    ], URL3);
  });

  it('on random streams of both directions', () => {
    const random = seeded(14);
    const events = ['chat', 'chat2', 'ch\\u0061t', '\\u0063hat', 'e\\"q', 'caf\u00e9', 'x'];
    for (let round = 0; round < 60; round++) {
      const messages: Message[] = [];
      for (let i = 0; i < 40; i++) {
        const dir = random(3) === 0 ? 'out' : 'in';
        const event = pick(random, events);
        const nsp = pick(random, ['', '', '/admin,', '/a[",', '/x,']);
        const ack = random(4) === 0 ? String(random(100)) : '';
        const space = pick(random, ['', ' ', '\n ']);
        switch (random(8)) {
          case 0: {
            const count = 1 + random(2);
            const holders = Array.from({ length: count }, (_, n) => `{"_placeholder":true,"num":${n}}`).join(',');
            messages.push(text(dir, `4${pick(random, ['5', '6'])}${pick(random, [String(count), String(count), ' 1', '0', 'x'])}-${nsp}${ack}[${space}"${event}",${holders}]`));
            for (let n = random(count + 2); n > 0; n--) messages.push(binary(random(5) === 0 ? (dir === 'in' ? 'out' : 'in') : dir, [random(256), 4]));
            break;
          }
          case 1:
            messages.push(binary(dir, [4, random(256)]));
            break;
          case 2:
            messages.push(text(dir, pick(random, ['42["chat"', '42', '4', '', '2', '3probe', '40/admin,', 'b4AQ', '41', '42[]', '42["connect"]'])));
            break;
          default:
            messages.push(text(dir, `42${nsp}${ack}[${space}"${event}"${random(2) === 0 ? ',"chat"' : ''},{"n":${i},"s":"a\\\\b"}]`));
        }
      }
      expectAgreement(messages, random(4) === 0 ? URL3 : URL4, ['chat', 'chat2', 'caf\u00e9', 'e"q']);
    }
  });
});
