import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { CredentialBytes } from '../../../src-main/core/decode/credential-bytes';
import { credentialPaths, redactCredentials } from '../../../src-main/core/decode/frame-credentials';
import { GraphqlWsDecoder } from '../../../src-main/core/decode/graphql-ws-decoder';
import { MqttDecoder } from '../../../src-main/core/decode/mqtt-decoder';
import { SocketIoDecoder } from '../../../src-main/core/decode/socketio-decoder';
import { StompDecoder } from '../../../src-main/core/decode/stomp-decoder';
import type { StreamDecoder } from '../../../src-main/core/decode/decoded-frame';
import type { JsonValue } from '../../../src-main/core/decode/json-value';

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
const MARK = '••••••';

function connect(version: 4 | 5, extra: Partial<mqtt.IConnectPacket> = {}): Buffer {
  return mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: version, clientId: 'c1', username: 'alice', password: Buffer.from('s3cret'), keepalive: 10, clean: true, ...extra });
}

/** Each message decoded in order by a fresh decoder: the values (decoded or partial). */
function values(decoder: StreamDecoder, messages: readonly { bytes: Uint8Array; opcode?: 'text' | 'binary' }[]): JsonValue[] {
  return messages.map(({ bytes, opcode }, i) => {
    const outcome = decoder.decode({ seq: i + 1, dir: 'out', opcode: opcode ?? 'binary', bytes });
    return outcome && outcome.kind !== 'invalid' ? outcome.value : null;
  });
}

/** Messages masked in order by one CredentialBytes. */
function masked(protocol: string, messages: readonly Uint8Array[], opcode: 'text' | 'binary' = 'binary'): Uint8Array[] {
  const masker = new CredentialBytes(protocol);
  return messages.map((bytes) => masker.mask('out', opcode, bytes).bytes);
}

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

describe('credentialPaths', () => {
  it('MQTT 3.1.1 CONNECT: the password', () => {
    const [value] = values(new MqttDecoder(), [{ bytes: connect(4) }]);
    expect(credentialPaths('mqtt', value ?? null)).toEqual(['$.password']);
    const redacted = redactCredentials('mqtt', value ?? null);
    expect(JSON.stringify(redacted.value)).not.toContain('czNjcmV0');
    expect(redacted.value).toMatchObject({ username: 'alice', password: MARK });
  });

  it('MQTT 5: CONNECT password and authenticationData, AUTH authenticationData, several packets in one message', () => {
    const decoder = new MqttDecoder();
    const auth = mqtt.generate({ cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'SCRAM', authenticationData: Buffer.from('more') } }, { protocolVersion: 5 });
    const withData = connect(5, { properties: { authenticationMethod: 'SCRAM', authenticationData: Buffer.from('authdata') } });
    const [two, alone] = values(decoder, [{ bytes: Buffer.concat([withData, withData]) }, { bytes: auth }]);
    expect(credentialPaths('mqtt', two ?? null)).toEqual([
      '$.packets[0].password',
      '$.packets[0].properties.authenticationData',
      '$.packets[1].password',
      '$.packets[1].properties.authenticationData',
    ]);
    expect(credentialPaths('mqtt', alone ?? null)).toEqual(['$.properties.authenticationData']);
    expect(JSON.stringify(redactCredentials('mqtt', alone ?? null).value)).not.toContain(Buffer.from('more').toString('base64'));
  });

  it('MQTT: a CONNECT without a password, a PUBLISH whose payload says password: nothing', () => {
    const decoder = new MqttDecoder();
    const publish = mqtt.generate({ cmd: 'publish', topic: 't', payload: Buffer.from('{"password":"x"}'), qos: 0, dup: false, retain: false });
    const [plain, pub] = values(decoder, [{ bytes: connect(4, { password: undefined, username: undefined }) }, { bytes: publish }]);
    expect(credentialPaths('mqtt', plain ?? null)).toEqual([]);
    expect(credentialPaths('mqtt', pub ?? null)).toEqual([]);
  });

  it('STOMP: passcode and headers named like credentials in every frame (CONNECT, STOMP, SUBSCRIBE, SEND, MESSAGE); login and bodies stay', () => {
    const [connectValue, stompValue, subscribe, send, message] = values(new StompDecoder(), [
      { bytes: enc('CONNECT\naccept-version:1.2\nlogin:guest\npasscode:guest\n\n\0'), opcode: 'text' },
      { bytes: enc('STOMP\nhost:/\npasscode:pw\nX-Auth-Token:tok\n\n\0'), opcode: 'text' },
      { bytes: enc('SUBSCRIBE\nid:0\ndestination:/q\nAuthorization:Bearer eyJsecretTOKEN\npasscode:guest\n\n\0'), opcode: 'text' },
      { bytes: enc('SEND\ndestination:/q\nlogin:me\nX\\cApi-Key:k\n\npasscode:in-the-body\0'), opcode: 'text' },
      { bytes: enc('MESSAGE\ndestination:/q\nmessage-id:1\nsubscription:0\n\n{"token":"body"}\0'), opcode: 'text' },
    ]);
    expect(credentialPaths('stomp', connectValue ?? null)).toEqual(['$.headers.passcode']);
    expect(redactCredentials('stomp', connectValue ?? null).value).toMatchObject({ headers: { login: 'guest', passcode: MARK } });
    expect(credentialPaths('stomp', stompValue ?? null)).toEqual(['$.headers.passcode', '$.headers["X-Auth-Token"]']);
    expect(credentialPaths('stomp', subscribe ?? null)).toEqual(['$.headers.Authorization', '$.headers.passcode']);
    const shown = JSON.stringify(redactCredentials('stomp', subscribe ?? null).value);
    expect(shown).not.toMatch(/eyJsecretTOKEN|"guest"/);
    expect(credentialPaths('stomp', send ?? null)).toEqual(['$.headers["X:Api-Key"]']);
    expect(redactCredentials('stomp', send ?? null).value).toMatchObject({ headers: { login: 'me', 'X:Api-Key': MARK } });
    expect(JSON.stringify(redactCredentials('stomp', send ?? null).value)).toContain('passcode:in-the-body');
    expect(credentialPaths('stomp', message ?? null)).toEqual([]);
  });

  it('STOMP with a repeated header: the headerList lines too', () => {
    const value: JsonValue = { command: 'CONNECT', headers: { passcode: 'a' }, headerList: [['passcode', 'a'], ['passcode', 'b'], ['host', 'h']], body: '' };
    expect(credentialPaths('stomp', value)).toEqual(['$.headers.passcode', '$.headerList[0][1]', '$.headerList[1][1]']);
    expect(JSON.stringify(redactCredentials('stomp', value).value)).not.toMatch(/"[ab]"/);
  });

  it('GraphQL-ws connection_init: credential-named payload keys at any depth; other messages: none', () => {
    const [init, subscribe] = values(new GraphqlWsDecoder(), [
      { bytes: enc('{"type":"connection_init","payload":{"authToken":"abc","user":"u","headers":{"Authorization":"Bearer x"}}}'), opcode: 'text' },
      { bytes: enc('{"id":"1","type":"subscribe","payload":{"query":"{a}","variables":{"token":"t"}}}'), opcode: 'text' },
    ]);
    expect(credentialPaths('graphql-ws', init ?? null)).toEqual(['$.payload.authToken', '$.payload.headers.Authorization']);
    expect(credentialPaths('graphql-ws', subscribe ?? null)).toEqual([]);
  });

  it('Socket.IO CONNECT auth payload (with a namespace too); an EVENT: none', () => {
    const [root, admin, event] = values(new SocketIoDecoder(), [
      { bytes: enc('40{"token":"abc","room":"r"}'), opcode: 'text' },
      { bytes: enc('40/admin,{"apiKey":"k","password":"p"}'), opcode: 'text' },
      { bytes: enc('42["login",{"password":"p"}]'), opcode: 'text' },
    ]);
    expect(credentialPaths('socketio', root ?? null)).toEqual(['$.data.token']);
    expect(credentialPaths('socketio', admin ?? null)).toEqual(['$.data.apiKey', '$.data.password']);
    expect(credentialPaths('socketio', event ?? null)).toEqual([]);
  });

  it('other protocols and odd values: nothing, no throw', () => {
    expect(credentialPaths('json', { password: 'x' })).toEqual([]);
    expect(credentialPaths('mqtt', null)).toEqual([]);
    expect(credentialPaths('stomp', ['x'])).toEqual([]);
    expect(credentialPaths('mqtt', { packets: [1, null, { cmd: 'connect', password: 'x' }] })).toEqual(['$.packets[2].password']);
  });
});

describe('CredentialBytes: the raw message masked, same length, decoding to the same structure', () => {
  it('MQTT 3.1.1 and 5 CONNECT, two packets in one message, and AUTH', () => {
    for (const version of [4, 5] as const) {
      const withData = connect(version, version === 5 ? { properties: { authenticationMethod: 'SCRAM', authenticationData: Buffer.from('authdata') }, will: { topic: 'w', payload: Buffer.from('bye'), qos: 0, retain: false, properties: { contentType: 'x' } } } : {});
      const message = Buffer.concat([withData, withData]);
      const [out] = masked('mqtt', [message]);
      expect(out?.length).toBe(message.length);
      expect(latin1(out ?? message)).not.toContain('s3cret');
      expect(latin1(out ?? message)).not.toContain('authdata');
      const [before] = values(new MqttDecoder(), [{ bytes: message }]);
      const [after] = values(new MqttDecoder(), [{ bytes: out ?? message }]);
      const star = (n: number): JsonValue => ({ $bytes: Buffer.from('*'.repeat(n)).toString('base64'), length: n });
      const expected = JSON.parse(JSON.stringify(before).split(JSON.stringify({ $bytes: Buffer.from('s3cret').toString('base64'), length: 6 })).join(JSON.stringify(star(6))).split(JSON.stringify({ $bytes: Buffer.from('authdata').toString('base64'), length: 8 })).join(JSON.stringify(star(8))));
      expect(after).toEqual(expected);
    }
    const auth = mqtt.generate({ cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'SCRAM', authenticationData: Buffer.from('more'), userProperties: { a: 'b' } } }, { protocolVersion: 5 });
    const [, authOut] = masked('mqtt', [connect(5), auth]);
    expect(latin1(authOut ?? auth)).toContain('SCRAM');
    expect(latin1(authOut ?? auth)).not.toContain('more');
  });

  it('MQTT: a CONNECT split across messages at every point masks what each message holds', () => {
    const packet = connect(5, { properties: { authenticationMethod: 'SCRAM', authenticationData: Buffer.from('authdata') } });
    const publish = mqtt.generate({ cmd: 'publish', topic: 's3cret', payload: Buffer.from('s3cret'), qos: 0, dup: false, retain: false });
    const whole = Buffer.concat([publish, packet, publish]);
    const [reference] = masked('mqtt', [whole]);
    for (let a = 1; a < whole.length; a++) {
      for (const b of [a + 1, a + 3, whole.length - 1]) {
        if (b <= a || b >= whole.length) continue;
        const parts = masked('mqtt', [whole.subarray(0, a), whole.subarray(a, b), whole.subarray(b)]);
        expect(Buffer.concat(parts)).toEqual(Buffer.from(reference ?? whole));
        // Each message counts only the bytes it holds (exports say how many they masked).
        const masker = new CredentialBytes('mqtt');
        const counts = [whole.subarray(0, a), whole.subarray(a, b), whole.subarray(b)].map((part) => masker.mask('out', 'binary', part).masked);
        expect(counts.reduce((x, y) => x + y, 0)).toBe('s3cret'.length + 'authdata'.length);
      }
    }
    // The PUBLISH's topic and payload (not credentials) stay.
    expect(latin1(reference ?? whole).split('s3cret').length - 1).toBe(4);
  });

  it('MQTT: a text message ends the packet under way; an invalid or empty message masks nothing', () => {
    const packet = connect(4);
    const masker = new CredentialBytes('mqtt');
    masker.mask('out', 'binary', packet.subarray(0, 10));
    masker.mask('out', 'text', enc('x'));
    const rest = packet.subarray(10);
    expect(masker.mask('out', 'binary', rest).masked).toBe(0);
    for (const junk of [new Uint8Array(0), Uint8Array.from([0x10, 0xff, 0xff, 0xff, 0xff, 0x01]), Uint8Array.from([0x10, 0x02, 0x00])]) {
      expect(() => new CredentialBytes('mqtt').mask('out', 'binary', junk)).not.toThrow();
    }
  });

  it('STOMP CONNECT/STOMP (LF and CRLF, after a heart-beat, three frames in a message); a SEND and a SUBSCRIBE too, not a body', () => {
    const text = '\nCONNECT\r\nlogin:guest\r\npasscode:guest\r\n\r\n\0STOMP\nX-Api-Key:k1\n\n\0SEND\ndestination:/q\npasscode:visible\n\nhi passcode:body\0SUBSCRIBE\nid:1\nAuthorization:Bearer eyJ\n\n\0';
    const [out] = masked('stomp', [enc(text)], 'text');
    const shown = latin1(out ?? new Uint8Array());
    expect(shown).toBe(text.replace('passcode:guest', 'passcode:*****').replace('X-Api-Key:k1', 'X-Api-Key:**').replace('passcode:visible', 'passcode:*******').replace('Authorization:Bearer eyJ', 'Authorization:**********'));
    const [before] = values(new StompDecoder(), [{ bytes: enc(text), opcode: 'text' }]);
    const [after] = values(new StompDecoder(), [{ bytes: out ?? new Uint8Array(), opcode: 'text' }]);
    expect(JSON.stringify(after)).toBe(
      JSON.stringify(before)
        .replace('"passcode":"guest"', '"passcode":"*****"')
        .replace('"X-Api-Key":"k1"', '"X-Api-Key":"**"')
        .replace('"passcode":"visible"', '"passcode":"*******"')
        .replace('"Authorization":"Bearer eyJ"', '"Authorization":"**********"'),
    );
    // A name that is a credential's as written but not once its escapes are read (`\c` is ':'):
    // a STOMP 1.0 session reads no escapes, so it is masked either way.
    expect(latin1(masked('stomp', [enc('SEND\nx\\credential:v1\n\n\0')], 'text')[0] ?? new Uint8Array())).toBe('SEND\nx\\credential:**\n\n\0');
    // Binary STOMP frames too.
    expect(latin1(masked('stomp', [enc('CONNECT\npasscode:pw\n\n\0')], 'binary')[0] ?? new Uint8Array())).toBe('CONNECT\npasscode:**\n\n\0');
  });

  it('Socket.IO CONNECT and GraphQL connection_init: string values starred, numbers 0 and spaces, still the same JSON shape', () => {
    const sio = '40/admin,{"token":"ab\\"c","nested":{"password":12345},"room":"r"}';
    const [sioOut] = masked('socketio', [enc(sio)], 'text');
    expect(latin1(sioOut ?? new Uint8Array())).toBe('40/admin,{"token":"*****","nested":{"password":0    },"room":"r"}');
    expect(values(new SocketIoDecoder(), [{ bytes: sioOut ?? new Uint8Array(), opcode: 'text' }])[0]).toEqual({ engineIO: 'message', type: 'CONNECT', nsp: '/admin', data: { token: '*****', nested: { password: 0 }, room: 'r' } });
    expect(masked('socketio', [enc('42["x",{"token":"t"}]')], 'text')[0]).toEqual(enc('42["x",{"token":"t"}]'));

    const gql = '{"payload":{"authToken":"abc","headers":{"Authorization":"Bearer x"},"n":[{"secret":"s"}]},"type":"connection_init"}';
    const [gqlOut] = masked('graphql-ws', [enc(gql)], 'text');
    expect(latin1(gqlOut ?? new Uint8Array())).toBe('{"payload":{"authToken":"***","headers":{"Authorization":"********"},"n":[{"secret":"*"}]},"type":"connection_init"}');
    const other = '{"type":"subscribe","id":"1","payload":{"variables":{"token":"t"}}}';
    expect(masked('graphql-ws', [enc(other)], 'text')[0]).toEqual(enc(other));
    expect(masked('graphql-ws', [enc('{"type":"connection_init","payload":{"token":')], 'text')[0]).toEqual(enc('{"type":"connection_init","payload":{"token":'));
  });
});
