/**
 * A decoder forced on bytes that are not its protocol (`--decode stomp` on an MQTT session, the
 * tab's Decode choice): each protocol decoder × each other protocol's messages, plus random bytes.
 * Every answer is a real decode or "not valid <protocol>: what and where", never the other
 * protocol's bytes shown as if they were this one's (STOMP quoted MQTT's packet bytes as Latin-1
 * text; SignalR kept Socket.IO, STOMP, GraphQL and MQTT messages as "part of a record …
 * continues"), and never a throw.
 */
import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { DECODER_TITLES, type DecodeOutcome, type WireFrame } from '../../../src-main/core/decode/decoded-frame';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';

const FORCED = ['socketio', 'stomp', 'mqtt', 'graphql-ws', 'signalr'] as const;
type Forced = (typeof FORCED)[number];

const v4 = { protocolVersion: 4 } as const;
const v5 = { protocolVersion: 5 } as const;
const text = (s: string, dir: WireFrame['dir'] = 'out'): WireFrame => ({ seq: 0, dir, opcode: 'text', bytes: new Uint8Array(Buffer.from(s, 'utf8')) });
const binary = (bytes: Uint8Array, dir: WireFrame['dir'] = 'out'): WireFrame => ({ seq: 0, dir, opcode: 'binary', bytes: Uint8Array.from(bytes) });

/** Each protocol's own messages, as a session of it starts and goes on (both directions). */
const SAMPLES: Readonly<Record<Forced, readonly WireFrame[]>> = {
  socketio: [
    text('0{"sid":"a","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}', 'in'),
    text('40'),
    text('40{"sid":"b"}', 'in'),
    text('42["chat","hi"]'),
    text('451-["upload",{"_placeholder":true,"num":0}]'),
    binary(Uint8Array.from([1, 2, 3])),
    text('2', 'in'),
    text('3'),
  ],
  stomp: [
    text('CONNECT\naccept-version:1.2\nhost:broker\n\n\0'),
    text('CONNECTED\nversion:1.2\n\n\0', 'in'),
    text('SUBSCRIBE\nid:0\ndestination:/topic/a\n\n\0'),
    text('SEND\ndestination:/queue/a\ncontent-type:text/plain\n\nhello\0'),
    binary(Buffer.from('MESSAGE\ndestination:/topic/a\nsubscription:0\nmessage-id:1\n\n{"price":1}\0'), 'in'),
    text('\n', 'in'),
  ],
  mqtt: [
    binary(mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c', clean: true, keepalive: 30 }, v4)),
    binary(mqtt.generate({ cmd: 'connack', returnCode: 0, sessionPresent: false }, v4), 'in'),
    binary(mqtt.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'sensors/#', qos: 1 }] }, v4)),
    binary(mqtt.generate({ cmd: 'publish', topic: 'sensors/1', payload: Buffer.from('{"t":21.5}'), qos: 1, messageId: 7, retain: false, dup: false }, v4)),
    binary(mqtt.generate({ cmd: 'publish', topic: 'big', payload: Buffer.alloc(1000, 0x41), qos: 0, retain: false, dup: false }, v4), 'in'),
    binary(mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: 'c5', clean: true, keepalive: 10, properties: { sessionExpiryInterval: 60 } }, v5)),
    binary(mqtt.generate({ cmd: 'pingreq' }, v4)),
    binary(mqtt.generate({ cmd: 'disconnect' }, v4)),
  ],
  'graphql-ws': [
    text('{"type":"connection_init","payload":{}}'),
    text('{"type":"connection_ack"}', 'in'),
    text('{"id":"1","type":"subscribe","payload":{"query":"subscription Prices { prices { sym } }"}}'),
    text('{"id":"1","type":"next","payload":{"data":{"prices":{"sym":"A"}}}}', 'in'),
    text('{"id":"1","type":"complete"}', 'in'),
  ],
  signalr: [
    text('{"protocol":"json","version":1}\u001e'),
    text('{}\u001e', 'in'),
    text('{"type":1,"target":"Send","arguments":["room","hi"]}\u001e'),
    text('{"type":1,"target":"Receive","arguments":["hi"]}\u001e{"type":6}\u001e', 'in'),
    text('{"type":7}\u001e', 'in'),
  ],
};

/** Seeded, so a failure is the same run after run. */
function randomMessages(count: number, seed: number): WireFrame[] {
  let state = seed;
  const next = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const frames: WireFrame[] = [];
  for (let i = 0; i < count; i++) {
    const bytes = Uint8Array.from({ length: 1 + Math.floor(next() * 40) }, () => Math.floor(next() * 256));
    frames.push(next() < 0.5 ? binary(bytes, next() < 0.5 ? 'in' : 'out') : { ...text(''), dir: next() < 0.5 ? 'in' : 'out', bytes });
  }
  return frames;
}

/** The forced decoder's answers for a stream, in order (one decoder, as a session reads it); a throw fails the test. */
function answers(forced: Forced, frames: readonly WireFrame[]): (DecodeOutcome | undefined)[] {
  const decoder = createDecoder(forced);
  return frames.map((frame, i) => decoder.decode({ ...frame, seq: i + 1 }));
}

/**
 * The only cross answers that may stay under way: bytes that really are the start of a message
 * of the forced protocol, nothing in them saying otherwise (a forced decoder must not refuse
 * what its protocol allows).
 */
const PREFIXES: ReadonlySet<string> = new Set([
  // STOMP's heart-beat, an LF: JSON whitespace, which a SignalR record may start with.
  'signalr stomp 6',
  // MQTT's PINGREQ, C0 00: a MessagePack hub message's length prefix (64 B, written long) and no byte of it yet.
  'signalr mqtt 7',
]);

const problemOf = (forced: Forced): RegExp => new RegExp(`^not valid ${DECODER_TITLES[forced].replace(/[.]/g, '\\.')}: \\S`);

describe('a forced decoder on bytes that are not its protocol', () => {
  for (const forced of FORCED) {
    it(`${forced}: decodes its own session (the matrix's other half)`, () => {
      const own = answers(forced, SAMPLES[forced]);
      expect(own.filter((answer) => answer?.kind === 'invalid').map((answer) => answer?.summary)).toEqual([]);
    });

    for (const other of FORCED.filter((name) => name !== forced)) {
      it(`${forced} on ${other}'s messages: each is "not valid ${DECODER_TITLES[forced]}: …"`, () => {
        const got = answers(forced, SAMPLES[other]);
        for (const [i, answer] of got.entries()) {
          // Every sample is a data message: something is said of each.
          expect(answer, `message ${i + 1}`).toBeDefined();
          if (PREFIXES.has(`${forced} ${other} ${i + 1}`)) {
            expect(answer?.kind).toBe('partial');
            continue;
          }
          expect(answer?.kind, `message ${i + 1}: ${answer?.summary ?? ''}`).toBe('invalid');
          expect(answer?.summary).toMatch(problemOf(forced));
        }
      });
    }

    it(`${forced} on random bytes: never a throw, and a problem always says what and where in words`, () => {
      for (const seed of [1, 2, 3]) {
        const frames = randomMessages(300, seed);
        for (const [i, answer] of answers(forced, frames).entries()) {
          if (answer === undefined) continue;
          if (answer.kind === 'invalid') expect(answer.summary).toMatch(problemOf(forced));
          // No raw control bytes: quoted text escapes them.
          expect(answer.summary).not.toMatch(/[\u0000-\u001f\u007f]/);
          // A binary message's bytes are never shown as the Latin-1 characters they read as (a text
          // message's characters are its UTF-8's, shown as they are).
          if (frames[i]?.opcode === 'binary') expect(answer.summary).not.toMatch(/[\u0080-\u00ff]/);
        }
      }
    });
  }

  it('says what and where: STOMP names the byte by its code, SignalR where a record cannot start', () => {
    const [connect] = answers('stomp', SAMPLES.mqtt);
    expect(connect?.summary).toBe("not valid STOMP: byte 0 is 0x10, where a frame's command (CONNECT, SEND, MESSAGE, …: capital letters) starts");
    expect(answers('stomp', [text('42["chat","hi"]')])[0]?.summary).toBe("not valid STOMP: byte 0 is '4' (0x34), where a frame's command (CONNECT, SEND, MESSAGE, …: capital letters) starts");
    // A letter may still begin a word that is no command: named as text, as before.
    expect(answers('stomp', [text('HELLO\n\n\0')])[0]?.summary).toBe('not valid STOMP: unknown command "HELLO" at byte 0');
    expect(answers('signalr', [text('42["chat","hi"]')])[0]?.summary).toBe("not valid SignalR: the message starts with '4' at character 0, where a record (a JSON object ended by 0x1E) starts with '{'");
    expect(answers('signalr', [text('{"type":"connection_init"}')])[0]?.summary).toBe('not valid SignalR: the message has no "type" (a whole number) (and no 0x1E record separator after it)');
    expect(answers('signalr', [SAMPLES.mqtt[0] as WireFrame])[0]?.summary).toBe(
      'not valid SignalR: MessagePack hub message 1 (16 B by its length prefix) is not a MessagePack array: its first byte (byte 1 of the message) is 0x0d, where an array starts',
    );
  });

  it('SignalR still keeps a record or hub message split over messages, and reads it when it ends', () => {
    const split = answers('signalr', [text('{"protocol":"json","version":1}\u001e{"type":1,"tar'), text('get":"Send","arguments":[]}'), text('\u001e')]);
    expect(split.map((answer) => answer?.kind)).toEqual(['decoded', 'partial', 'decoded']);
    expect(split[2]?.summary).toBe("invoke 'Send' (0 args)");
    // A whole valid record whose separator comes in the next message stays under way.
    const late = answers('signalr', [text('{"protocol":"json","version":1}\u001e'), text('{"type":6}'), text('\u001e')]);
    expect(late.map((answer) => answer?.kind)).toEqual(['decoded', 'partial', 'decoded']);
    // MessagePack: a hub message whose array comes in the next message.
    const hub = Uint8Array.from([0x02, 0x91, 0x06]);
    const parts = answers('signalr', [text('{"protocol":"messagepack","version":1}\u001e'), binary(hub.subarray(0, 1)), binary(hub.subarray(1))]);
    expect(parts.map((answer) => answer?.kind)).toEqual(['decoded', 'partial', 'decoded']);
    expect(parts[2]?.summary).toBe('ping');
  });
});
