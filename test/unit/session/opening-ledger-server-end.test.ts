/**
 * What the server ends is not sent again (opening-ledger.ts `received`): a GraphQL operation the
 * server completed or ended with an error (graphql-transport-ws and the legacy graphql-ws), a
 * Socket.IO namespace the server disconnected; by seq, so one sent again after that end stays.
 * The ledger leaves most server messages unread (`skippable`): on generated streams, adversarial
 * ones included, what it keeps equals what reading every server message in order gives.
 */
import { describe, expect, it } from 'vitest';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import type { JsonValue } from '../../../src-main/core/decode/json-value';
import mqtt from 'mqtt-packet';
import { OpeningLedger, type ReplayItem } from '../../../src-main/core/session/opening-ledger';
import { OpeningServerReader, type ServerSays } from '../../../src-main/core/session/opening-server-reader';

const labels = (items: ReplayItem[] | undefined): string[] => (items ?? []).map((i) => i.label);

function graphql(subprotocol: string): OpeningLedger {
  const l = new OpeningLedger({ url: 'ws://h/graphql', subprotocols: [subprotocol] });
  return l;
}
const out = (l: OpeningLedger, ...messages: string[]): void => messages.forEach((m) => l.sent('text', Buffer.from(m)));
const inc = (l: OpeningLedger, ...messages: string[]): void => messages.forEach((m) => l.received('text', Buffer.from(m)));
const subscribe = (id: string, name: string): string => `{"id":"${id}","type":"subscribe","payload":{"query":"subscription ${name} { ${name.toLowerCase()} }"}}`;
const start = (id: string, name: string): string => `{"id":"${id}","type":"start","payload":{"query":"subscription ${name} { ${name.toLowerCase()} }"}}`;

describe('OpeningLedger: what the server ended', () => {
  it('graphql-transport-ws: a subscription the server completed, or ended with an error, is not sent again; the others are', () => {
    const l = graphql('graphql-transport-ws');
    out(l, '{"type":"connection_init"}', subscribe('1', 'A'), subscribe('2', 'B'), subscribe('3', 'C'));
    expect(l.wantsIncoming).toBe(true);
    inc(l, '{"type":"connection_ack"}', '{"id":"1","type":"next","payload":{"data":{"a":1}}}', '{"id":"1","type":"complete"}', '{"id":"3","type":"error","payload":[{"message":"denied"}]}');
    const plan = l.plan();
    expect(labels(plan?.openings)).toEqual(['GraphQL connection_init']);
    expect(labels(plan?.subscriptions)).toEqual(['GraphQL subscribe #2 (B)']);
  });

  it('legacy graphql-ws (subscriptions-transport-ws): the server’s GQL_COMPLETE and GQL_ERROR (complete, error on the wire) end the start', () => {
    const l = graphql('graphql-ws');
    out(l, '{"type":"connection_init","payload":{}}', start('1', 'A'), start('2', 'B'), start('3', 'C'));
    inc(l, '{"type":"connection_ack"}', '{"type":"ka"}', '{"id":"1","type":"data","payload":{"data":{}}}', '{"id":"1","type":"complete"}', '{"id":"2","type":"error","payload":{"message":"bad"}}');
    expect(labels(l.plan()?.subscriptions)).toEqual(['GraphQL start #3 (C)']);
  });

  it('the client’s own complete (and stop) already ends it; a complete written with escapes ends it too', () => {
    const l = graphql('graphql-transport-ws');
    out(l, '{"type":"connection_init"}', subscribe('1', 'A'), subscribe('2', 'B'), '{"id":"1","type":"complete"}');
    expect(labels(l.plan()?.subscriptions)).toEqual(['GraphQL subscribe #2 (B)']);
    inc(l, '{"id":"2","type":"\\u0063omplete"}');
    expect(labels(l.plan()?.subscriptions)).toEqual([]);
    expect(labels(l.plan()?.openings)).toEqual(['GraphQL connection_init']);
  });

  it('a subscription sent again with the id after the server completed it stays (ordered by seq)', () => {
    const l = graphql('graphql-transport-ws');
    l.sent('text', Buffer.from('{"type":"connection_init"}'), 1);
    l.sent('text', Buffer.from(subscribe('1', 'A')), 2);
    // The server's complete (seq 3) reaches the ledger after the new subscribe (seq 4) was sent.
    l.sent('text', Buffer.from(subscribe('1', 'A2')), 4);
    l.received('text', Buffer.from('{"id":"1","type":"complete"}'), 3);
    expect(labels(l.plan()?.subscriptions)).toEqual(['GraphQL subscribe #1 (A2)']);
    l.received('text', Buffer.from('{"id":"1","type":"complete"}'), 5);
    expect(labels(l.plan()?.subscriptions)).toEqual([]);
  });

  it('a query’s complete, an error of no kept id, a connection_error or an invalid message end nothing', () => {
    const l = graphql('graphql-transport-ws');
    out(l, '{"type":"connection_init"}', subscribe('1', 'A'));
    inc(l, '{"id":"9","type":"complete"}', '{"type":"connection_error","payload":{"message":"x"}}', '{"id":"1","type":"complete"', '{"id":1,"type":"complete"}', 'error complete');
    l.received('binary', Buffer.from('{"id":"1","type":"complete"}'));
    expect(labels(l.plan()?.subscriptions)).toEqual(['GraphQL subscribe #1 (A)']);
  });

  it('Socket.IO: a namespace the server disconnected is not joined again; joined again after that, it is', () => {
    const l = new OpeningLedger({ url: 'ws://h/socket.io/?EIO=4&transport=websocket', subprotocols: [] });
    out(l, '40', '40/admin,{"token":"x"}', '40/chat,');
    inc(l, '0{"sid":"s","upgrades":[],"pingInterval":25000,"pingTimeout":20000}', '40{"sid":"a"}', '40/admin,{"sid":"b"}', '40/chat,{"sid":"c"}', '42/chat,["hi"]', '41/admin,');
    expect(labels(l.plan()?.openings)).toEqual(['Socket.IO CONNECT /', 'Socket.IO CONNECT /chat']);
    out(l, '40/admin,{"token":"y"}');
    expect(labels(l.plan()?.openings)).toEqual(['Socket.IO CONNECT /', 'Socket.IO CONNECT /chat', 'Socket.IO CONNECT /admin']);
    inc(l, '41');
    expect(labels(l.plan()?.openings)).toEqual(['Socket.IO CONNECT /chat', 'Socket.IO CONNECT /admin']);
  });

  it('Socket.IO: a "41" that arrives while a binary event waits for its attachment is no DISCONNECT (the parser refuses it), as reading in order says', () => {
    const l = new OpeningLedger({ url: 'ws://h/socket.io/?EIO=4&transport=websocket', subprotocols: [] });
    out(l, '40/chat,');
    inc(l, '451-/chat,["file",{"_placeholder":true,"num":0}]', '41/chat,');
    expect(labels(l.plan()?.openings)).toEqual(['Socket.IO CONNECT /chat']);
  });

  it('STOMP and MQTT ask for the server’s messages from the start (an ERROR, a SUBACK; their frames and packets followed whole); GraphQL only once a subscription is kept', () => {
    const stomp = new OpeningLedger({ url: 'ws://h/', subprotocols: ['v12.stomp'] });
    expect(stomp.wantsIncoming).toBe(true);
    const mqttLedger = new OpeningLedger({ url: 'ws://h/mqtt', subprotocols: ['mqtt'] });
    expect(mqttLedger.wantsIncoming).toBe(true);
    const gql = graphql('graphql-transport-ws');
    out(gql, '{"type":"connection_init"}');
    // Nothing the server can end yet.
    expect(gql.wantsIncoming).toBe(false);
  });
});

// ---- exactness of the unread messages: against reading every server message in order ----

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;

interface Message {
  dir: 'in' | 'out';
  kind: 'text' | 'binary';
  text: string;
}

function field(value: JsonValue | undefined, key: string): JsonValue | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

/** Reads every server message in order with a decoder of its own: the keys each one ends. */
function endedKeys(protocol: 'graphql-ws' | 'socketio', messages: readonly Message[]): (string | undefined)[] {
  const decoder = createDecoder(protocol, { engineVersion: 4 });
  return messages.map((m) => {
    if (m.dir === 'out') return undefined;
    const outcome = decoder.decode({ seq: 0, dir: 'in', opcode: m.kind, bytes: Buffer.from(m.text) });
    if (outcome?.kind !== 'decoded') return undefined;
    const v = outcome.value;
    if (protocol === 'graphql-ws') {
      const type = field(v, 'type');
      const id = field(v, 'id');
      return (type === 'complete' || type === 'error') && typeof id === 'string' ? `id:${id}` : undefined;
    }
    const nsp = field(v, 'nsp');
    // A DISCONNECT ends the namespace, a CONNECT_ERROR refuses it: either way it is not joined again.
    const type = field(v, 'type');
    return field(v, 'engineIO') === 'message' && (type === 'DISCONNECT' || type === 'CONNECT_ERROR') ? `nsp:${typeof nsp === 'string' ? nsp : '/'}` : undefined;
  });
}

/** What should stay: each kept item's key and seq, dropped by a later end of its key. */
function expectedKeys(protocol: 'graphql-ws' | 'socketio', messages: readonly Message[], keyOfSent: (text: string) => string | undefined): string[] {
  const ended = endedKeys(protocol, messages);
  const kept: { key: string; seq: number }[] = [];
  messages.forEach((m, index) => {
    const seq = index + 1;
    if (m.dir === 'out') {
      const key = keyOfSent(m.text);
      if (key === undefined) return;
      const at = kept.findIndex((k) => k.key === key);
      if (at >= 0) kept.splice(at, 1);
      kept.push({ key, seq });
      return;
    }
    const key = ended[index];
    if (key !== undefined) for (let i = kept.length - 1; i >= 0; i--) if (kept[i]?.key === key && (kept[i]?.seq ?? 0) < seq) kept.splice(i, 1);
  });
  return kept.map((k) => k.key);
}

function graphqlStream(r: () => number): Message[] {
  const ids = ['1', '2', '3', 'x'];
  const messages: Message[] = [{ dir: 'out', kind: 'text', text: '{"type":"connection_init"}' }];
  for (let i = 0; i < 60; i++) {
    const id = pick(r, ids);
    const roll = r();
    if (roll < 0.2) messages.push({ dir: 'out', kind: 'text', text: subscribe(id, pick(r, ['A', 'B'])) });
    else
      messages.push({
        dir: 'in',
        kind: r() < 0.05 ? 'binary' : 'text',
        text: pick(r, [
          `{"id":"${id}","type":"next","payload":{"data":{"v":"complete"}}}`,
          `{"id":"${id}","type":"next","payload":{"errors":[{"message":"error"}]}}`,
          `{"id":"${id}","type":"complete"}`,
          `{"id":"${id}","type":"\\u0063omplete"}`,
          `{"id":"${id}","type":"error","payload":[{"message":"m"}]}`,
          `{"id":"${id}","type":"\\u0065rror","payload":{"message":"m"}}`,
          `{"id":"${id}","type":"error","payload":"not errors"}`,
          `{"\\u0069d":"${id}","type":"complete"}`,
          `{"id":"${id}","type":"complete","type":"next","payload":{}}`,
          `{"id":"${id}","type":"next","type":"complete"}`,
          `{"id":"${id}","type":"data","payload":{}}`,
          `{"id":"${id}","type":"complete"`,
          '{"type":"ka"}',
          '{"type":"ping"}',
          'complete',
        ]),
      });
  }
  return messages;
}

function socketIoStream(r: () => number): Message[] {
  const nsps = ['/', '/a', '/b'];
  const messages: Message[] = [];
  const prefix = (nsp: string): string => (nsp === '/' ? '' : `${nsp},`);
  for (let i = 0; i < 80; i++) {
    const nsp = pick(r, nsps);
    const roll = r();
    if (roll < 0.15) messages.push({ dir: 'out', kind: 'text', text: `40${prefix(nsp)}` });
    else if (roll < 0.25) messages.push({ dir: 'in', kind: 'binary', text: pick(r, ['\u0001\u0002', 'x', '41']) });
    else
      messages.push({
        dir: 'in',
        kind: 'text',
        text: pick(r, [
          `41${prefix(nsp)}`,
          `41${prefix(nsp)}`,
          `42${prefix(nsp)}["e",1]`,
          `42${prefix(nsp)}["41"]`,
          `451-${prefix(nsp)}["f",{"_placeholder":true,"num":0}]`,
          `452-${prefix(nsp)}["f",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]`,
          `461-${prefix(nsp)}7[{"_placeholder":true,"num":0}]`,
          `40${prefix(nsp)}{"sid":"s"}`,
          `44${prefix(nsp)}{"message":"no"}`,
          '4',
          '41/a',
          '41x',
          '2',
          '3',
          '6',
          '',
        ]),
      });
  }
  return messages;
}

function run(l: OpeningLedger, messages: readonly Message[]): void {
  messages.forEach((m, index) => (m.dir === 'out' ? l.sent(m.kind, Buffer.from(m.text), index + 1) : l.received(m.kind, Buffer.from(m.text), index + 1)));
}

describe('OpeningLedger: the server messages left unread change nothing', () => {
  it('GraphQL: on 400 generated streams the subscriptions kept equal reading every server message', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const messages = graphqlStream(random(seed));
      const l = graphql('graphql-transport-ws');
      run(l, messages);
      const keyOfSent = (text: string): string | undefined => /"id":"([^"]+)","type":"subscribe"/.exec(text)?.[1];
      const expected = expectedKeys('graphql-ws', messages, (t) => {
        const id = keyOfSent(t);
        return id !== undefined ? `id:${id}` : undefined;
      });
      expect(l.plan()?.subscriptions.map((i) => i.key) ?? [], `seed ${seed}`).toEqual(expected);
    }
  });

  it('Socket.IO: on 400 generated streams (binary packets joining attachments, DISCONNECTs inside them) the namespaces kept equal reading every server message', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const messages = socketIoStream(random(seed));
      const l = new OpeningLedger({ url: 'ws://h/socket.io/?EIO=4&transport=websocket', subprotocols: [] });
      run(l, messages);
      const expected = expectedKeys('socketio', messages, (t) => (t.startsWith('40') ? `nsp:${t.length > 2 ? t.slice(2, -1) : '/'}` : undefined));
      expect(l.plan()?.openings.map((i) => i.key) ?? [], `seed ${seed}`).toEqual(expected);
    }
  });
});

// ---- STOMP: the messages left unread while no frame waits for its answer ----

/** STOMP server messages: frames whole, several in one, split anywhere, content-length bodies holding NULs and the words ERROR/CONNECTED, heart-beats, garbage. */
function stompStream(r: () => number): { text: string; watching: boolean }[] {
  const frame = (): string =>
    pick(r, [
      'MESSAGE\nsubscription:0\ndestination:/a\n\nhello\0',
      'MESSAGE\nsubscription:1\ndestination:/b\ncontent-length:7\n\nER\0ROR!\0',
      'MESSAGE\nsubscription:0\ncontent-length:12\n\nERROR\n\n\0\0\0\0\0\0',
      'MESSAGE\nsubscription:0\n\nbody says ERROR\0',
      'RECEIPT\nreceipt-id:r1\n\n\0',
      'ERROR\nmessage:bad\n\n\0',
      'ERROR\nreceipt-id:r\\c1\nmessage:x\n\n\0',
      'CONNECTED\nversion:1.0\n\n\0',
      'CONNECTED\nversion:1.2\n\n\0',
      '\n',
      '\r\n',
      'NOT A FRAME\0',
      'MESSAGE\nbad header\n\n\0',
    ]);
  let bytes = '';
  for (let i = 0; i < 30; i++) bytes += frame();
  // Cut into messages at random places (a frame split over messages, messages holding several).
  const messages: { text: string; watching: boolean }[] = [];
  let at = 0;
  while (at < bytes.length) {
    const size = r() < 0.5 ? bytes.indexOf('\0', at) + 1 - at : 1 + Math.floor(r() * 40);
    const take = size > 0 ? size : bytes.length - at;
    messages.push({ text: bytes.slice(at, at + take), watching: r() < 0.3 });
    at += take;
  }
  return messages;
}

describe('OpeningServerReader: STOMP messages left unread change nothing', () => {
  it('on 400 generated streams, what it reports equals reading every message in order (all while watching; ERROR and CONNECTED otherwise)', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const messages = stompStream(random(seed));
      const fast = new OpeningServerReader('stomp', 4);
      // Watching, the reader decodes every message: the reference.
      const every = new OpeningServerReader('stomp', 4);
      messages.forEach((m, index) => {
        const got = fast.read('text', Buffer.from(m.text, 'latin1'), m.watching);
        const all = every.read('text', Buffer.from(m.text, 'latin1'), true);
        const expected = m.watching ? all : all.filter((says) => says.kind === 'stomp-error' || (says.kind === 'stomp-taken' && says.command === 'CONNECTED'));
        const seen = m.watching ? got : got.filter((says) => says.kind === 'stomp-error' || (says.kind === 'stomp-taken' && says.command === 'CONNECTED'));
        expect(seen, `seed ${seed} message ${index}`).toEqual(expected);
      });
    }
  });
});

// ---- MQTT: SUBACKs found by framing, not by decoding every message ----

describe('OpeningServerReader: MQTT SUBACKs', () => {
  // Valid streams: the decoder drops the rest of a message after a packet it refuses (a 3.1.1 SUBACK code 0x87), the framer does not.
  it('on 300 generated streams (PUBLISH, SUBACK, PINGRESP packets sharing and split over messages), the SUBACKs equal the MQTT decoder reading every message in order', async () => {
    const { createDecoder: make } = await import('../../../src-main/core/decode/decoder-registry');
    for (let seed = 1; seed <= 300; seed++) {
      const r = random(seed);
      const version = r() < 0.5 ? 4 : 5;
      const opts = { protocolVersion: version };
      const connectPacket = mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: version, clean: true, keepalive: 60, clientId: 'c' }, opts);
      const packets: Buffer[] = [];
      for (let i = 0; i < 25; i++) {
        const roll = r();
        if (roll < 0.3) packets.push(mqtt.generate({ cmd: 'suback', messageId: 1 + Math.floor(r() * 5), granted: [pick(r, version === 5 ? [0, 1, 0x80, 0x87, 0x97] : [0, 1, 0x80]), pick(r, [0, 2, 0x80])], ...(version === 5 && r() < 0.5 ? { properties: { reasonString: 'x' } } : {}) }, opts));
        else if (roll < 0.8) packets.push(mqtt.generate({ cmd: 'publish', topic: 't', payload: Buffer.alloc(Math.floor(r() * 300), 0x90), qos: 0, retain: false, dup: false }, opts));
        else packets.push(Buffer.from([0xd0, 0x00]));
      }
      const stream = Buffer.concat(packets);
      const chunks: Buffer[] = [];
      for (let at = 0; at < stream.length; ) {
        const take = 1 + Math.floor(r() * 200);
        chunks.push(stream.subarray(at, at + take));
        at += take;
      }
      const reader = new OpeningServerReader('mqtt', 4);
      reader.clientConnect([{ kind: 'binary', payload: connectPacket }]);
      const fast: ServerSays[] = chunks.flatMap((chunk) => reader.read('binary', chunk, false));
      const decoder = make('mqtt');
      decoder.decode({ seq: 0, dir: 'out', opcode: 'binary', bytes: connectPacket });
      const every: ServerSays[] = [];
      for (const chunk of chunks) {
        const outcome = decoder.decode({ seq: 0, dir: 'in', opcode: 'binary', bytes: chunk });
        if (outcome?.kind !== 'decoded') continue;
        const list = field(outcome.value, 'packets');
        for (const packet of Array.isArray(list) ? list : [outcome.value]) {
          const granted = field(packet, 'granted');
          const messageId = field(packet, 'messageId');
          if (field(packet, 'cmd') === 'suback' && typeof messageId === 'number' && Array.isArray(granted)) every.push({ kind: 'suback', messageId, codes: granted.map((g) => (typeof g === 'number' ? g : 0)) });
        }
      }
      expect(fast, `seed ${seed}`).toEqual(every);
      expect(every.length, `seed ${seed}`).toBe(packets.filter((p) => p[0] === 0x90).length);
    }
  });
});
