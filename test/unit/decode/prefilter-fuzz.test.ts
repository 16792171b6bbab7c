/**
 * Generated streams for every prefilter with state to keep (raw-prefilter.ts for Socket.IO,
 * stateful-prefilter.ts; the queries through query-prefilter.ts), richer than the crafted cases: each searched with the prefilter, twice
 * and backward, against decoding every frame (prefilter-harness.ts). A longer run of these found a
 * false match the smaller tests had not (an MQTT parser kept on its own CONNECT's version).
 * PREFILTER_FUZZ_ROUNDS=3000 PREFILTER_FUZZ_SEED=1 runs more rounds on other streams.
 */
import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import type { StreamDecoder } from '../../../src-main/core/decode/decoded-frame';
import { GraphqlWsDecoder } from '../../../src-main/core/decode/graphql-ws-decoder';
import { MqttDecoder } from '../../../src-main/core/decode/mqtt-decoder';
import { SignalRDecoder } from '../../../src-main/core/decode/signalr-decoder';
import { SocketIoDecoder } from '../../../src-main/core/decode/socketio-decoder';
import type { DecodedFilter } from '../../../src-main/shared/decoding';
import { binary, compareSearches, pick, seeded, text, type Message } from './prefilter-harness';

const ROUNDS = Number(process.env.PREFILTER_FUZZ_ROUNDS ?? 60);
const SEED = Number(process.env.PREFILTER_FUZZ_SEED ?? 0);

type Random = (n: number) => number;
type Dir = 'in' | 'out';

function expectAgreement(label: string, messages: readonly Message[], choice: 'mqtt' | 'graphql-ws' | 'socketio' | 'signalr', url: string, make: () => StreamDecoder, filters: readonly DecodedFilter[], random: Random): void {
  // A third of the rounds on a store that has evicted its oldest frames (the walk starts afresh there).
  const maxFrames = random(3) === 0 ? Math.max(1, messages.length - 15) : undefined;
  for (const { label: search, expected, got } of compareSearches(messages, choice, url, make, filters, maxFrames)) {
    if (JSON.stringify(got) === JSON.stringify(expected)) continue;
    const stream = JSON.stringify(messages.map((m) => [m.dir, m.opcode, m.bytes.toString('hex')]));
    expect(got, `${label} ${search}; the stream: ${stream}`).toEqual(expected);
  }
}

/** Each direction's bytes cut at random points, the pieces of both directions interleaved. */
function cutAndInterleave(random: Random, streams: Record<Dir, Buffer>, maxPiece: number): Message[] {
  const pieces: Record<Dir, Buffer[]> = { in: [], out: [] };
  for (const dir of ['in', 'out'] as const) {
    const all = streams[dir];
    for (let at = 0; at < all.length; ) {
      const end = Math.min(all.length, at + 1 + random(random(3) === 0 ? 6 : maxPiece));
      pieces[dir].push(all.subarray(at, end));
      at = end;
    }
  }
  const messages: Message[] = [];
  while (pieces.in.length + pieces.out.length > 0) {
    const dir = pieces.out.length === 0 || (pieces.in.length > 0 && random(2) === 0) ? 'in' : 'out';
    const piece = pieces[dir].shift();
    if (piece) messages.push(binary(dir, piece));
  }
  return messages;
}

type Version = 3 | 4 | 5;
const connect = (version: Version): Buffer =>
  mqtt.generate({ cmd: 'connect', protocolId: version === 3 ? 'MQIsdp' : 'MQTT', protocolVersion: version, clientId: 'c', clean: true, keepalive: 30 }, { protocolVersion: version });

/** One MQTT packet of any kind, written as `written` (which may not be the version read), or a bad one. */
function mqttPacket(random: Random, written: Version): Buffer {
  const topic = pick(random, ['a/7', 'a/70', 'a/7/x', 'b', '', 'a/\u00e97', 'x#\u0000\u0003']);
  const options = { protocolVersion: written };
  switch (random(11)) {
    case 0:
      return mqtt.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: topic || 'a/7', qos: 0 }, { topic: 'q', qos: 1 }] }, options);
    case 1:
      return mqtt.generate({ cmd: 'unsubscribe', messageId: 1, unsubscriptions: [topic || 'a/7'] }, options);
    case 2:
      return Buffer.from(pick(random, [[0xc0, 0], [0x30, 0xff, 0xff, 0xff, 0xff], [0x32, 0x02, 0x00], [0xe0, 0], [0x00, 0x00], [0xf0, 0x00], [0x36, 0x03, 0, 1, 0x61]]));
    case 3:
      return mqtt.generate({ cmd: 'puback', messageId: 3 }, options);
    default: {
      const properties: Record<string, unknown> = {};
      if (written === 5 && random(2) === 0) properties.topicAlias = 1 + random(3);
      if (written === 5 && random(4) === 0) properties.userProperties = { k: pick(random, ['#\u0000\u0001', 'a/7', 'v']) };
      if (written === 5 && random(5) === 0) properties.contentType = 'a/7';
      const qos = random(3) as 0 | 1 | 2;
      const payload = Buffer.from(pick(random, ['a/7', 'x', '\u0000\u0003a/7']));
      const packet = { cmd: 'publish', topic, payload, qos, ...(qos > 0 ? { messageId: 5 } : {}), retain: false, dup: false, ...(Object.keys(properties).length > 0 ? { properties } : {}) };
      return mqtt.generate(packet as mqtt.IPublishPacket, options);
    }
  }
}

function mqttStream(random: Random): Message[] {
  const streams: Record<Dir, Buffer> = { in: Buffer.alloc(0), out: Buffer.alloc(0) };
  const add = (dir: Dir, bytes: Buffer): void => {
    streams[dir] = Buffer.concat([streams[dir], bytes]);
  };
  let version: Version = pick(random, [4, 5, 5] as const);
  add('out', connect(version));
  for (let i = 0; i < 50; i++) {
    const dir = random(4) === 0 ? 'out' : 'in';
    if (random(12) === 0) {
      // Either side may send a CONNECT, of any version.
      version = pick(random, [3, 4, 5] as const);
      add(dir, connect(version));
      continue;
    }
    const written: Version = version === 5 && random(3) === 0 ? 5 : random(6) === 0 ? (version === 5 ? 4 : 5) : version;
    try {
      add(dir, mqttPacket(random, written));
    } catch {
      // mqtt-packet will not write it (an empty topic without an alias): left out.
    }
  }
  return cutAndInterleave(random, streams, 80);
}

function graphqlStream(random: Random): Message[] {
  const messages: Message[] = [];
  for (let i = 0; i < 60; i++) {
    const id = pick(random, ['1', '2', '7', '\\u0037', '', '10', '1 ', '\u00e9']);
    const name = pick(random, ['OnPrice', 'OnTrade', 'OnPr\\u0069ce', 'OnPriceX']);
    const space = pick(random, ['', ' ', '\n']);
    switch (random(10)) {
      case 0: {
        const query = pick(random, [`subscription ${name} { prices }`, '{ prices }', `query ${name} { a }`]);
        const named = random(3) === 0 ? `,"operationName":"${name}"` : '';
        messages.push(text('out', `{${space}"id"${space}:${space}"${id}","type":"${pick(random, ['subscribe', 'start'])}","payload":{"query":"${query}"${named}}}`));
        break;
      }
      case 1:
        messages.push(text(random(2) === 0 ? 'in' : 'out', `{"id":"${id}","type":"${pick(random, ['complete', 'stop', 'error', 'c\\u006fmplete'])}"${random(2) === 0 ? ',"payload":[{"message":"m"}]' : ''}}`));
        break;
      case 2:
        messages.push(
          text(
            'in',
            pick(random, [
              '{"type":"ka"}',
              '{',
              '[]',
              '{"type":"next"}',
              `{"id":"${id}","type":"next","payload":{"operationName":"${name}"}}`,
              `{"id":"${id}","type":"next","payload":{"query":"{ prices }"}}`,
              `{"id":"${id}","type":"next","payload":{},"operation":{"name":"${name}"}}`,
              `{"id":"${id}","id":"7","type":"next","payload":{}}`,
            ]),
          ),
        );
        break;
      case 3:
        messages.push(binary('in', [0x7b, 0x7d]));
        break;
      case 4:
        // An id of bad UTF-8: read as U+FFFD.
        messages.push({ dir: 'in', opcode: 'text', bytes: Buffer.concat([Buffer.from('{"id":"'), Buffer.from([0xff]), Buffer.from('","type":"next","payload":{}}')]) });
        break;
      default:
        messages.push(text('in', `{"type":"${pick(random, ['next', 'data'])}",${space}"id":"${id}","payload":{"data":{"prices":${i},"n":"${name}"}}}`));
    }
  }
  return messages;
}

function socketIoStream(random: Random, engine3: boolean): Message[] {
  const messages: Message[] = [];
  for (let i = 0; i < 50; i++) {
    const dir = random(3) === 0 ? 'out' : 'in';
    const event = pick(random, ['chat', 'chat2', 'ch\\u0061t', 'e\\"q', 'caf\u00e9', 'x']);
    const nsp = pick(random, ['', '', '/admin,', '/a[",', '/x[1,']);
    const ack = random(4) === 0 ? String(random(100)) : pick(random, ['', '', ' ']);
    const space = pick(random, ['', ' ', '\n\t']);
    switch (random(9)) {
      case 0: {
        // A binary event or ack: its header (its count sometimes odd), then some attachments.
        const count = 1 + random(2);
        const holders = Array.from({ length: count }, (_, n) => `{"_placeholder":true,"num":${n}}`).join(',');
        messages.push(text(dir, `4${pick(random, ['5', '6'])}${pick(random, [String(count), String(count), ' 1', '0', 'x', '-1'])}-${nsp}${ack}[${space}"${event}",${holders}]`));
        for (let n = random(count + 2); n > 0; n--) {
          const attachmentDir = random(5) === 0 ? (dir === 'in' ? 'out' : 'in') : dir;
          messages.push(binary(attachmentDir, engine3 ? [random(2) === 0 ? 4 : 3, random(256)] : [random(256)]));
        }
        break;
      }
      case 1:
        messages.push(binary(dir, [4, random(256)]));
        break;
      case 2:
        messages.push(text(dir, pick(random, ['42["chat"', '42', '4', '', '2', '3probe', '40/admin,', 'b4AQ', '41', '42[]', '42["connect"]', '43["chat"]', '42[1,"chat"]'])));
        break;
      default:
        messages.push(text(dir, `42${nsp}${ack}[${space}"${event}"${random(2) === 0 ? ',"chat"' : ''},{"n":${i},"s":"a\\\\b"}]`));
    }
  }
  return messages;
}

const RS = '\u001e';

function signalrStream(random: Random): Message[] {
  const streams: Record<Dir, string> = { in: '', out: '' };
  for (const dir of ['in', 'out'] as const) if (random(4) !== 0) streams[dir] += pick(random, [`{"protocol":"json","version":1}${RS}`, `{}${RS}`, `{"target":"Send"}${RS}`]);
  for (let i = 0; i < 40; i++) {
    const dir = random(3) === 0 ? 'out' : 'in';
    const target = pick(random, ['Send', 'Sender', 'S\\u0065nd', 'Other', 'xSend']);
    streams[dir] += pick(random, [
      `{"type":1,"target":"${target}","arguments":[${i}]}${RS}`,
      `{"type":6}${RS}`,
      `{"target":"${target}"}${RS}`,
      `{"type":1,"target":"${target}"${RS}`,
      `{"type":1,"event":"${target}","target":"x","arguments":[]}${RS}`,
      `{"type":1,"target":"x","arguments":["Send"]}${RS}`,
      `{"type":1,"target":"x","arguments":[{"r":"${target}"}]}${RS}`,
    ]);
  }
  const messages: Message[] = [];
  const at: Record<Dir, number> = { in: 0, out: 0 };
  while (at.in < streams.in.length || at.out < streams.out.length) {
    const dir = at.out >= streams.out.length || (at.in < streams.in.length && random(2) === 0) ? 'in' : 'out';
    const all = streams[dir];
    const next = random(3) === 0 ? at[dir] + 1 + random(30) : all.indexOf(RS, at[dir]) + 1;
    const end = next <= at[dir] ? all.length : Math.min(all.length, next);
    const piece = all.slice(at[dir], end);
    messages.push(random(10) === 0 ? binary(dir, Buffer.from(piece)) : text(dir, piece));
    at[dir] = end;
  }
  return messages;
}

describe('the prefilters agree with decoding every frame on generated streams', () => {
  it('MQTT 3.1, 3.1.1 and 5: every packet kind, versions switched by either side, aliases, bad packets, cut and joined', () => {
    for (let round = 0; round < ROUNDS; round++) {
      const random = seeded(1000 + SEED + round);
      expectAgreement(`mqtt round ${round}`, mqttStream(random), 'mqtt', 'ws://h/', () => new MqttDecoder(), [{ topic: 'a/7' }, { topic: 'a/70' }, { topic: 'a/\u00e97' }, { query: "$.topic == 'a/7'" }, { query: "$.topic == 'a/\u00e97' && $.cmd == 'publish'" }, { query: "$.payload == 'a/7'" }, { query: "$.packets[1].payload == 'x'" }, { query: "$.properties[*] == 'a/7'" }, { query: "$.properties.userProperties[*] == 'a/7'" }, { query: "$.subscriptions[0][*] == 'a/7'" }, { query: "$.packets[*].payload == 'a/7'" }], random);
    }
  });

  it('GraphQL: both protocols, whitespace, duplicate keys, operation keys, escapes, bad UTF-8', () => {
    for (let round = 0; round < ROUNDS; round++) {
      const random = seeded(5000 + SEED + round);
      const filters = [{ operation: 'OnPrice' }, { operation: 'OnTrade' }, { operation: 'prices' }, { operation: 'a' }, { query: "$.operation.name == 'OnPrice'" }, { query: "$.operation.name == 'prices'" }, { query: "$.payload.data.n == 'OnPrice'" }, { query: "$.payload.operationName == 'OnPrice'" }, { query: "$.id == '7'" }, { query: "$.payload.data[*] == 'OnPrice'" }, { query: "$.payload[*][*] == 'OnPrice'" }];
      expectAgreement(`graphql round ${round}`, graphqlStream(random), 'graphql-ws', 'ws://h/', () => new GraphqlWsDecoder(), filters, random);
    }
  });

  it('Socket.IO: namespaces with brackets, ack ids, binary events under Engine.IO 3 and 4, bad packets', () => {
    for (let round = 0; round < ROUNDS; round++) {
      const random = seeded(9000 + SEED + round);
      const engine3 = random(3) === 0;
      const filters = [{ event: 'chat' }, { event: 'chat2' }, { event: 'caf\u00e9' }, { event: 'e"q' }, { query: "$.event == 'chat'" }, { query: "$.event == 'e\"q'" }, { query: "$.args[0] == 'chat'" }, { query: "$.args[1].s == 'a\\\\b'" }, { query: "$.args[*] == 'chat'" }, { query: "$.args[*][*] == 'a\\\\b'" }, { query: "$.data[*] == 'chat'" }];
      const url = `ws://h/socket.io/?EIO=${engine3 ? 3 : 4}`;
      expectAgreement(`socketio round ${round}`, socketIoStream(random, engine3), 'socketio', url, () => new SocketIoDecoder({ engineVersion: engine3 ? 3 : 4 }), filters, random);
    }
  });

  it('SignalR: handshakes, records split and shared, escapes, targets in arguments, binary messages', () => {
    for (let round = 0; round < ROUNDS; round++) {
      const random = seeded(13000 + SEED + round);
      expectAgreement(`signalr round ${round}`, signalrStream(random), 'signalr', 'ws://h/', () => new SignalRDecoder(), [{ event: 'Send' }, { event: 'Other' }, { query: "$.target == 'Send'" }, { query: "$.event == 'Send'" }, { query: "$.arguments[0] == 'Send'" }, { query: "$.messages[1].target == 'Send'" }, { query: "$.arguments[*].r == 'Sender'" }, { query: "$.messages[*].arguments[*][*] == 'Sender'" }, { query: "$.arguments[*] == 'Send'" }], random);
    }
  });
});
