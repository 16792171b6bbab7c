/**
 * What the server refused is not sent again, and the plan says why (opening-ledger.ts,
 * opening-server-reader.ts): an MQTT SUBSCRIBE whose every filter the SUBACK refused (3.1.1:
 * 0x80; MQTT 5: a reason code ≥ 0x80), one refused in part sent again whole with a label that
 * names the filters refused before; a STOMP frame answered by ERROR (by its receipt, or the
 * ERROR right after it before anything showed it taken); a Socket.IO namespace refused with
 * CONNECT_ERROR.
 */
import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { OpeningLedger, STOMP_ANSWER_WINDOW, type ReplayItem } from '../../../src-main/core/session/opening-ledger';

const labels = (items: ReplayItem[] | undefined): string[] => (items ?? []).map((i) => i.label);

// ---- MQTT ----

type Version = 4 | 5;
const connect = (v: Version): Buffer => mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: v, clean: true, keepalive: 60, clientId: 'c', username: 'u', password: Buffer.from('s3cret') }, { protocolVersion: v });
const subscribe = (v: Version, messageId: number, topics: string[]): Buffer => mqtt.generate({ cmd: 'subscribe', messageId, subscriptions: topics.map((topic) => ({ topic, qos: 1 as const })) }, { protocolVersion: v });
const suback = (v: Version, messageId: number, granted: number[]): Buffer =>
  mqtt.generate({ cmd: 'suback', messageId, granted, ...(v === 5 ? { properties: { reasonString: 'acl' } } : {}) }, { protocolVersion: v });
const connack = (v: Version): Buffer => mqtt.generate(v === 5 ? { cmd: 'connack', sessionPresent: false, reasonCode: 0 } : { cmd: 'connack', sessionPresent: false, returnCode: 0 }, { protocolVersion: v });

function mqttLedger(v: Version): OpeningLedger {
  const l = new OpeningLedger({ url: 'ws://h/mqtt', subprotocols: ['mqtt'] });
  l.sent('binary', connect(v));
  l.received('binary', connack(v));
  return l;
}

describe('OpeningLedger: an MQTT SUBSCRIBE the broker refused', () => {
  for (const v of [4, 5] as const) {
    it(`MQTT ${v === 4 ? '3.1.1' : '5'}: refused whole it is not sent again, and the plan says why; granted it is`, () => {
      const l = mqttLedger(v);
      expect(l.wantsIncoming).toBe(true);
      l.sent('binary', subscribe(v, 1, ['ok/a']));
      l.sent('binary', subscribe(v, 2, ['secret/#']));
      l.sent('binary', subscribe(v, 3, ['x/1', 'x/2']));
      l.received('binary', suback(v, 1, [1]));
      l.received('binary', suback(v, 2, [v === 4 ? 0x80 : 0x87]));
      l.received('binary', suback(v, 3, v === 4 ? [0x80, 0x80] : [0x97, 0x80]));
      const plan = l.plan();
      expect(labels(plan?.openings)).toEqual(['MQTT CONNECT']);
      expect(labels(plan?.subscriptions)).toEqual(['MQTT SUBSCRIBE ok/a']);
      expect(plan?.notSent).toEqual(
        v === 4
          ? ['MQTT SUBSCRIBE secret/#: the broker refused it (SUBACK secret/# 0x80 failure)', 'MQTT SUBSCRIBE x/1, x/2: the broker refused every filter (SUBACK x/1 0x80 failure, x/2 0x80 failure)']
          : ['MQTT SUBSCRIBE secret/#: the broker refused it (SUBACK secret/# 0x87 not authorized)', 'MQTT SUBSCRIBE x/1, x/2: the broker refused every filter (SUBACK x/1 0x97 quota exceeded, x/2 0x80 failure)'],
      );
    });

    it(`MQTT ${v === 4 ? '3.1.1' : '5'}: refused in part it is sent again whole, as sent, its label naming the filters refused before`, () => {
      const l = mqttLedger(v);
      const packet = subscribe(v, 7, ['a', 'secret/#', 'b']);
      l.sent('binary', packet);
      l.received('binary', suback(v, 7, [1, v === 4 ? 0x80 : 0x87, 0]));
      const plan = l.plan();
      expect(plan?.subscriptions.map((i) => Buffer.concat(i.messages.map((m) => m.payload)).toString('hex'))).toEqual([packet.toString('hex')]);
      expect(labels(plan?.subscriptions)).toEqual([
        `MQTT SUBSCRIBE a, secret/#, b (the broker refused secret/# ${v === 4 ? '0x80 failure' : '0x87 not authorized'} before; sent again as you sent it, the broker answers again)`,
      ]);
      expect(plan?.notSent).toEqual([]);
    });
  }

  it('a SUBACK is matched by packet id to the SUBSCRIBE before it not yet answered; SUBACKs sharing a message and split over messages are read', () => {
    const l = mqttLedger(4);
    l.sent('binary', subscribe(4, 1, ['first']));
    l.sent('binary', subscribe(4, 2, ['second']));
    const second = suback(4, 2, [0x80]);
    l.received('binary', Buffer.concat([suback(4, 1, [0]), second.subarray(0, 3)]));
    expect(labels(l.plan()?.subscriptions)).toEqual(['MQTT SUBSCRIBE first', 'MQTT SUBSCRIBE second']);
    l.received('binary', second.subarray(3));
    expect(labels(l.plan()?.subscriptions)).toEqual(['MQTT SUBSCRIBE first']);
    // Id 1 used again once answered: a refusing SUBACK with id 1 answers the new SUBSCRIBE, not 'first'.
    l.sent('binary', subscribe(4, 1, ['third']));
    l.received('binary', suback(4, 1, [0x80]));
    expect(labels(l.plan()?.subscriptions)).toEqual(['MQTT SUBSCRIBE first']);
    expect(l.plan()?.notSent).toEqual(['MQTT SUBSCRIBE second: the broker refused it (SUBACK second 0x80 failure)', 'MQTT SUBSCRIBE third: the broker refused it (SUBACK third 0x80 failure)']);
  });

  it('a SUBACK for an id no kept SUBSCRIBE has, or one before the SUBSCRIBE (by seq), refuses nothing', () => {
    const l = new OpeningLedger({ url: 'ws://h/mqtt', subprotocols: ['mqtt'] });
    l.sent('binary', connect(4), 1);
    l.sent('binary', subscribe(4, 5, ['t']), 3);
    l.received('binary', suback(4, 5, [0x80]), 2);
    l.received('binary', suback(4, 6, [0x80]), 4);
    expect(labels(l.plan()?.subscriptions)).toEqual(['MQTT SUBSCRIBE t']);
  });

  it('subscribed again after a refusal: the new SUBSCRIBE is kept and the refusal is no longer said', () => {
    const l = mqttLedger(4);
    l.sent('binary', subscribe(4, 1, ['t']));
    l.received('binary', suback(4, 1, [0x80]));
    expect(l.plan()?.notSent).toHaveLength(1);
    l.sent('binary', subscribe(4, 2, ['t']));
    l.received('binary', suback(4, 2, [0]));
    expect(labels(l.plan()?.subscriptions)).toEqual(['MQTT SUBSCRIBE t']);
    expect(l.plan()?.notSent).toEqual([]);
  });
});

// ---- STOMP ----

const stomp = (command: string, headers: Record<string, string> = {}, body = ''): string => `${command}\n${Object.entries(headers).map(([k, v]) => `${k}:${v}\n`).join('')}\n${body}\0`;
function stompLedger(): OpeningLedger {
  const l = new OpeningLedger({ url: 'ws://h/ws', subprotocols: ['v12.stomp'] });
  l.sent('text', Buffer.from(stomp('CONNECT', { login: 'u', passcode: 'p4ss' })));
  l.received('text', Buffer.from(stomp('CONNECTED', { version: '1.2' })));
  return l;
}
const out = (l: OpeningLedger, ...m: string[]): void => m.forEach((x) => l.sent('text', Buffer.from(x)));
const inc = (l: OpeningLedger, ...m: string[]): void => m.forEach((x) => l.received('text', Buffer.from(x)));

describe('OpeningLedger: a STOMP frame the server answered with ERROR', () => {
  it('the ERROR right after a SUBSCRIBE refuses it: not sent again, and the plan says so in words', () => {
    const l = stompLedger();
    out(l, stomp('SUBSCRIBE', { id: '0', destination: '/topic/ok' }));
    inc(l, stomp('MESSAGE', { subscription: '0', destination: '/topic/ok', 'message-id': 'm1' }, 'x'));
    out(l, stomp('SUBSCRIBE', { id: '1', destination: '/nowhere/x' }));
    inc(l, '\n', stomp('ERROR', { message: 'Unknown destination', 'content-type': 'text/plain' }, "'/nowhere/x' is not a valid destination"));
    const plan = l.plan();
    expect(labels(plan?.openings)).toEqual(['STOMP CONNECT']);
    expect(labels(plan?.subscriptions)).toEqual(['STOMP SUBSCRIBE /topic/ok']);
    expect(plan?.notSent).toEqual(["STOMP SUBSCRIBE /nowhere/x: the server answered it with ERROR 'Unknown destination'"]);
  });

  it('an ERROR naming a receipt refuses the frame with that receipt, not the last one sent', () => {
    const l = stompLedger();
    out(l, stomp('SUBSCRIBE', { id: 'a', destination: '/q/a', receipt: 'r-a' }), stomp('SUBSCRIBE', { id: 'b', destination: '/q/b' }));
    inc(l, stomp('ERROR', { message: 'no', 'receipt-id': 'r-a' }));
    expect(labels(l.plan()?.subscriptions)).toEqual(['STOMP SUBSCRIBE /q/b']);
    expect(l.plan()?.notSent).toEqual(["STOMP SUBSCRIBE /q/a: the server answered it with ERROR 'no'"]);
  });

  it('the CONNECT answered with ERROR is not sent again either', () => {
    const l = new OpeningLedger({ url: 'ws://h/ws', subprotocols: ['v12.stomp'] });
    out(l, stomp('CONNECT', { login: 'u', passcode: 'wrong' }));
    inc(l, stomp('ERROR', { message: 'Access refused for user u' }));
    const plan = l.plan();
    expect(plan?.openings).toEqual([]);
    expect(plan?.notSent).toEqual(["STOMP CONNECT: the server answered it with ERROR 'Access refused for user u'"]);
    expect(JSON.stringify(plan?.notSent)).not.toContain('wrong');
  });

  it('not refused: a frame the server showed taken (CONNECTED, its RECEIPT, a MESSAGE of its subscription), a SEND after it, or an ERROR past the window', () => {
    const taken = stompLedger();
    out(taken, stomp('SUBSCRIBE', { id: '0', destination: '/a' }));
    inc(taken, stomp('MESSAGE', { subscription: '0', destination: '/a' }), stomp('ERROR', { message: 'later' }));
    expect(labels(taken.plan()?.subscriptions)).toEqual(['STOMP SUBSCRIBE /a']);

    const receipted = stompLedger();
    out(receipted, stomp('SUBSCRIBE', { id: '0', destination: '/a', receipt: 'r1' }));
    inc(receipted, stomp('RECEIPT', { 'receipt-id': 'r1' }), stomp('ERROR', { message: 'later' }));
    expect(labels(receipted.plan()?.subscriptions)).toEqual(['STOMP SUBSCRIBE /a']);

    const connected = new OpeningLedger({ url: 'ws://h/ws', subprotocols: ['v12.stomp'] });
    out(connected, stomp('CONNECT'));
    inc(connected, stomp('CONNECTED', { version: '1.2' }), stomp('ERROR', { message: 'later' }));
    expect(labels(connected.plan()?.openings)).toEqual(['STOMP CONNECT']);

    const sendAfter = stompLedger();
    out(sendAfter, stomp('SUBSCRIBE', { id: '0', destination: '/a' }), stomp('SEND', { destination: '/bad' }, 'x'));
    inc(sendAfter, stomp('ERROR', { message: 'send refused' }));
    expect(labels(sendAfter.plan()?.subscriptions)).toEqual(['STOMP SUBSCRIBE /a']);
    expect(sendAfter.plan()?.notSent).toEqual([]);

    const late = stompLedger();
    out(late, stomp('SUBSCRIBE', { id: '0', destination: '/quiet' }));
    for (let i = 0; i < STOMP_ANSWER_WINDOW; i++) inc(late, stomp('MESSAGE', { subscription: 'other', destination: '/b' }));
    inc(late, stomp('ERROR', { message: 'shutdown' }));
    expect(labels(late.plan()?.subscriptions)).toEqual(['STOMP SUBSCRIBE /quiet']);
  });

  it('an ERROR read before the frame (by seq) does not refuse it', () => {
    const l = new OpeningLedger({ url: 'ws://h/ws', subprotocols: ['v12.stomp'] });
    l.sent('text', Buffer.from(stomp('CONNECT')), 1);
    l.received('text', Buffer.from(stomp('CONNECTED')), 2);
    l.sent('text', Buffer.from(stomp('SUBSCRIBE', { id: '0', destination: '/a' })), 4);
    l.received('text', Buffer.from(stomp('ERROR', { message: 'x' })), 3);
    expect(labels(l.plan()?.subscriptions)).toEqual(['STOMP SUBSCRIBE /a']);
  });
});

// ---- Socket.IO ----

describe('OpeningLedger: a Socket.IO namespace refused with CONNECT_ERROR', () => {
  it('is not joined again, and the plan says the server refused it and its message (Engine.IO 4 and 3)', () => {
    const v4 = new OpeningLedger({ url: 'ws://h/socket.io/?EIO=4&transport=websocket', subprotocols: [] });
    out(v4, '40', '40/admin,{"token":"bad"}');
    inc(v4, '0{"sid":"s","upgrades":[],"pingInterval":25000,"pingTimeout":20000}', '40{"sid":"a"}', '44/admin,{"message":"Not authorized"}');
    expect(labels(v4.plan()?.openings)).toEqual(['Socket.IO CONNECT /']);
    expect(v4.plan()?.notSent).toEqual(["Socket.IO CONNECT /admin: the server refused it (CONNECT_ERROR 'Not authorized')"]);
    expect(JSON.stringify(v4.plan()?.notSent)).not.toContain('bad');

    const v3 = new OpeningLedger({ url: 'ws://h/socket.io/?EIO=3&transport=websocket', subprotocols: [] });
    out(v3, '40/admin,');
    inc(v3, '44/admin,"Not authorized"');
    expect(v3.plan()?.openings).toEqual([]);
    expect(v3.plan()?.notSent).toEqual(["Socket.IO CONNECT /admin: the server refused it (CONNECT_ERROR 'Not authorized')"]);
  });

  it('joined again after the refusal (say, with a better token): that CONNECT is kept and the refusal no longer said', () => {
    const l = new OpeningLedger({ url: 'ws://h/socket.io/?EIO=4&transport=websocket', subprotocols: [] });
    out(l, '40/admin,{"token":"bad"}');
    inc(l, '44/admin,{"message":"Not authorized"}');
    out(l, '40/admin,{"token":"good"}');
    inc(l, '40/admin,{"sid":"x"}');
    expect(labels(l.plan()?.openings)).toEqual(['Socket.IO CONNECT /admin']);
    expect(l.plan()?.notSent).toEqual([]);
  });
});
