/**
 * What a later attempt sends again (opening-ledger.ts), read from the messages sent with the
 * protocols' own decoders: the openings and the subscriptions still active, in order; split
 * packets as their messages; what cannot be sent again alone named, never sent.
 */
import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { OpeningLedger, type ReplayItem } from '../../../src-main/core/session/opening-ledger';

const v4 = { protocolVersion: 4 } as const;
const mqttConnect = mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 60, clientId: 'c-1', username: 'u', password: Buffer.from('s3cret') }, v4);
const sub = (topics: string[], messageId: number): Buffer => mqtt.generate({ cmd: 'subscribe', messageId, subscriptions: topics.map((topic) => ({ topic, qos: 0 })) }, v4);
const unsub = (topics: string[], messageId: number): Buffer => mqtt.generate({ cmd: 'unsubscribe', messageId, unsubscriptions: topics }, v4);
const publish = mqtt.generate({ cmd: 'publish', topic: 'a', payload: Buffer.from('x'), qos: 0, retain: false, dup: false }, v4);

const stomp = (command: string, headers: Record<string, string> = {}, body = ''): string => `${command}\n${Object.entries(headers).map(([k, v]) => `${k}:${v}\n`).join('')}\n${body}\0`;

function ledger(url = 'ws://h/', subprotocols: string[] = []): OpeningLedger {
  return new OpeningLedger({ url, subprotocols });
}
const text = (l: OpeningLedger, ...messages: string[]): void => messages.forEach((m) => l.sent('text', Buffer.from(m)));
const bytes = (items: ReplayItem[] | undefined): string[][] => (items ?? []).map((i) => i.messages.map((m) => m.payload.toString('hex')));
const labels = (items: ReplayItem[] | undefined): string[] => (items ?? []).map((i) => i.label);

describe('OpeningLedger', () => {
  it('STOMP: the CONNECT, then the SUBSCRIBEs not unsubscribed, in order; SENDs are not kept', () => {
    const l = ledger();
    text(l, stomp('CONNECT', { 'accept-version': '1.2', login: 'u', passcode: 'p' }), stomp('SUBSCRIBE', { id: '0', destination: '/topic/a' }), stomp('SEND', { destination: '/q' }, 'hi'), stomp('SUBSCRIBE', { id: '1', destination: '/topic/b' }), stomp('SUBSCRIBE', { id: '2', destination: '/topic/c' }), stomp('UNSUBSCRIBE', { id: '1' }));
    const plan = l.plan();
    expect(plan?.protocol).toBe('stomp');
    expect(labels(plan?.openings)).toEqual(['STOMP CONNECT']);
    expect(labels(plan?.subscriptions)).toEqual(['STOMP SUBSCRIBE /topic/a', 'STOMP SUBSCRIBE /topic/c']);
    expect(plan?.openings[0]?.messages[0]?.payload.toString()).toContain('passcode:p');
    expect(plan?.notSent).toEqual([]);
  });

  it('nothing opened (plain text, or a protocol message that is not an opening): no plan', () => {
    const plain = ledger();
    text(plain, 'hello', 'world');
    expect(plain.plan()).toBeUndefined();
    const sendOnly = ledger();
    text(sendOnly, stomp('STOMP', {}), stomp('DISCONNECT', { receipt: '1' }));
    expect(sendOnly.plan()).toBeUndefined();
    expect(ledger().plan()).toBeUndefined();
  });

  it('MQTT: a CONNECT split over three messages is kept as those messages, the SUBSCRIBE after it; PUBLISH and PINGREQ are not', () => {
    const l = ledger('ws://h/mqtt', ['mqtt']);
    l.sent('binary', mqttConnect.subarray(0, 1));
    l.sent('binary', mqttConnect.subarray(1, 9));
    l.sent('binary', mqttConnect.subarray(9));
    l.sent('binary', sub(['a/b'], 1));
    l.sent('binary', publish);
    l.sent('binary', Buffer.from([0xc0, 0x00]));
    const plan = l.plan();
    expect(bytes(plan?.openings)).toEqual([[mqttConnect.subarray(0, 1), mqttConnect.subarray(1, 9), mqttConnect.subarray(9)].map((b) => b.toString('hex'))]);
    expect(labels(plan?.subscriptions)).toEqual(['MQTT SUBSCRIBE a/b']);
    // The label names no credential.
    expect(JSON.stringify(labels(plan?.openings))).not.toContain('s3cret');
  });

  it('MQTT: an UNSUBSCRIBE of all its topics drops a SUBSCRIBE; of some of them drops it and says so', () => {
    const l = ledger('ws://h/', ['mqtt']);
    l.sent('binary', mqttConnect);
    l.sent('binary', sub(['a'], 1));
    l.sent('binary', sub(['b', 'c'], 2));
    l.sent('binary', sub(['d'], 3));
    l.sent('binary', unsub(['a'], 4));
    l.sent('binary', unsub(['c'], 5));
    const plan = l.plan();
    expect(labels(plan?.subscriptions)).toEqual(['MQTT SUBSCRIBE d']);
    expect(plan?.notSent).toEqual(['MQTT SUBSCRIBE b, c: some of its topics were unsubscribed since']);
  });

  it('a message that ends the CONNECT and starts the SUBSCRIBE is tangled: neither is sent again, both are named', () => {
    const l = ledger('ws://h/', ['mqtt']);
    const s = sub(['t'], 1);
    l.sent('binary', mqttConnect.subarray(0, 10));
    l.sent('binary', Buffer.concat([mqttConnect.subarray(10), s.subarray(0, 3)]));
    l.sent('binary', s.subarray(3));
    const plan = l.plan();
    expect(plan).toBeUndefined();
    const after = ledger('ws://h/', ['mqtt']);
    after.sent('binary', mqttConnect.subarray(0, 10));
    after.sent('binary', Buffer.concat([mqttConnect.subarray(10), s.subarray(0, 3)]));
    after.sent('binary', s.subarray(3));
    after.sent('binary', mqttConnect);
    expect(after.plan()?.notSent).toEqual(['MQTT CONNECT: its message also carried part of another packet', 'MQTT SUBSCRIBE t: its message also carried part of another packet']);
  });

  it('a CONNECT sent in one message with a SEND is not sent again (the SEND would go again too), and says so', () => {
    const l = ledger();
    text(l, stomp('CONNECT', { host: 'h' }) + stomp('SEND', { destination: '/q' }, 'x'), stomp('SUBSCRIBE', { id: '0', destination: '/t' }));
    const plan = l.plan();
    expect(plan?.openings).toEqual([]);
    expect(plan?.notSent).toEqual(['STOMP CONNECT: sent in one message with STOMP SEND']);
    // CONNECT and SUBSCRIBE together in one message go again as that message.
    const both = ledger();
    text(both, stomp('CONNECT') + stomp('SUBSCRIBE', { id: '0', destination: '/t' }));
    expect(labels(both.plan()?.openings)).toEqual(['STOMP CONNECT + STOMP SUBSCRIBE /t']);
  });

  it('a DISCONNECT forgets everything before it; a second CONNECT replaces the first', () => {
    const l = ledger();
    text(l, stomp('CONNECT', { login: 'old' }), stomp('SUBSCRIBE', { id: '0', destination: '/t' }), stomp('DISCONNECT'));
    expect(l.plan()).toBeUndefined();
    text(l, stomp('CONNECT', { login: 'a' }), stomp('CONNECT', { login: 'b' }));
    const plan = l.plan();
    expect(plan?.openings).toHaveLength(1);
    expect(plan?.openings[0]?.messages[0]?.payload.toString()).toContain('login:b');
  });

  it('GraphQL (graphql-transport-ws): connection_init, then subscriptions not completed; a query or mutation is never kept', () => {
    const l = ledger('ws://h/graphql', ['graphql-transport-ws']);
    text(
      l,
      '{"type":"connection_init","payload":{"token":"t0ken"}}',
      '{"id":"1","type":"subscribe","payload":{"query":"subscription OnA { a }"}}',
      '{"id":"2","type":"subscribe","payload":{"query":"mutation M { m }"}}',
      '{"id":"3","type":"subscribe","payload":{"query":"subscription { b }"}}',
      '{"id":"3","type":"complete"}',
      '{"type":"ping"}',
    );
    const plan = l.plan();
    expect(labels(plan?.openings)).toEqual(['GraphQL connection_init']);
    expect(labels(plan?.subscriptions)).toEqual(['GraphQL subscribe #1 (OnA)']);
  });

  it('GraphQL (legacy graphql-ws): connection_init, start; stop ends one, connection_terminate all', () => {
    const l = ledger('ws://h/', ['graphql-ws']);
    text(l, '{"type":"connection_init","payload":{}}', '{"id":"1","type":"start","payload":{"query":"subscription { a }"}}', '{"id":"2","type":"start","payload":{"query":"subscription { b }"}}', '{"id":"1","type":"stop"}');
    expect(labels(l.plan()?.subscriptions)).toEqual(['GraphQL start #2 (b)']);
    text(l, '{"type":"connection_terminate"}');
    expect(l.plan()).toBeUndefined();
  });

  it('SignalR: the handshake record (recognised from the message itself)', () => {
    const l = ledger('ws://h/chat');
    text(l, '{"protocol":"json","version":1}\u001e', '{"type":1,"target":"Join","arguments":["r"]}\u001e', '{"type":6}\u001e');
    const plan = l.plan();
    expect(plan?.protocol).toBe('signalr');
    expect(labels(plan?.openings)).toEqual(['SignalR handshake (json)']);
    expect(plan?.subscriptions).toEqual([]);
  });

  it("Socket.IO: each namespace's CONNECT, in order; a namespace the client left is not", () => {
    const l = ledger('ws://h/socket.io/?EIO=4&transport=websocket');
    text(l, '40', '40/admin,{"token":"x"}', '40/chat,', '42["hi"]', '3', '41/chat,');
    const plan = l.plan();
    expect(plan?.protocol).toBe('socketio');
    expect(labels(plan?.openings)).toEqual(['Socket.IO CONNECT /', 'Socket.IO CONNECT /admin']);
    expect(plan?.openings[1]?.messages[0]?.payload.toString()).toBe('40/admin,{"token":"x"}');
  });

  it('stops looking after the first messages when none shows a protocol', () => {
    const l = ledger();
    for (let i = 0; i < 8; i++) text(l, `line ${i}`);
    text(l, stomp('CONNECT'));
    expect(l.plan()).toBeUndefined();
  });
});

describe('OpeningLedger memory', () => {
  it('a packet split over messages past 1 MB is not kept (its pieces are let go), and the ledger goes on after it', () => {
    const l = ledger();
    text(l, stomp('CONNECT'));
    const body = 'x'.repeat(64 * 1024);
    l.sent('text', Buffer.from(`SEND\ndestination:/q\n\n${body}`));
    let most = 0;
    for (let i = 0; i < 20; i++) {
      l.sent('text', Buffer.from(body));
      most = Math.max(most, l.heldBytes);
    }
    expect(most).toBeLessThanOrEqual(1024 * 1024);
    l.sent('text', Buffer.from('\0'));
    text(l, stomp('SUBSCRIBE', { id: '0', destination: '/t' }));
    const plan = l.plan();
    expect(labels(plan?.openings)).toEqual(['STOMP CONNECT']);
    expect(labels(plan?.subscriptions)).toEqual(['STOMP SUBSCRIBE /t']);
    expect(plan?.notSent).toEqual([]);
  });
});

describe('OpeningLedger copies', () => {
  it('keeps its own copy of what it keeps (a caller may reuse its buffer), split pieces too', () => {
    const l = ledger('ws://h/', ['mqtt']);
    const first = Buffer.from(mqttConnect.subarray(0, 5));
    const rest = Buffer.from(mqttConnect.subarray(5));
    l.sent('binary', first);
    l.sent('binary', rest);
    first.fill(0);
    rest.fill(0);
    expect(Buffer.concat(l.plan()?.openings[0]?.messages.map((m) => m.payload) ?? []).equals(mqttConnect)).toBe(true);
  });
});
