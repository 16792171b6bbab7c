/**
 * The Socket.IO event prefilter (raw-prefilter.ts): a text message that is not a binary header
 * and has no escape where the event name is decodes alone as in order, and can be `chat` only
 * if it holds `"chat"`. Compared, on crafted and random streams, with decoding every frame.
 */
import { describe, expect, it } from 'vitest';
import type { DecodeOutcome } from '../../../src-main/core/decode/decoded-frame';
import { decodedFields } from '../../../src-main/core/decode/decoded-fields';
import { socketIoNumberedEvent, socketIoSelfContained } from '../../../src-main/core/decode/raw-prefilter';
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

describe('events named by numbers (decoded-fields.ts: the number as the summary writes it)', () => {
  const decode = (message: string): DecodeOutcome | undefined => new SocketIoDecoder({ engineVersion: 4 }).decode(textFrame(message, 'in'));
  const eventsOf = (message: string): string[] => {
    const outcome = decode(message);
    return outcome?.kind === 'decoded' ? decodedFields(outcome.value).events : [];
  };

  it('the event field holds the number as the summary shows it, and only for a Socket.IO event', () => {
    expect(decode('42[1,2]')?.summary).toBe('emit 1');
    expect(eventsOf('42[1,2]')).toEqual(['1']);
    expect(eventsOf('42/admin,7[ 1.0e0]')).toEqual(['1']);
    expect(eventsOf('42[-0]')).toEqual(['0']);
    expect(eventsOf('42[1e999]')).toEqual(['Infinity']);
    expect(eventsOf('431[1]')).toEqual([]); // an ack's first argument is no event
    // A SignalR record's own `event` key is not read as a Socket.IO event (its type is a number).
    expect(decodedFields({ type: 1, target: 'Send', event: 1 }).events).toEqual(['Send']);
  });

  it('socketIoNumberedEvent: an EVENT whose payload may open with a number, past a namespace and an id as the parser reads them', () => {
    const numbered = (s: string): boolean => {
      const bytes = Buffer.from(s, 'utf8');
      return socketIoNumberedEvent(bytes, 0, bytes.length);
    };
    for (const s of ['42[1]', '42[-1]', '42[ \n\t0.5]', '42/admin,[1]', '42/a[",12[3]', '42 [1]', '4212\t[1]', '42\u00a0["x"]']) expect(numbered(s), s).toBe(true);
    for (const s of ['42["1"]', '42["x",1]', '43[1]', '42/a[1', '42', '42/admin', '40[1]', '42{"a":1}', '45[1]']) expect(numbered(s), s).toBe(false);
  });

  it('a search for a numeric event finds what decoding every frame finds, on crafted messages', () => {
    const messages: Message[] = [
      text('in', '0{"sid":"x","upgrades":[],"pingInterval":25000,"pingTimeout":20000}'),
      text('in', '42[1,2]'),
      text('in', '42["1"]'),
      text('in', '42["\\u0031"]'),
      text('in', '42[1.0]'),
      text('in', '42/admin,5 [1e0,"chat"]'),
      text('in', '42\u00a0[1]'),
      text('in', '42["chat",[1,2]]'),
      text('in', '42[2]'),
      text('in', '42[1e999]'),
      text('in', '42["Infinity"]'),
    ];
    const hits = compareSearches(messages, 'socketio', URL4, () => new SocketIoDecoder({ engineVersion: 4 }), [{ event: '1' }]);
    for (const { label, expected, got } of hits) expect(got, label).toEqual(expected);
    expect(hits[0]?.expected).toEqual([2, 3, 4, 5, 6, 7]);
    expectAgreement(messages, URL4, ['chat', '1', '2', 'Infinity', '1e999']);
  });

  it('on random streams: numeric, string, escaped and non-ASCII event names, namespaces, ids, connects', () => {
    const random = seeded(41);
    const names = ['1', '1.0', '1e0', '10e-1', '-0', '0', '-1', '2', '1e999', '-1e999', '"1"', '"\\u0031"', '"chat"', '"ch\\u0061t"', '"caf\u00e9"', '"caf\\u00e9"', '"Infinity"', '"-0"', '"\ud83d\ude00"'];
    for (let round = 0; round < 40; round++) {
      const messages: Message[] = [text('in', '0{"sid":"x","upgrades":[],"pingInterval":25000,"pingTimeout":20000}')];
      for (let i = 0; i < 40; i++) {
        const dir = random(3) === 0 ? 'out' : 'in';
        const nsp = pick(random, ['', '', '/admin,', '/a[1,', '/b[",']);
        const id = random(4) === 0 ? String(random(100)) : '';
        const space = pick(random, ['', '', ' ', '\t', '\u00a0', '\n']);
        const inner = pick(random, ['', '', ' ', '\n ']);
        switch (random(6)) {
          case 0:
            messages.push(text(dir, pick(random, ['40', '40/admin,', '41/admin,', '44{"message":"no"}', '43[1]', '42[]', '42', '42[1'])));
            break;
          case 1:
            messages.push(text(dir, `451-${nsp}${id}[${inner}${pick(random, names)},{"_placeholder":true,"num":0}]`), binary(dir, [random(256)]));
            break;
          default:
            messages.push(text(dir, `42${nsp}${id}${space}[${inner}${pick(random, names)}${random(2) === 0 ? ',[1,"chat"]' : ''}]`));
        }
      }
      expectAgreement(messages, random(4) === 0 ? URL3 : URL4, ['1', '0', '-1', 'Infinity', '-Infinity', 'chat', 'caf\u00e9', '\ud83d\ude00', '2', '-0']);
    }
  });
});
