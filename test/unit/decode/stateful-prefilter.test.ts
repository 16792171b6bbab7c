/**
 * The stateful prefilters (stateful-prefilter.ts): MQTT topics (3.1.1 and 5, topic aliases set
 * and used, packets spanning and sharing messages, the version from the CONNECT) and GraphQL
 * operations (results named by their subscribe, ids reused, escapes). Compared, on crafted and
 * random streams, with decoding every frame; each value has its own walk, and later searches
 * of another value must not take what an earlier walk passed over.
 */
import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { DecodeCommands } from '../../../src-main/core/decode-commands';
import { decodedFields } from '../../../src-main/core/decode/decoded-fields';
import { GraphqlWsDecoder } from '../../../src-main/core/decode/graphql-ws-decoder';
import { MqttDecoder } from '../../../src-main/core/decode/mqtt-decoder';
import { SignalRDecoder } from '../../../src-main/core/decode/signalr-decoder';
import { MAX_PREFILTER_WALK } from '../../../src-main/core/decode/prefilter-walk';
import { holdsBytes, statefulPrefilter } from '../../../src-main/core/decode/stateful-prefilter';
import { FrameStore } from '../../../src-main/core/session/frame-store';
import type { DecodedFilter } from '../../../src-main/shared/decoding';
import { binary, compareSearches, pick, seeded, text, type Message } from './prefilter-harness';
import { binaryFrame } from './wire';

function expectAgreement(messages: readonly Message[], choice: 'mqtt' | 'graphql-ws' | 'signalr', filters: readonly DecodedFilter[], maxFrames?: number, ended = false): void {
  const make = choice === 'mqtt' ? () => new MqttDecoder() : choice === 'signalr' ? () => new SignalRDecoder() : () => new GraphqlWsDecoder();
  for (const { label, expected, got } of compareSearches(messages, choice, 'ws://h/', make, filters, maxFrames, undefined, ended)) {
    expect(got, label).toEqual(expected);
  }
}

type Version = 3 | 4 | 5;
const connect = (version: Version): Buffer => mqtt.generate({ cmd: 'connect', protocolId: version === 3 ? 'MQIsdp' : 'MQTT', protocolVersion: version, clientId: 'c', clean: true, keepalive: 30 }, { protocolVersion: version });
function publish(version: Version, topic: string, properties?: Record<string, unknown>, qos: 0 | 1 = 0): Buffer {
  return mqtt.generate({ cmd: 'publish', topic, payload: Buffer.from(`{"topic":"${topic}"}`), qos, ...(qos > 0 ? { messageId: 3 } : {}), retain: false, dup: false, ...(properties ? { properties } : {}) } as mqtt.IPublishPacket, { protocolVersion: version });
}
const subscribe = (version: Version, topic: string): Buffer => mqtt.generate({ cmd: 'subscribe', messageId: 9, subscriptions: [{ topic, qos: 0 }] }, { protocolVersion: version });
const unsubscribe = (version: Version, topic: string): Buffer => mqtt.generate({ cmd: 'unsubscribe', messageId: 9, unsubscriptions: [topic] }, { protocolVersion: version });
const TOPICS: DecodedFilter[] = [{ topic: 'a/7' }, { topic: 'a/70' }, { topic: 'b' }];

describe('MqttDecoder: topic aliases and idle', () => {
  it('shows an aliased PUBLISH with the topic its alias stands for, per direction', () => {
    const decoder = new MqttDecoder();
    decoder.decode(binaryFrame(connect(5), 'out'));
    decoder.decode(binaryFrame(publish(5, 'a/7', { topicAlias: 2 }), 'in'));
    expect(decoder.decode(binaryFrame(publish(5, '', { topicAlias: 2 }), 'in'))).toMatchObject({ summary: 'PUBLISH a/7 (alias 2) QoS 0 12 B', value: { topic: 'a/7', topicFromAlias: true } });
    expect(decoder.decode(binaryFrame(publish(5, '', { topicAlias: 2 }), 'out'))).toMatchObject({ value: { topic: '' } });
    expect(decoder.aliasesOf('in', 'a/7')).toEqual(new Set([2]));
    decoder.decode(binaryFrame(publish(5, 'b', { topicAlias: 2 }), 'in'));
    expect(decoder.aliasesOf('in', 'a/7')?.size ?? 0).toBe(0);
  });
  it('is idle only between whole packets', () => {
    const decoder = new MqttDecoder();
    const bytes = publish(4, 'a/7');
    decoder.decode(binaryFrame(bytes.subarray(0, 1), 'in'));
    expect(decoder.idle('in')).toBe(false);
    expect(decoder.idle('out')).toBe(true);
    decoder.decode(binaryFrame(bytes.subarray(1, 5), 'in'));
    expect(decoder.idle('in')).toBe(false);
    decoder.decode(binaryFrame(bytes.subarray(5), 'in'));
    expect(decoder.idle('in')).toBe(true);
  });
});

describe('an MQTT topic search with the prefilter agrees with decoding every frame', () => {
  it('on crafted messages: 3.1.1 then 5, aliases, spanning and shared messages, bad packets', () => {
    const p4 = publish(4, 'a/7');
    const messages: Message[] = [
      binary('out', connect(4)),
      binary('in', p4),
      binary('in', Buffer.concat([publish(4, 'b'), publish(4, 'a/7', undefined, 1)])),
      binary('in', p4.subarray(0, 3)),
      binary('out', publish(4, 'a/7')), // the other direction holds nothing
      binary('in', p4.subarray(3)),
      binary('in', Buffer.concat([publish(4, 'b'), p4.subarray(0, 6)])),
      binary('in', Buffer.concat([p4.subarray(6), publish(4, 'a/70')])),
      binary('out', subscribe(4, 'a/7')),
      binary('out', unsubscribe(4, 'b')),
      binary('in', [0x30, 0x80, 0x80, 0x80, 0x80]), // a bad length: not valid, afresh
      binary('in', [0x32, 0x02, 0x00]), // too short
      binary('in', [0x31]), // a header alone
      binary('in', publish(5, 'a/7', { topicAlias: 1 })), // version 5 bytes read as 3.1.1
      binary('out', connect(5)),
      binary('in', publish(5, 'a/7', { topicAlias: 1 })),
      binary('in', publish(5, '', { topicAlias: 1 })),
      binary('in', publish(5, '', { topicAlias: 1 }).subarray(0, 4)),
      binary('in', publish(5, '', { topicAlias: 1 }).subarray(4)),
      binary('out', publish(5, '', { topicAlias: 1 })), // the client's aliases are its own
      binary('in', publish(5, 'b', { topicAlias: 1 })), // the alias now stands for b
      binary('in', publish(5, '', { topicAlias: 1 })),
      binary('in', publish(5, '', { topicAlias: 9 })), // never set
      binary('in', publish(5, 'a/7', { topicAlias: 3, userProperties: { k: '#\u0000\u0003' } })),
      binary('in', publish(5, '', { userProperties: { k: '#\u0000\u0003' } })), // 0x23 0 3 in a user property
      binary('in', publish(5, '', { topicAlias: 3 }, 1)),
      binary('in', Buffer.concat([publish(5, 'c', { topicAlias: 4 }), publish(5, '', { topicAlias: 4 })])),
      binary('in', publish(5, 'a/7', { contentType: 'x' })),
      text('in', '\u0030\u0005\u0000\u0003a/7'), // a text message is read too
      { dir: 'in', opcode: 'ping', bytes: p4 },
      binary('out', connect(4)), // back to 3.1.1: what follows has no properties
      binary('in', publish(4, 'a/7')),
      binary('in', publish(5, '', { topicAlias: 3 })),
    ];
    expectAgreement(messages, 'mqtt', TOPICS);
  });

  it('reads both directions by one version, also after a CONNECT in the server’s direction and a bad packet', () => {
    // mqtt-packet makes a parsed CONNECT its parser's settings; a parser made afresh after a bad
    // packet would read by the shared version instead, so passing over the bad packet changed
    // how the next one read (found by a longer run of the random streams).
    const unsubscribe5 = mqtt.generate({ cmd: 'unsubscribe', messageId: 1, unsubscriptions: ['a/7'] }, { protocolVersion: 5 });
    const messages: Message[] = [
      binary('in', connect(3)),
      binary('out', connect(5)),
      binary('in', [0xf0, 0x00]), // AUTH: not valid under 3.1, valid framing
      binary('in', unsubscribe5),
      binary('in', publish(5, 'a/7', { contentType: 'x' })),
    ];
    expectAgreement(messages, 'mqtt', TOPICS);
    const decoder = new MqttDecoder();
    messages.slice(0, 2).forEach((m, seq) => decoder.decode({ seq, dir: m.dir, opcode: 'binary', bytes: new Uint8Array(m.bytes) }));
    expect(decoder.decode({ seq: 3, dir: 'in', opcode: 'binary', bytes: new Uint8Array(unsubscribe5) })).toMatchObject({ kind: 'decoded', value: { unsubscriptions: ['a/7'] } });
  });

  it('on random streams: packets cut and joined at random, versions switched, aliases set and used', () => {
    const random = seeded(5);
    for (let round = 0; round < 60; round++) {
      const streams: Record<'in' | 'out', Buffer[]> = { in: [], out: [] };
      let version: Version = pick(random, [4, 5] as const);
      streams.out.push(connect(version));
      for (let i = 0; i < 40; i++) {
        const dir = random(4) === 0 ? 'out' : 'in';
        const topic = pick(random, ['a/7', 'a/70', 'b', '']);
        const alias = 1 + random(3);
        let packet: Buffer;
        try {
          switch (random(10)) {
            case 0:
              version = pick(random, [3, 4, 5] as const);
              packet = connect(version);
              break;
            case 1:
              packet = subscribe(version, topic || 'b');
              break;
            case 2:
              packet = unsubscribe(version, topic || 'b');
              break;
            case 3:
              packet = Buffer.from(pick(random, [[0xc0, 0x00], [0x30, 0xff, 0xff, 0xff, 0xff], [0x31, 0x01, 0x00], [0xe0, 0x00]]));
              break;
            case 4:
              // Written as the other version (read as this one: other bytes, maybe not valid).
              packet = publish(version === 5 ? 4 : 5, topic || 'a/7', version === 5 ? undefined : { topicAlias: alias });
              break;
            default:
              packet = version === 5 && random(2) === 0 ? publish(5, topic, { topicAlias: alias }, random(2) === 0 ? 0 : 1) : publish(version, topic || 'b');
          }
        } catch {
          continue; // a packet mqtt-packet will not write (an empty topic without an alias)
        }
        streams[dir].push(packet);
      }
      const pieces: Record<'in' | 'out', Buffer[]> = { in: [], out: [] };
      for (const dir of ['in', 'out'] as const) {
        const all = Buffer.concat(streams[dir]);
        for (let at = 0; at < all.length; ) {
          const end = Math.min(all.length, at + 1 + random(random(3) === 0 ? 8 : 60));
          pieces[dir].push(all.subarray(at, end));
          at = end;
        }
      }
      const messages: Message[] = [];
      while (pieces.in.length + pieces.out.length > 0) {
        const dir = pieces.out.length === 0 || (pieces.in.length > 0 && random(3) !== 0) ? 'in' : 'out';
        const piece = pieces[dir].shift();
        if (piece) messages.push(binary(dir, piece));
        // Now and then an empty message (no packet, or nothing of the one under way).
        if (random(20) === 0) messages.push(binary(dir, []));
      }
      // Live, or ended (a direction cut mid-packet then says the rest never came: session-end.ts).
      expectAgreement(messages, 'mqtt', TOPICS, random(3) === 0 ? Math.max(1, messages.length - 10) : undefined, random(2) === 0);
      // fields() gives what decode() gives decoded-fields.ts, message by message, and moves the decoder alike.
      const decoding = new MqttDecoder();
      const fielding = new MqttDecoder();
      messages.forEach((m, seq) => {
        const frame = { seq, dir: m.dir, opcode: m.opcode, bytes: new Uint8Array(m.bytes) };
        const outcome = decoding.decode(frame);
        const expected = outcome && outcome.kind !== 'invalid' ? decodedFields(outcome.value) : decodedFields(null);
        expect(fielding.fields({ ...frame, bytes: new Uint8Array(m.bytes) }), `round ${round} message ${seq}`).toEqual(expected);
      });
    }
  });

  it('passes over whole packets of other topics and decodes what could set state', () => {
    const prefilter = statefulPrefilter('mqtt', { topics: 'a/7' });
    if (!prefilter) throw new Error('no prefilter');
    const decoder = new MqttDecoder();
    const passable = (bytes: Buffer): boolean => prefilter.passable(decoder, bytes, 0, bytes.length, 'binary', 'in');
    expect(passable(Buffer.concat([publish(4, 'b'), publish(4, 'c')]))).toBe(true);
    expect(passable(publish(4, 'b').subarray(0, 4))).toBe(false);
    expect(passable(connect(4))).toBe(false);
    decoder.decode(binaryFrame(connect(5), 'out'));
    expect(passable(publish(5, 'b', { contentType: 'x' }))).toBe(true);
    expect(passable(publish(5, 'b', { topicAlias: 1 }))).toBe(false); // sets an alias
    expect(passable(publish(5, '', { topicAlias: 1 }))).toBe(true); // alias 1 is not a/7's
    decoder.decode(binaryFrame(publish(5, 'a/7', { topicAlias: 1 }), 'in'));
    expect(passable(publish(5, '', { topicAlias: 1 }))).toBe(false);
    expect(passable(publish(5, '', { topicAlias: 2 }))).toBe(true);
  });
});

const GRAPHQL: DecodedFilter[] = [{ operation: 'OnPrice' }, { operation: 'OnTrade' }, { operation: 'prices' }];
const subscribeMessage = (id: string, query: string, extra = ''): string => `{"id":${JSON.stringify(id)},"type":"subscribe","payload":{"query":${JSON.stringify(query)}${extra}}}`;

describe('a GraphQL operation search with the prefilter agrees with decoding every frame', () => {
  it('names results after their subscribe, and the decoded field says so', () => {
    const decoder = new GraphqlWsDecoder();
    decoder.decode({ seq: 1, dir: 'out', opcode: 'text', bytes: Buffer.from(subscribeMessage('1', 'subscription OnPrice { price }')) });
    expect(decoder.idsNamed('OnPrice')).toEqual(new Set(['1']));
    decoder.decode({ seq: 2, dir: 'out', opcode: 'text', bytes: Buffer.from('{"id":"1","type":"complete"}') });
    expect(decoder.idsNamed('OnPrice')).toBeUndefined();
  });

  it('on crafted messages: ids reused, escapes, both protocols, bad messages', () => {
    const messages: Message[] = [
      text('out', '{"type":"connection_init"}'),
      text('in', '{"type":"connection_ack"}'),
      text('out', subscribeMessage('1', 'subscription OnPrice { price }')),
      text('in', '{"id":"1","type":"next","payload":{"data":{"price":1}}}'),
      text('in', '{"type":"next","id":"1","payload":{"data":{"price":2}}}'),
      text('in', '{"id":"\\u0031","type":"next","payload":{"data":{}}}'), // the id escaped
      text('in', '{"id":"1","type":"ne\\u0078t","payload":{"data":{}}}'), // the type escaped
      text('in', '{"id":"2","id":"1","type":"next","payload":{}}'), // a duplicate key: the last wins
      text('in', '{"id":"1","type":"next","payload":"x"}'), // not valid: no payload object
      text('in', '{"id":"1","type":"next","payload":{}'), // not JSON
      binary('in', Buffer.from('{"id":"1","type":"next","payload":{}}')),
      text('out', '{"id":"1","type":"complete"}'),
      text('in', '{"id":"1","type":"next","payload":{"data":{}}}'), // after complete: no name
      text('out', subscribeMessage('1', 'subscription OnTrade { trade }')), // the id reused
      text('in', '{"id":"1","type":"next","payload":{"data":{}}}'),
      text('out', '{"id":"2","type":"start","payload":{"query":"subscription OnPrice { p }","variables":{}}}'),
      text('in', '{"id":"2","type":"data","payload":{"data":{}}}'),
      text('out', '{"id":"2","type":"stop"}'),
      text('in', '{"id":"2","type":"data","payload":{"data":{}}}'),
      text('out', subscribeMessage('3', 'subscription { prices }')), // anonymous: named after its field
      text('in', '{"id":"3","type":"next","payload":{"data":{"prices":[]}}}'),
      text('in', '{"id":"3","type":"error","payload":[{"message":"x"}]}'),
      text('in', '{"id":"3","type":"next","payload":{"data":{}}}'),
      text('out', subscribeMessage('4', 'subscription A { a } subscription OnPrice { b }', ',"operationName":"OnPrice"')),
      text('in', '{"id":"4","type":"next","payload":{"data":{}}}'),
      text('in', '{"id":"5","type":"next","payload":{"operationName":"OnPrice","data":{}}}'),
      text('out', '{"id":"6","type":"subscribe","payload":{"query":"subscription OnPr\\u0069ce { x }"}}'),
      text('in', '{"id":"6","type":"next","payload":{"data":{}}}'),
      text('in', '{"type":"ka"}'),
      text('in', '{"id":"9","type":"next","payload":{"data":{"prices":[]}},"operation":{"name":"OnPrice"}}'), // its own operation
      text('in', '{"id":"9","type":"next","payload":{"data":{"prices":[],"OnPrice":1}}}'), // the names as data only
      text('in', '{"id":"9","type":"next","payload":{"query":"subscription OnTrade { prices }"}}'),
      text('out', subscribeMessage('\ufffd', 'subscription OnPrice { p }')), // an id that bad UTF-8 reads as too
      { dir: 'in', opcode: 'text', bytes: Buffer.concat([Buffer.from('{"id":"'), Buffer.from([0xff]), Buffer.from('","type":"next","payload":{"data":{}}}')]) },
    ];
    expectAgreement(messages, 'graphql-ws', GRAPHQL);
  });

  it('on random streams', () => {
    const random = seeded(7);
    for (let round = 0; round < 60; round++) {
      const messages: Message[] = [];
      for (let i = 0; i < 50; i++) {
        const id = pick(random, ['1', '2', '7', '\\u0037', '']);
        const name = pick(random, ['OnPrice', 'OnTrade', 'OnPr\\u0069ce']);
        switch (random(9)) {
          case 0:
            messages.push(text('out', `{"id":"${id}","type":"${pick(random, ['subscribe', 'start'])}","payload":{"query":"subscription ${name} { prices }"}}`));
            break;
          case 1:
            messages.push(text(random(2) === 0 ? 'in' : 'out', `{"id":"${id}","type":"${pick(random, ['complete', 'stop', 'error', 'c\\u006fmplete'])}"${random(2) === 0 ? ',"payload":[{"message":"m"}]' : ''}}`));
            break;
          case 2:
            messages.push(text('in', pick(random, ['{"type":"ka"}', '{', '[]', '{"type":"next"}', '{"id":"1","type":"next","payload":{"operationName":"OnTrade"}}', '{"id":"1","type":"next","payload":{"query":"{ prices }"}}'])));
            break;
          case 3:
            messages.push(binary('in', [0x7b, 0x7d]));
            break;
          default:
            messages.push(text('in', `{"id":"${id}","type":"${pick(random, ['next', 'data', 'next'])}","payload":{"data":{"v":${i}}}}`));
        }
      }
      expectAgreement(messages, 'graphql-ws', GRAPHQL, random(3) === 0 ? Math.max(1, messages.length - 10) : undefined);
    }
  });

  it('with many subscriptions of one operation (ids looked up among the message’s strings)', () => {
    const random = seeded(21);
    for (let round = 0; round < 30; round++) {
      const messages: Message[] = [];
      for (let id = 1; id <= 40; id++) messages.push(text('out', subscribeMessage(String(id), `subscription ${id % 5 === 0 ? 'OnTrade' : 'OnPrice'} { p }`)));
      for (let i = 0; i < 120; i++) {
        const id = String(1 + random(50));
        switch (random(8)) {
          case 0:
            messages.push(text('out', `{"id":"${id}","type":"complete"}`));
            break;
          case 1:
            messages.push(text('out', subscribeMessage(id, `subscription ${pick(random, ['OnPrice', 'OnTrade'])} { p }`)));
            break;
          case 2:
            messages.push(text('in', pick(random, [`{"id":"${id}"${id}","type":"next","payload":{}}`, `{"x":"${id}","type":"next","id":"0","payload":{}}`, `{"type" : "next" , "id" : "${id}", "payload" : { "data" : "${id}" } }`, `{"id":"${id}","type":"next","payload":{"data":{"q":"\\"}}}`])));
            break;
          default:
            messages.push(text('in', `{"type":"next","id":"${id}","payload":{"data":{"v":"${random(60)}"}}}`));
        }
      }
      expectAgreement(messages, 'graphql-ws', [{ operation: 'OnPrice' }, { operation: 'OnTrade' }]);
    }
  });

  it('past the decoder’s 10,000 operations the oldest is forgotten, as without the prefilter', () => {
    const messages: Message[] = [text('out', subscribeMessage('0', 'subscription OnPrice { p }'))];
    for (let id = 1; id <= 10_000; id++) messages.push(text('out', subscribeMessage(String(id), 'subscription Other { p }')));
    messages.push(text('in', '{"id":"0","type":"next","payload":{"data":{}}}'), text('in', '{"id":"10000","type":"next","payload":{"data":{}}}'));
    expectAgreement(messages, 'graphql-ws', [{ operation: 'OnPrice' }, { operation: 'Other' }]);
  });
});

const RS = '\u001e';

describe('a SignalR target search with the prefilter agrees with decoding every frame', () => {
  it('on crafted messages: handshakes, records split and shared, escapes, a record without a type', () => {
    const messages: Message[] = [
      text('in', `{"type":1,"target":"Send","arguments":[]}${RS}`), // before the handshake: read as one (no: it has a type)
      text('out', `{"protocol":"json","version":1}${RS}`),
      text('in', `{"target":"Send"}${RS}`), // no type, first record this way: the handshake
      text('in', `{"type":1,"target":"Send","arguments":["a"]}${RS}`),
      text('in', `{"type":1,"target":"Se`),
      text('out', `{"type":1,"target":"Send","arguments":[]}${RS}`),
      text('in', `nd","arguments":[]}${RS}{"type":1,"target":"Other","arguments":[]}${RS}`),
      text('in', `{"type":1,"target":"S\u0065nd","arguments":[]}${RS}`),
      text('in', `{"type":1,"target":"Other","arguments":[]}${RS}{"type":1,"target":"Send","arguments":[]}`),
      text('in', `${RS}`),
      text('in', `{"target":"Send","arguments":[]}${RS}`), // no type after the handshake: not valid
      text('in', `{"type":6}${RS}{"type":3,"invocationId":"1"}${RS}`),
      text('in', `{"type":1,"target":"Send"${RS}`), // not JSON
      binary('in', Buffer.from(`{"type":1,"target":"Send","arguments":[]}${RS}`)),
      text('in', `{"type":4,"target":"Send","arguments":[],"invocationId":"2"}${RS}`),
    ];
    expectAgreement(messages, 'signalr', [{ event: 'Send' }, { event: 'Other' }]);
  });

  it('on random streams', () => {
    const random = seeded(9);
    for (let round = 0; round < 60; round++) {
      const streams: Record<'in' | 'out', string> = { in: '', out: '' };
      for (const dir of ['in', 'out'] as const) if (random(4) !== 0) streams[dir] += pick(random, [`{"protocol":"json","version":1}${RS}`, `{}${RS}`, `{"target":"Send"}${RS}`]);
      for (let i = 0; i < 30; i++) {
        const dir = random(3) === 0 ? 'out' : 'in';
        const target = pick(random, ['Send', 'Sender', 'S\u0065nd', 'Other']);
        streams[dir] += pick(random, [`{"type":1,"target":"${target}","arguments":[${i}]}${RS}`, `{"type":6}${RS}`, `{"target":"${target}"}${RS}`, `{"type":1,"target":"${target}"${RS}`]);
      }
      const messages: Message[] = [];
      const at = { in: 0, out: 0 };
      while (at.in < streams.in.length || at.out < streams.out.length) {
        const dir = at.out >= streams.out.length || (at.in < streams.in.length && random(2) === 0) ? 'in' : 'out';
        const all = streams[dir];
        const next = random(3) === 0 ? at[dir] + 1 + random(30) : all.indexOf(RS, at[dir]) + 1;
        const end = next <= at[dir] ? all.length : Math.min(all.length, next);
        messages.push(text(dir, all.slice(at[dir], end)));
        at[dir] = end;
      }
      expectAgreement(messages, 'signalr', [{ event: 'Send' }, { event: 'Other' }]);
    }
  });
});

describe('holdsBytes', () => {
  it('finds a needle wholly inside the range only', () => {
    const slab = Buffer.from('xx"7"yy');
    expect(holdsBytes(slab, 0, slab.length, Buffer.from('"7"'))).toBe(true);
    expect(holdsBytes(slab, 0, 4, Buffer.from('"7"'))).toBe(false);
    expect(holdsBytes(slab, 3, slab.length, Buffer.from('"7"'))).toBe(false);
  });
});

describe('a backward search over more frames than one verdict walks', () => {
  type Session = Parameters<DecodeCommands['predicate']>[0];
  function backward(messages: readonly Message[], choice: 'graphql-ws' | 'socketio', url: string, filter: DecodedFilter): number[] {
    const store = new FrameStore();
    for (const m of messages) store.push(m.dir, m.opcode, m.bytes);
    const session: Session = { id: 's', url, frames: store, handshakeSteps: () => [] };
    const decodes = new DecodeCommands();
    decodes.state(session, { sessionId: 's', choice });
    const test = decodes.predicate(session, filter);
    if (!test.ok) throw new Error(test.error.message);
    const hits: number[] = [];
    for (let seq = store.lastSeq; seq >= store.firstSeq; seq--) if (test.value(seq)) hits.unshift(seq);
    return hits;
  }

  it('walks to the newest frames with the prefilter, never decoding them from far away (GraphQL results named by their subscribe)', () => {
    const count = MAX_PREFILTER_WALK * 2 + 5_000;
    const messages: Message[] = [text('out', subscribeMessage('7', 'subscription OnPrice { p }'))];
    const expected: number[] = [1];
    for (let seq = 2; seq <= count - 2; seq++) {
      const id = seq % 50 === 0 ? '7' : '8';
      if (id === '7') expected.push(seq);
      messages.push(text('in', `{"id":"${id}","type":"next","payload":{"data":{"v":${seq}}}}`));
    }
    // The newest two are more than one verdict's stretch ahead: the walk goes on to them (no walkTowards before).
    messages.push(text('in', '{"type":"ka"}'), text('in', '{"type":"ka"}'));
    let decoded = 0;
    const decode = GraphqlWsDecoder.prototype.decode;
    GraphqlWsDecoder.prototype.decode = function (this: GraphqlWsDecoder, frame) {
      decoded++;
      return decode.call(this, frame);
    };
    try {
      expect(backward(messages, 'graphql-ws', 'ws://h/', { operation: 'OnPrice' })).toEqual(expected);
    } finally {
      GraphqlWsDecoder.prototype.decode = decode;
    }
    // The results of id 7 and a few near the newest frames, not all of them.
    expect(decoded).toBeLessThan(expected.length + 200);
  });
});
