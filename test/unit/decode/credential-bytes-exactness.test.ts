/**
 * CredentialBytes against ground truth: generated streams (each credential's place known from
 * how the stream was built, adversarial ones included) split into messages at every offset and
 * at random, masked in order: the masked bytes, joined, equal the stream with exactly the
 * credential bytes masked, whatever the split. Adversarial: an MQTT password holding bytes that
 * look like packet headers (a whole CONNECT), a PUBLISH and a STOMP body carrying a fake CONNECT,
 * a CONNECT without a password, MQTT 5 properties and AUTH, STOMP escapes (\c \n \\) and CR LF,
 * GraphQL and Socket.IO JSON with escapes and numbers; frames that hold no credential unchanged.
 * STOMP credential headers are masked in every frame (SUBSCRIBE, SEND, ACK …, a repeated one on
 * every line), never in a body (`passcode:` text, content-length bodies with NULs), also in
 * seeded random streams whose masked headers are checked against the decoder's own reading.
 */
import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { CredentialBytes } from '../../../src-main/core/decode/credential-bytes';
import { StompDecoder } from '../../../src-main/core/decode/stomp-decoder';
import { childPath, credentialPaths, isStompCredentialHeader } from '../../../src-main/core/decode/frame-credentials';
import type { JsonValue } from '../../../src-main/core/decode/json-value';

/** A stream and its credentials' places; `number`: a JSON number (masked `0` then spaces). */
interface Stream {
  bytes: Buffer;
  secrets: { start: number; end: number; number?: boolean }[];
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

class Builder {
  private readonly parts: Buffer[] = [];
  private length = 0;
  readonly secrets: Stream['secrets'] = [];
  add(bytes: Buffer | string, secrets: { start: number; end: number; number?: boolean }[] = []): this {
    const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
    for (const s of secrets) this.secrets.push({ ...s, start: s.start + this.length, end: s.end + this.length });
    this.parts.push(buffer);
    this.length += buffer.length;
    return this;
  }
  /** Text whose secrets are marked ⟦like this⟧ (the markers dropped); ⟪…⟫ marks a JSON number. */
  marked(text: string): this {
    const secrets: Stream['secrets'] = [];
    let out = '';
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '⟦' || c === '⟪') secrets.push({ start: Buffer.byteLength(out, 'latin1'), end: -1, ...(c === '⟪' ? { number: true } : {}) });
      else if (c === '⟧' || c === '⟫') {
        const last = secrets[secrets.length - 1];
        if (last) last.end = Buffer.byteLength(out, 'latin1');
      } else out += c;
    }
    return this.add(out, secrets);
  }
  stream(): Stream {
    return { bytes: Buffer.concat(this.parts), secrets: this.secrets };
  }
}

function expected(stream: Stream): Buffer {
  const out = Buffer.from(stream.bytes);
  for (const { start, end, number } of stream.secrets) for (let i = start; i < end; i++) out[i] = number ? (i === start ? 0x30 : 0x20) : 0x2a;
  return out;
}

function maskParts(protocol: string, parts: readonly Buffer[], opcode: 'text' | 'binary'): { joined: Buffer; masked: number } {
  const masker = new CredentialBytes(protocol);
  let masked = 0;
  const out = parts.map((part) => {
    const result = masker.mask('out', opcode, part);
    masked += result.masked;
    return Buffer.from(result.bytes);
  });
  return { joined: Buffer.concat(out), masked };
}

/** Every split in two, a few in three around each credential, and random splits in up to 8. */
function splits(length: number, secrets: Stream['secrets'], random: () => number): number[][] {
  const out: number[][] = [[]];
  for (let k = 1; k < length; k++) out.push([k]);
  for (const { start, end } of secrets) {
    for (let a = Math.max(1, start - 2); a <= Math.min(length - 1, end + 2); a++) {
      for (const b of [a + 1, a + 2, end + 1]) if (b > a && b < length) out.push([a, b]);
    }
  }
  for (let n = 0; n < 200; n++) {
    const cuts = new Set<number>();
    const count = 1 + Math.floor(random() * 7);
    for (let i = 0; i < count; i++) cuts.add(1 + Math.floor(random() * (length - 1)));
    out.push([...cuts].sort((x, y) => x - y));
  }
  return out;
}

function cut(bytes: Buffer, at: readonly number[]): Buffer[] {
  const parts: Buffer[] = [];
  let from = 0;
  for (const k of at) {
    parts.push(bytes.subarray(from, k));
    from = k;
  }
  parts.push(bytes.subarray(from));
  return parts;
}

function checkEverySplit(protocol: string, stream: Stream, opcode: 'text' | 'binary', seed: number): void {
  const want = expected(stream);
  const total = stream.secrets.reduce((n, { start, end }) => n + end - start, 0);
  for (const at of splits(stream.bytes.length, stream.secrets, rng(seed))) {
    const { joined, masked } = maskParts(protocol, cut(stream.bytes, at), opcode);
    if (!joined.equals(want)) {
      throw new Error(`split at ${at.join(',')}: ${JSON.stringify(joined.toString('latin1'))} is not ${JSON.stringify(want.toString('latin1'))}`);
    }
    expect(masked).toBe(total);
  }
}

// --- MQTT --------------------------------------------------------------------------------

/** A password that reads like packets: a whole CONNECT (with its own password), PUBLISH and AUTH headers. */
const HEADER_LIKE = Buffer.concat([
  mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'x', password: Buffer.from('fake'), username: 'u', keepalive: 1, clean: true }),
  Buffer.from([0x30, 0x03, 0x00, 0x01, 0x74, 0xf0, 0x00, 0x10, 0xff, 0xff, 0xff, 0x7f]),
]);

function connectPacket(version: 4 | 5, password: Buffer | undefined, extra: Partial<mqtt.IConnectPacket> = {}): { packet: Buffer; secrets: Stream['secrets'] } {
  const packet = mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: version, clientId: 'client-1', keepalive: 30, clean: true, ...(password ? { username: 'alice', password } : {}), ...extra });
  const secrets: Stream['secrets'] = [];
  const authData = extra.properties?.authenticationData;
  if (authData) {
    const at = packet.indexOf(authData);
    expect(packet.indexOf(authData, at + 1)).toBe(-1);
    secrets.push({ start: at, end: at + authData.length });
  }
  if (password && password.length > 0) secrets.push({ start: packet.length - password.length, end: packet.length });
  return { packet, secrets };
}

function mqttStream(version: 4 | 5): Stream {
  const b = new Builder();
  const fakeInPayload = mqtt.generate({ cmd: 'publish', topic: 'fake', payload: HEADER_LIKE, qos: 0, dup: false, retain: false }, { protocolVersion: version });
  b.add(fakeInPayload);
  const authData = Buffer.from('AUTHDATA-\x10\x0e\x00\x04MQTT-7f3a', 'latin1');
  const first = connectPacket(version, HEADER_LIKE, version === 5 ? { properties: { sessionExpiryInterval: 60, authenticationMethod: 'SCRAM', authenticationData: authData, userProperties: { k: 'v' } }, will: { topic: 'w', payload: Buffer.from('bye'), qos: 0, retain: false, properties: { contentType: 'x', willDelayInterval: 5 } } } : { will: { topic: 'w', payload: HEADER_LIKE, qos: 1, retain: false } });
  b.add(first.packet, first.secrets);
  b.add(mqtt.generate({ cmd: 'subscribe', messageId: 3, subscriptions: [{ topic: 'a/#', qos: 1 }] }, { protocolVersion: version }));
  b.add(mqtt.generate({ cmd: 'publish', topic: 'big', payload: Buffer.alloc(300, 0x10), qos: 1, messageId: 4, dup: false, retain: false }, { protocolVersion: version }));
  // A CONNECT without a password, then one with an empty password: nothing to mask in either.
  b.add(connectPacket(version, undefined).packet);
  b.add(connectPacket(version, Buffer.alloc(0)).packet);
  if (version === 5) {
    const more = Buffer.from('MORE-\x10\x00auth', 'latin1');
    const auth = mqtt.generate({ cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'SCRAM', authenticationData: more, userProperties: { a: 'b' } } }, { protocolVersion: 5 });
    const at = auth.indexOf(more);
    b.add(auth, [{ start: at, end: at + more.length }]);
  }
  b.add(Buffer.from([0xc0, 0x00])); // PINGREQ
  const last = connectPacket(version, Buffer.from('pw-2'));
  b.add(last.packet, last.secrets);
  return b.stream();
}

// --- STOMP -------------------------------------------------------------------------------

function stompStream(): Stream {
  const fake = '\0CONNECT\npasscode:not-a-credential\n\n\0';
  const body = `x${fake}y`;
  return new Builder()
    .marked('\n\r\n')
    .marked('CONNECT\naccept-version:1.2\nhost:/\nlogin:guest\npasscode:⟦pa:ss\\cw\\\\d CONNECT evil\\n⟧\n\n\0')
    .marked('\nCONNECT\r\nlogin:g\r\npasscode:⟦crlf-pc⟧\r\nX-Auth-Token:⟦tok\0en⟧\r\n\r\n\0\r\n')
    .marked(`SEND\ndestination:/q\ncontent-length:${Buffer.byteLength(body, 'latin1')}\n\n${body}\0`)
    .marked('SEND\ndestination:/q\npasscode:⟦visible⟧\n\nhello\0\n\n')
    // The QA case: Authorization and passcode on a SUBSCRIBE; escapes in a value and a name.
    .marked('SUBSCRIBE\nid:0\ndestination:/topic/tokens\nAuthorization:⟦Bearer eyJsecret\\cTOKEN\\n⟧\npasscode:⟦guest⟧\nX\\cAuth-Token:⟦t\\\\1⟧\n\n\0')
    // A repeated header (the first counts in STOMP): every line masked; a body with passcode: text and NULs.
    .marked('SEND\ndestination:/q\nAuthorization:⟦first⟧\nreceipt:r1\nAuthorization:⟦second⟧\ncontent-length:37\n\n\0passcode:body\nAuthorization:x\n\n\0\0\0\0\0\0')
    .marked('SEND\ndestination:/q\n\nno length, passcode:body too\nX-Auth-Token:b\0')
    .marked('ACK\r\nid:7\r\ntoken:⟦ack-tok⟧\r\n\r\n\0NACK\nid:8\nsecret:⟦s⟧\n\n\0BEGIN\ntransaction:t\nProxy-Authorization:⟦Basic dTpw⟧\n\n\0')
    .marked('UNSUBSCRIBE\nid:0\nPasscode:Cased\npass-code:no\npasscodes:no\nlogin:user\n\n\0DISCONNECT\nreceipt:77\ncookie:⟦c=1⟧\n\n\0')
    // A name as the decoder reads it: UTF-8 (a Kelvin sign for the k of Cookie); a long name is masked.
    .marked('SUBSCRIBE\nid:1\nCoo\xe2\x84\xaaie:⟦k=2⟧\n\n\0')
    .marked(`SUBSCRIBE\nid:2\n${'n'.repeat(4200)}:⟦long⟧\n\n\0`)
    .marked('MESSAGE\nsubscription:0\nmessage-id:2\ndestination:/q\nX-Api-Key:⟦srv⟧\ncontent-length:9\n\n\0token:x\0\0')
    .marked('CONNECTED\nversion:1.2\nsession:s\\cid\n\n\0')
    .marked('STOMP\nhost:/\npasscode:⟦a\\cb\\nc\\\\d⟧\nX\\cApi-Key:⟦k1⟧\nlogin:me\n\n\0')
    .marked('CONNECT\naccept-version:1.2\nlogin:nobody\n\n\0')
    .marked('CONNECT\npasscode:\npassword:⟦second:colon⟧\n\n\0')
    .marked('MESSAGE\nsubscription:0\nmessage-id:1\ndestination:/q\ncontent-length:0\n\n\0')
    .marked('STOMP\naccept-version:1.2\npasscode:⟦last⟧\n\n\0')
    .stream();
}

/** Header names: credentials by the rule (every one masked) and near misses (none). */
const SECRET_NAMES = ['passcode', 'Authorization', 'authorization', 'Proxy-Authorization', 'token', 'X-Auth-Token', 'x-my-token-2', 'secret', 'api-key', 'apikey', 'password', 'passwd', 'credentials', 'cookie', 'Set-Cookie', 'X:Token', 'a\nsecret'];
const PLAIN_NAMES = ['login', 'destination', 'id', 'receipt', 'Passcode', 'pass-code', 'passcod', 'auth', 'tok-en', 'cook', 'ack', 'x-passw0rd', 'content-type', 'a:b', 'persistent'];
const COMMANDS = ['SEND', 'SUBSCRIBE', 'UNSUBSCRIBE', 'ACK', 'NACK', 'BEGIN', 'COMMIT', 'ABORT', 'DISCONNECT', 'MESSAGE', 'RECEIPT', 'ERROR', 'STOMP'];
const VALUES = ['v', '', 'Bearer eyJ.x.y', 'a:b', 'line\nbreak', 'back\\slash', 'cr\r', '/topic/tokens', 'passcode:x', 'é☃'];

function pick<T>(list: readonly T[], random: () => number): T {
  const item = list[Math.floor(random() * list.length)];
  if (item === undefined) throw new Error('empty list');
  return item;
}

function randomCuts(length: number, random: () => number): number[] {
  const cuts = new Set<number>();
  const count = 1 + Math.floor(random() * 7);
  for (let i = 0; i < count; i++) cuts.add(1 + Math.floor(random() * (length - 1)));
  return [...cuts].sort((x, y) => x - y);
}

/** Escaped, UTF-8 bytes as latin1 text (for Builder.marked): how a frame other than CONNECT writes them. */
const wire = (text: string): string => Buffer.from(text.replace(/\\/g, '\\\\').replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/:/g, '\\c'), 'utf8').toString('latin1');

/** A stream of frames (escaped headers, so no CONNECT), each with the paths of its credential headers as the decoder names them. */
function randomStomp(random: () => number): { stream: Stream; frames: { secretPaths: string[] }[] } {
  const b = new Builder();
  const frames: { secretPaths: string[] }[] = [];
  const count = 2 + Math.floor(random() * 5);
  for (let f = 0; f < count; f++) {
    if (random() < 0.3) b.marked(random() < 0.5 ? '\n' : '\r\n');
    const eol = random() < 0.2 ? '\r\n' : '\n';
    let text = `${pick(COMMANDS, random)}${eol}`;
    const secretPaths: string[] = [];
    const seen = new Set<string>();
    const headers = Math.floor(random() * 6);
    for (let h = 0; h < headers; h++) {
      const secret = random() < 0.4;
      const name = pick(secret ? SECRET_NAMES : PLAIN_NAMES, random);
      const value = pick(VALUES, random);
      const shown = wire(value);
      text += `${wire(name)}:${secret && shown !== '' ? `⟦${shown}⟧` : shown}${eol}`;
      if (secret && !seen.has(name)) secretPaths.push(childPath(childPath('$', 'headers'), name));
      seen.add(name);
    }
    const body = pick(['', 'hello', 'passcode:body\nAuthorization:x\n\n', '\0\0token:\0', 'é'], random);
    const bodyBytes = Buffer.from(body, 'utf8').toString('latin1');
    if (body.includes('\0') || random() < 0.4) text += `content-length:${bodyBytes.length}${eol}${eol}${bodyBytes}\0`;
    else text += `${eol}${bodyBytes}\0`;
    b.marked(text);
    frames.push({ secretPaths });
  }
  return { stream: b.stream(), frames };
}

// --- GraphQL-ws and Socket.IO ------------------------------------------------------------

function graphqlStream(): Stream {
  return new Builder()
    .marked('{"type":"connection_init","payload":{"authToken":"⟦se\\"c\\\\u0041r}⟧","user":"u","headers":{"Authorization":"⟦Bearer x⟧"},"n":[{"secret":"⟦s⟧"},2],"secretPin":⟪12345⟫,"apiKey":⟪-3.5e2⟫,"flag":true,"\\u0074oken":"⟦escaped key⟧","password":{"a":["⟦b⟧",⟪7⟫,null]}}}')
    .stream();
}

const GRAPHQL_OTHERS = [
  '{"id":"1","type":"subscribe","payload":{"query":"{a}","variables":{"token":"t-var","password":"p"}}}',
  '{"type":"next","id":"1","payload":{"data":{"authToken":"not-init"}}}',
  '  {"type":"ping"}  ',
];

function socketIoStream(): Stream {
  return new Builder().marked('40/admin,{"token":"⟦ab\\"c⟧","nested":{"password":⟪12345⟫},"room":"r","list":[{"apiKey":"⟦k⟧"}]}').stream();
}

const SOCKETIO_OTHERS = ['40', '42["login",{"password":"p"}]', '2', '40{"sid":"abc"}', '0{"sid":"x","upgrades":[]}'];

describe('CredentialBytes: a stream split anywhere masks exactly the credential bytes', () => {
  for (const version of [4, 5] as const) {
    it(`MQTT ${version === 4 ? '3.1.1' : '5'}: header-like passwords, fake CONNECTs in payloads, no password, properties${version === 5 ? ', AUTH' : ''}`, () => {
      checkEverySplit('mqtt', mqttStream(version), 'binary', version);
    });
  }

  it('STOMP: escapes, CR LF, heart-beats, a body with a fake CONNECT (content-length), a CONNECT with no passcode', () => {
    const stream = stompStream();
    checkEverySplit('stomp', stream, 'text', 7);
    // The masked stream reads as the same frames: only the credential values differ, and they are all '*'.
    const decode = (bytes: Buffer): JsonValue => {
      const outcome = new StompDecoder().decode({ seq: 1, dir: 'out', opcode: 'text', bytes });
      return outcome && outcome.kind === 'decoded' ? outcome.value : null;
    };
    const stars: string[] = [];
    const hide = (value: JsonValue, collect: boolean): JsonValue => {
      if (Array.isArray(value)) return value.map((item) => hide(item, collect));
      if (typeof value !== 'object' || value === null) return value;
      const out: { [key: string]: JsonValue } = {};
      const isFrame = typeof value.command === 'string';
      for (const [key, item] of Object.entries(value)) {
        if (key === 'headers' && isFrame && typeof item === 'object' && item !== null && !Array.isArray(item)) {
          const headers: { [key: string]: JsonValue } = {};
          for (const [name, header] of Object.entries(item)) {
            const secret = (isStompCredentialHeader(name) || name.length > 4096) && header !== '';
            if (secret && collect && typeof header === 'string') stars.push(header);
            headers[name] = secret ? 'hidden' : header;
          }
          out[key] = headers;
        } else if (key === 'headerList' && isFrame && Array.isArray(item)) {
          out[key] = item.map((line) => (Array.isArray(line) && typeof line[0] === 'string' && isStompCredentialHeader(line[0]) ? [line[0], 'hidden'] : line));
        } else out[key] = hide(item, collect);
      }
      return out;
    };
    const before = decode(stream.bytes);
    expect(before).not.toBeNull();
    expect(hide(decode(expected(stream)), true)).toEqual(hide(before, false));
    // Every header the decoder reads as a credential (in the headers, the first of a repeated one) is all '*'.
    expect(stars.length).toBe(19);
    for (const value of stars) expect(value).toMatch(/^\*+$/);
  });

  it('STOMP: seeded random streams (credential names and near misses on every command, escapes, bodies with NULs and header-like text) masked exactly; the masked headers are the ones the decoder reads as credentials', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const random = rng(seed * 7919);
      const { stream, frames } = randomStomp(random);
      const want = expected(stream);
      // Whole, and split at random (every offset for a few).
      const everySplit = seed <= 3;
      const cutsList = everySplit ? splits(stream.bytes.length, stream.secrets, random) : Array.from({ length: 40 }, () => randomCuts(stream.bytes.length, random));
      for (const at of [[], ...cutsList]) {
        const { joined } = maskParts('stomp', cut(stream.bytes, at), 'text');
        if (!joined.equals(want)) throw new Error(`seed ${seed}, split at ${at.join(',')}: ${JSON.stringify(joined.toString('latin1'))} is not ${JSON.stringify(want.toString('latin1'))}`);
      }
      // The decoder's reading: every frame decodes, and its credential paths name exactly the masked headers.
      const decoder = new StompDecoder();
      const outcome = decoder.decode({ seq: 1, dir: 'out', opcode: 'text', bytes: stream.bytes });
      if (!outcome || outcome.kind !== 'decoded') throw new Error(`seed ${seed}: not decoded`);
      const value = outcome.value;
      const all = typeof value === 'object' && value !== null && !Array.isArray(value) && Array.isArray(value.frames) ? value.frames : [value];
      const list = all.filter((frame) => !(typeof frame === 'object' && frame !== null && !Array.isArray(frame) && frame.heartbeat === true));
      expect(list.length).toBe(frames.length);
      list.forEach((frame, i) => {
        const paths = credentialPaths('stomp', frame).filter((path) => path.startsWith('$.headers.') || path.startsWith('$.headers['));
        expect(paths).toEqual(frames[i]?.secretPaths);
      });
    }
  });

  it('GraphQL-ws connection_init (escapes, numbers, nested, an escaped key) split anywhere, between whole other messages', () => {
    const stream = graphqlStream();
    checkEverySplit('graphql-ws', stream, 'text', 11);
    // Whole other messages before and after a split one: unchanged, and the split one exact.
    const want = expected(stream);
    for (let k = 1; k < stream.bytes.length; k++) {
      const parts = [...GRAPHQL_OTHERS.map((m) => Buffer.from(m)), ...cut(stream.bytes, [k]), ...GRAPHQL_OTHERS.map((m) => Buffer.from(m))];
      const masker = new CredentialBytes('graphql-ws');
      const out = parts.map((part) => Buffer.from(masker.mask('out', 'text', part).bytes));
      expect(Buffer.concat(out)).toEqual(Buffer.concat([...GRAPHQL_OTHERS.map((m) => Buffer.from(m)), want, ...GRAPHQL_OTHERS.map((m) => Buffer.from(m))]));
    }
  });

  it('GraphQL-ws: other messages split anywhere stay as they are; a type after the payload in one message still decides', () => {
    for (const message of GRAPHQL_OTHERS) {
      const bytes = Buffer.from(message);
      for (let k = 1; k < bytes.length; k++) expect(maskParts('graphql-ws', cut(bytes, [k]), 'text').joined).toEqual(bytes);
    }
    const late = '{"payload":{"token":"abc"},"type":"connection_init"}';
    expect(maskParts('graphql-ws', [Buffer.from(late)], 'text').joined.toString()).toBe('{"payload":{"token":"***"},"type":"connection_init"}');
    const lateOther = '{"payload":{"token":"abc"},"type":"subscribe","id":"1"}';
    expect(maskParts('graphql-ws', [Buffer.from(lateOther)], 'text').joined.toString()).toBe(lateOther);
    // A type written with an escape is still connection_init (as JSON.parse reads it).
    const escaped = '{"type":"connection\\u005finit","payload":{"token":"abc"}}';
    expect(maskParts('graphql-ws', [Buffer.from(escaped)], 'text').joined.toString()).toBe(escaped.replace('"abc"', '"***"'));
    // Split before its type is read: the first message cannot wait for it, so its credential bytes are masked.
    const parts = ['{"payload":{"token":"ab', 'c"},"type":"connection_init"}'].map((part) => Buffer.from(part));
    expect(maskParts('graphql-ws', parts, 'text').joined.toString()).toBe('{"payload":{"token":"***"},"type":"connection_init"}');
  });

  it('Socket.IO CONNECT with a namespace split anywhere, between other packets', () => {
    const stream = socketIoStream();
    checkEverySplit('socketio', stream, 'text', 13);
    const others = SOCKETIO_OTHERS.map((m) => Buffer.from(m));
    for (let k = 1; k < stream.bytes.length; k++) {
      const masker = new CredentialBytes('socketio');
      const out = [...others, ...cut(stream.bytes, [k]), ...others].map((part) => Buffer.from(masker.mask('out', 'text', part).bytes));
      expect(Buffer.concat(out)).toEqual(Buffer.concat([...others, expected(stream), ...others]));
    }
  });

  it('fields: the credential fields each message holds, as paths in the protocol frame', () => {
    const masker = new CredentialBytes('stomp');
    expect(masker.mask('out', 'text', Buffer.from('CONNECT\nlogin:a\npasscode:xy')).fields).toEqual(['$.headers.passcode']);
    expect(masker.mask('out', 'text', Buffer.from('z\nX-Auth-Token:t\n\n\0')).fields).toEqual(['$.headers.passcode', '$.headers["X-Auth-Token"]']);
    // A STOMP frame's header names are escaped: the field is named as the decoder reads it.
    expect(masker.mask('out', 'text', Buffer.from('STOMP\nX\\cApi-Key:k\n\n\0')).fields).toEqual(['$.headers["X:Api-Key"]']);
    // So are a SUBSCRIBE's (every frame but CONNECT and CONNECTED), split or not.
    expect(masker.mask('out', 'text', Buffer.from('SUBSCRIBE\nid:1\nX\\cAuth-Token:t\n\n\0')).fields).toEqual(['$.headers["X:Auth-Token"]']);
    expect(masker.mask('out', 'text', Buffer.from('SEND\nX\\cAuth-To')).fields).toEqual([]);
    expect(masker.mask('out', 'text', Buffer.from('ken:t\n\n\0')).fields).toEqual(['$.headers["X:Auth-Token"]']);
    expect(masker.mask('out', 'text', Buffer.from('CONNECT\nX\\cToken:t\n\n\0')).fields).toEqual(['$.headers["X\\\\cToken"]']);
    const gql = new CredentialBytes('graphql-ws').mask('out', 'text', Buffer.from('{"type":"connection_init","payload":{"headers":{"Authorization":"b"}}}'));
    expect(gql.fields).toEqual(['$.payload.headers.Authorization']);
    const sio = new CredentialBytes('socketio').mask('out', 'text', Buffer.from('40{"auth":{"token":"t"}}'));
    expect(sio.fields).toEqual(['$.data.auth.token']);
  });
});
