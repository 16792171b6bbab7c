/**
 * ProtocolRefusalWatch on its own: the protocol from the connection's signs or the client's first
 * message; an MQTT CONNACK's code (3.1.1 and MQTT 5, split over messages, after an AUTH, a
 * Remaining Length of two bytes) and which codes another attempt cannot pass; a STOMP ERROR at a
 * message's start (after heart-beats); a GraphQL connection_error; reading stops once accepted.
 */
import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { connackRefusal, ProtocolRefusalWatch } from '../../../src-main/core/session/reconnect-protocol-refusal';

const v4 = { protocolVersion: 4 } as const;
const v5 = { protocolVersion: 5 } as const;
const connect4 = mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 60, clientId: 'c', username: 'u', password: Buffer.from('pw') }, v4);
const connack4 = (returnCode: number): Buffer => mqtt.generate({ cmd: 'connack', sessionPresent: false, returnCode }, v4);
const connack5 = (reasonCode: number, properties = {}): Buffer => mqtt.generate({ cmd: 'connack', sessionPresent: false, reasonCode, properties }, v5);

function mqttWatch(): ProtocolRefusalWatch {
  return new ProtocolRefusalWatch({ url: 'ws://broker/mqtt', subprotocols: ['mqtt'] });
}

describe('MQTT: the CONNACK', () => {
  it('3.1.1 bad user name or password (4) and not authorized (5): unchanging, the line names the refusal and what to change', () => {
    const watch = mqttWatch();
    watch.received('binary', connack4(4));
    expect(watch.refusal).toEqual({
      line: 'the broker refused the CONNECT with CONNACK 4 (bad user name or password), and would refuse the same CONNECT again: change the user name or password',
      unchanging: true,
    });
    expect(watch.wantsIncoming).toBe(false);
    expect(connackRefusal(5)).toMatchObject({ unchanging: true, line: expect.stringMatching(/^the broker refused the CONNECT with CONNACK 5 \(not authorized\), /) });
    expect(connackRefusal(2)).toMatchObject({ unchanging: true, line: expect.stringMatching(/identifier rejected.*change the client id$/) });
    expect(connackRefusal(1)).toMatchObject({ unchanging: true });
  });

  it('MQTT 5 0x86, 0x87, 0x8C, 0x85, 0x84: unchanging; server unavailable, busy, quota, rate, unspecified: retried', () => {
    for (const code of [0x84, 0x85, 0x86, 0x87, 0x8a, 0x8c, 0x9d]) expect(connackRefusal(code)?.unchanging, code.toString(16)).toBe(true);
    expect(connackRefusal(0x8c)?.line).toBe('the broker refused the CONNECT with CONNACK 0x8c (bad authentication method), and would refuse the same CONNECT again: change the authentication method');
    for (const code of [3, 0x80, 0x83, 0x88, 0x89, 0x97, 0x9c, 0x9f, 0xfe]) expect(connackRefusal(code)?.unchanging, code.toString(16)).toBe(false);
    expect(connackRefusal(0x89)?.line).toBe('the broker refused the CONNECT with CONNACK 0x89 (server busy)');
    expect(connackRefusal(0)).toBeUndefined();
  });

  it('an MQTT 5 CONNACK with properties (two-byte Remaining Length), split over messages, after an AUTH', () => {
    const watch = mqttWatch();
    const auth = mqtt.generate({ cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'SCRAM-SHA-1' } }, v5);
    const refused = connack5(0x86, { reasonString: 'x'.repeat(200) });
    expect(refused[1]! & 0x80).toBe(0x80);
    watch.received('binary', auth);
    watch.received('binary', refused.subarray(0, 3));
    expect(watch.refusal).toBeUndefined();
    watch.received('binary', refused.subarray(3));
    expect(watch.refusal).toMatchObject({ unchanging: true, line: expect.stringContaining('CONNACK 0x86 (bad user name or password)') });
  });

  it('accepted (0): no refusal, and nothing after it is read; the protocol from the client first CONNECT when the signs name none', () => {
    const watch = new ProtocolRefusalWatch({ url: 'ws://somewhere/', subprotocols: [] });
    watch.received('binary', connack4(5));
    expect(watch.refusal).toBeUndefined();
    watch.sent('binary', connect4);
    watch.received('binary', connack4(0));
    expect(watch.wantsIncoming).toBe(false);
    watch.received('binary', connack4(5));
    expect(watch.refusal).toBeUndefined();
  });
});

describe('STOMP and GraphQL', () => {
  it("a STOMP ERROR after CONNECTED (after heart-beats) is a refusal another attempt may pass, with its message; a MESSAGE mentioning ERROR is not", () => {
    const watch = new ProtocolRefusalWatch({ url: 'ws://mq/ws', subprotocols: ['v12.stomp'] });
    watch.received('text', Buffer.from('CONNECTED\nversion:1.2\n\n\0'));
    watch.received('text', Buffer.from('MESSAGE\ndestination:/q/a\n\nERROR\n\0'));
    expect(watch.refusal).toBeUndefined();
    watch.received('text', Buffer.from('\n\r\nERROR\nmessage:Access refused\ncontent-type:text/plain\n\nfor user guest\0'));
    expect(watch.refusal).toEqual({ line: "the server answered ERROR 'Access refused' (for user guest)", unchanging: false });
  });

  it('a GraphQL connection_error before connection_ack; after the ack nothing is read', () => {
    const refused = new ProtocolRefusalWatch({ url: 'ws://api/graphql', subprotocols: ['graphql-ws'] });
    refused.received('text', Buffer.from('{"type":"connection_error","payload":{"message":"bad token"}}'));
    expect(refused.refusal).toEqual({ line: 'the server answered connection_error', unchanging: false });
    const accepted = new ProtocolRefusalWatch({ url: 'ws://api/graphql', subprotocols: ['graphql-ws'] });
    accepted.received('text', Buffer.from('{"type":"connection_ack"}'));
    expect(accepted.wantsIncoming).toBe(false);
  });
});

describe('another protocol', () => {
  it('is not read: before the protocol is known, and once the client sent what names none', () => {
    const watch = new ProtocolRefusalWatch({ url: 'ws://feed/prices', subprotocols: [] });
    expect(watch.wantsIncoming).toBe(false);
    watch.sent('text', Buffer.from('{"subscribe":"prices"}'));
    expect(watch.wantsIncoming).toBe(false);
  });
});
