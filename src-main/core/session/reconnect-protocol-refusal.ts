/**
 * Whether the server refused the protocol session of one attempt of a reconnecting connection,
 * read from the first messages of each side (ws-connection.ts feeds it every attempt, whatever
 * options.reconnect.resend says: the CLI sends its own CONNECT again with resend off):
 * - MQTT: a CONNACK with a code other than 0. The broker's first packet is its CONNACK (MQTT 3.1.1
 *   and 5 §3.2; an MQTT 5 AUTH may come first), so only that is read. Some codes are the broker's
 *   verdict on the CONNECT itself (bad user name or password, not authorized, the client id, the
 *   version, the authentication method): the same CONNECT is sent on every attempt and is refused
 *   so again, so reconnecting stops (`unchanging`). Server unavailable or busy, quota and rate
 *   limits, unspecified errors can pass: retried.
 * - STOMP: an ERROR frame (the server closes after it, STOMP 1.2 "ERROR"; RabbitMQ only after
 *   ~60 s). The attempt does not count as a healthy open (reconnect-policy's stable time is
 *   measured up to the refusal). Before CONNECTED it answers the CONNECT, which every attempt
 *   sends alike: when its words say the sign-in or access was refused (RabbitMQ's 'Bad CONNECT' /
 *   "Access refused for user …", "access denied", login or passcode, not authorized) or the
 *   version, it stops (`unchanging`); other words are free text, so it is retried, as is an ERROR
 *   after CONNECTED (a refused SUBSCRIBE or SEND, which the resend leaves out).
 * - GraphQL (subscriptions-transport-ws): a `connection_error` in place of `connection_ack`.
 * - GraphQL (graphql-transport-ws): the server's close code, handed over when the attempt ends
 *   (`serverClosed`); reconnect-graphql-close.ts says which codes stop.
 * Reading stops once the session was accepted (CONNACK 0, connection_ack); STOMP is followed frame
 * by frame across messages (reconnect-stomp-error.ts), most messages with two byte searches.
 */
import { recogniseFirstFrame, RECOGNITION_FRAMES } from '../decode/recognise-protocol';
import { graphqlCloseRefusal } from './reconnect-graphql-close';
import { MqttFramer } from './mqtt-framer';
import { StompErrorScanner, type StompErrorSeen } from './reconnect-stomp-error';
import { protocolOfSigns, type LedgerSigns } from './opening-ledger';

export interface ProtocolRefusal {
  /** In words: "the broker refused the CONNECT with CONNACK 5 (not authorized)…". */
  line: string;
  /** Another attempt would get the same answer: reconnecting stops. */
  unchanging: boolean;
}

type Watched = 'mqtt' | 'stomp' | 'graphql-ws';

const CONNACK = 2;
const AUTH = 15;

interface ConnackMeaning {
  words: string;
  /** What to change, for the codes another attempt cannot pass; undefined: retried. */
  change?: string;
}

/** MQTT 3.1.1 §3.2.2.3 return codes (1–5) and MQTT 5 §3.2.2.2 reason codes (≥ 0x80): the ranges do not meet, so no version is needed. */
const CONNACK_CODES: ReadonlyMap<number, ConnackMeaning> = new Map([
  [1, { words: 'unacceptable protocol version', change: 'change the MQTT version of the CONNECT' }],
  [2, { words: 'identifier rejected', change: 'change the client id' }],
  [3, { words: 'server unavailable' }],
  [4, { words: 'bad user name or password', change: 'change the user name or password' }],
  [5, { words: 'not authorized', change: 'change the user name or password, or ask for this client to be allowed' }],
  [0x80, { words: 'unspecified error' }],
  [0x81, { words: 'malformed packet', change: 'change the CONNECT' }],
  [0x82, { words: 'protocol error', change: 'change the CONNECT' }],
  [0x83, { words: 'implementation specific error' }],
  [0x84, { words: 'unsupported protocol version', change: 'change the MQTT version of the CONNECT' }],
  [0x85, { words: 'client identifier not valid', change: 'change the client id' }],
  [0x86, { words: 'bad user name or password', change: 'change the user name or password' }],
  [0x87, { words: 'not authorized', change: 'change the user name or password, or ask for this client to be allowed' }],
  [0x88, { words: 'server unavailable' }],
  [0x89, { words: 'server busy' }],
  // A ban is the broker's rule about this client; a client that keeps knocking can be banned longer.
  [0x8a, { words: 'banned', change: "ask the broker's administrators" }],
  [0x8c, { words: 'bad authentication method', change: 'change the authentication method' }],
  [0x90, { words: 'topic name invalid', change: 'change the will topic' }],
  [0x95, { words: 'packet too large', change: 'make the CONNECT smaller' }],
  [0x97, { words: 'quota exceeded' }],
  [0x99, { words: 'payload format invalid', change: 'change the will message' }],
  [0x9a, { words: 'retain not supported', change: 'send the will without retain' }],
  [0x9b, { words: 'QoS not supported', change: 'lower the will QoS' }],
  [0x9c, { words: 'use another server' }],
  [0x9d, { words: 'server moved', change: 'connect to the server it names' }],
  [0x9f, { words: 'connection rate exceeded' }],
]);

function codeText(code: number): string {
  return code >= 0x80 ? `0x${code.toString(16)}` : String(code);
}

/** The refusal a CONNACK's code says, or undefined when it accepted (0). */
export function connackRefusal(code: number): ProtocolRefusal | undefined {
  if (code === 0) return undefined;
  const meaning = CONNACK_CODES.get(code);
  const refused = `the broker refused the CONNECT with CONNACK ${codeText(code)}${meaning ? ` (${meaning.words})` : ''}`;
  if (meaning?.change === undefined) return { line: refused, unchanging: false };
  return { line: `${refused}, and would refuse the same CONNECT again: ${meaning.change}`, unchanging: true };
}

/** The return or reason code of a whole CONNACK packet: after the fixed header and its Remaining Length, the flags byte, then the code. */
function connackCode(packet: Buffer): number | undefined {
  let at = 1;
  while (at < packet.length && at <= 4 && ((packet[at] ?? 0) & 0x80) !== 0) at += 1;
  return packet[at + 2];
}

const CONNECTION_ERROR = Buffer.from('"connection_error"');
const CONNECTION_ACK = Buffer.from('connection_ack');

/** An ERROR answering the CONNECT whose words refuse the sign-in or access (RabbitMQ, ActiveMQ, Artemis word them so). */
const STOMP_ACCESS_REFUSED = /access refused|access denied|not authori[sz]ed|unauthori[sz]ed|authenticat|login|passcode|password|credential|forbidden|permission/i;
/** An ERROR answering the CONNECT about the STOMP version (RabbitMQ's 'Version mismatch'). */
const STOMP_VERSION_REFUSED = /version mismatch|unsupported (?:protocol )?version|supported versions/i;

/** The refusal a STOMP ERROR says: unchanging when it answers the CONNECT and its words say why. */
export function stompErrorRefusal(seen: StompErrorSeen): ProtocolRefusal {
  const said = `ERROR${seen.message !== undefined ? ` '${seen.message}'` : ''}${seen.bodyLine !== undefined && seen.bodyLine !== seen.message ? ` (${seen.bodyLine})` : ''}`;
  if (!seen.beforeConnected) return { line: `the server answered ${said}`, unchanging: false };
  const words = `${seen.message ?? ''}\n${seen.bodyLine ?? ''}`;
  const change = STOMP_VERSION_REFUSED.test(words)
    ? "change the CONNECT's accept-version"
    : STOMP_ACCESS_REFUSED.test(words)
      ? "change the CONNECT's login and passcode, or its host header (the virtual host)"
      : undefined;
  if (change === undefined) return { line: `the server answered the CONNECT with ${said}`, unchanging: false };
  return { line: `the server answered the CONNECT with ${said}, and would refuse the same CONNECT again: ${change}`, unchanging: true };
}

export class ProtocolRefusalWatch {
  private protocol: Watched | undefined;
  private looked = 0;
  /** Still reading the server's messages (until the session was accepted, or refused). */
  private reading = true;
  private framer: MqttFramer | undefined;
  private stomp: StompErrorScanner | undefined;
  private found: ProtocolRefusal | undefined;
  /** GraphQL: the server sent connection_ack (a close after it is not an answer to connection_init). */
  private acknowledged = false;

  constructor(signs: LedgerSigns) {
    this.protocol = watched(protocolOfSigns(signs)?.protocol);
  }

  /** What the server refused, if it did. */
  get refusal(): ProtocolRefusal | undefined {
    return this.found;
  }

  /** Whether the server's messages should still be handed to `received` (not before the protocol is known: a feed of another protocol costs nothing). */
  get wantsIncoming(): boolean {
    return this.protocol !== undefined && this.reading && this.found === undefined;
  }

  /** A message the client sent: names the protocol when the connection's signs did not. */
  sent(kind: 'text' | 'binary', payload: Uint8Array): void {
    if (this.protocol !== undefined || this.looked >= RECOGNITION_FRAMES) return;
    this.looked += 1;
    this.protocol = watched(recogniseFirstFrame(kind, payload)?.protocol);
  }

  /** A message the server sent, in order. */
  received(kind: 'text' | 'binary', payload: Buffer): void {
    if (!this.wantsIncoming) return;
    if (this.protocol === 'mqtt') this.readMqtt(kind, payload);
    else if (this.protocol === 'stomp') this.readStomp(payload);
    else if (this.protocol === 'graphql-ws') this.readGraphql(kind, payload);
  }

  /** The attempt ended with a close from the server carrying `code`: for GraphQL, a refusal the code says, if any. */
  serverClosed(code: number | null, reason: string): void {
    if (this.protocol !== 'graphql-ws' || this.found !== undefined || code === null) return;
    this.found = graphqlCloseRefusal(code, reason, this.acknowledged);
  }

  private readMqtt(kind: 'text' | 'binary', payload: Buffer): void {
    // MQTT over WebSocket is binary only.
    if (kind === 'text') return;
    this.framer ??= new MqttFramer((type) => type === CONNACK);
    for (const packet of this.framer.push(payload)) {
      if (packet.type === AUTH) continue;
      this.reading = false;
      const code = packet.type === CONNACK && packet.bytes !== undefined ? connackCode(packet.bytes) : undefined;
      if (code !== undefined) this.found = connackRefusal(code);
      return;
    }
    if (this.framer.isBroken) this.reading = false;
  }

  private readStomp(payload: Buffer): void {
    this.stomp ??= new StompErrorScanner();
    const seen = this.stomp.push(payload);
    if (seen !== undefined) this.found = stompErrorRefusal(seen);
  }

  private readGraphql(kind: 'text' | 'binary', payload: Buffer): void {
    if (kind !== 'text') return;
    if (payload.includes(CONNECTION_ERROR)) this.found = { line: 'the server answered connection_error', unchanging: false };
    else if (payload.includes(CONNECTION_ACK)) {
      this.reading = false;
      this.acknowledged = true;
    }
  }
}

function watched(protocol: string | undefined): Watched | undefined {
  return protocol === 'mqtt' || protocol === 'stomp' || protocol === 'graphql-ws' ? protocol : undefined;
}
