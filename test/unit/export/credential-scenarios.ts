/**
 * Credentials cut across two messages, for the export masking tests: a STOMP CONNECT's passcode,
 * an MQTT CONNECT's password, a GraphQL connection_init's token and a Socket.IO CONNECT's auth
 * token, each with a message of the protocol holding credential-like words that are no
 * credentials, where to cut them, and every form a piece of a secret could be written in.
 */
import mqtt from 'mqtt-packet';
import type { DecodeChoice } from '../../../src-main/core/decode/session-decoding';
import type { HandshakeStep } from '../../../src-main/shared/model';
import { STEPS } from './log-fixture';

export interface Scenario {
  name: string;
  /** The protocol the traffic is (a decoding choice that reads it). */
  protocol: DecodeChoice;
  opcode: 'text' | 'binary';
  secret: string;
  /** The message holding the secret, whole (cut in two by each test). */
  message: Buffer;
  /** A message of the protocol with words that look like credentials but are none: decoded as they are. */
  visible: Buffer;
  word: string;
  subprotocol?: string;
  path?: string;
}

const STOMP_SECRET = 'Stomp-Secret-Pc9';
const MQTT_SECRET = 'Mqtt-Secret-Pw7';
const GQL_SECRET = 'Gql-Secret-Tok3';
const SIO_SECRET = 'Sio-Secret-Tk5';

export const SCENARIOS: readonly Scenario[] = [
  {
    // Recognised from the first message.
    name: 'STOMP CONNECT passcode',
    protocol: 'stomp',
    opcode: 'text',
    secret: STOMP_SECRET,
    message: Buffer.from(`CONNECT\naccept-version:1.2\nhost:/\nlogin:guest\npasscode:${STOMP_SECRET}\n\n\0`),
    visible: Buffer.from('SEND\ndestination:/queue/a\n\npasscode:visible-body\0'),
    word: 'visible-body',
  },
  {
    name: 'MQTT CONNECT password',
    protocol: 'mqtt',
    opcode: 'binary',
    secret: MQTT_SECRET,
    message: mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c1', username: 'alice', password: Buffer.from(MQTT_SECRET), keepalive: 0, clean: true }),
    visible: mqtt.generate({ cmd: 'publish', topic: 'password', payload: Buffer.from('visible-payload'), qos: 0, retain: false, dup: false }),
    word: 'password',
    subprotocol: 'mqtt',
  },
  {
    name: 'GraphQL connection_init token',
    protocol: 'graphql-ws',
    opcode: 'text',
    secret: GQL_SECRET,
    message: Buffer.from(`{"type":"connection_init","payload":{"user":"bob","authToken":"${GQL_SECRET}","n":1}}`),
    visible: Buffer.from('{"id":"1","type":"subscribe","payload":{"query":"{ me }","variables":{"token":"visible-var"}}}'),
    word: 'visible-var',
    subprotocol: 'graphql-transport-ws',
  },
  {
    // Recognised from the URL.
    name: 'Socket.IO CONNECT auth token',
    protocol: 'socketio',
    opcode: 'text',
    secret: SIO_SECRET,
    message: Buffer.from(`40{"token":"${SIO_SECRET}","room":"r1"}`),
    visible: Buffer.from('42["login",{"password":"visible-evt"}]'),
    word: 'visible-evt',
    path: '/socket.io/?EIO=4&transport=websocket',
  },
];

/** The upgrade naming the scenario's subprotocol and path. */
export function scenarioSteps(scenario: Scenario): HandshakeStep[] {
  return STEPS.map((step) => {
    if (step.leg !== 'upgrade') return step;
    const request = step.request && scenario.path ? { ...step.request, startLine: `GET ${scenario.path} HTTP/1.1` } : step.request;
    const response = step.response && scenario.subprotocol ? { ...step.response, headers: [...step.response.headers, ['Sec-WebSocket-Protocol', scenario.subprotocol] as [string, string]] } : step.response;
    return { ...step, ...(request ? { request } : {}), ...(response ? { response } : {}) };
  });
}

/** Where the message is cut: before the secret, inside it at several places, right after it. */
export function cuts(scenario: Scenario): number[] {
  const at = scenario.message.indexOf(scenario.secret);
  const length = scenario.secret.length;
  return [at - 3, at + 1, at + 3, at + Math.floor(length / 2), at + length - 1, at + length + 2].filter((cut) => cut > 0 && cut < scenario.message.length);
}

/** The message with exactly the secret's bytes '*'. */
export function maskedMessage(scenario: Scenario): Buffer {
  const whole = Buffer.from(scenario.message);
  const at = whole.indexOf(scenario.secret);
  whole.fill(0x2a, at, at + scenario.secret.length);
  return whole;
}

/** Every form a piece of the secret could be written in: text (6-byte pieces), Base64 at each alignment (9-byte pieces). */
export function forms(secret: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 6 <= secret.length; i++) out.push(secret.slice(i, i + 6));
  for (let i = 0; i + 9 <= secret.length; i++) {
    const piece = Buffer.from(secret.slice(i, i + 9));
    for (let skip = 0; skip < 3; skip++) {
      const b64 = piece.subarray(skip).toString('base64').replace(/=+$/, '');
      out.push(b64.slice(skip === 0 ? 0 : 2, b64.length - 2));
    }
  }
  return out;
}
