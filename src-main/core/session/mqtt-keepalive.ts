/**
 * MQTT's keep-alive, kept for a session whose client (this app: the composer, a saved message,
 * the CLI's --send) opened MQTT. "It is the responsibility of the Client to ensure that the
 * interval between MQTT Control Packets being sent does not exceed the Keep Alive value"
 * (MQTT 3.1.1 §3.1.2.10, MQTT 5 §3.1.2.10); a broker closes the connection when nothing comes
 * within 1.5 × keep-alive, and WebSocket pings do not count. So once the broker accepted the
 * CONNECT (CONNACK 0), a PINGREQ goes out whenever no packet was sent for the keep-alive period
 * (MQTT 5: the CONNACK's Server Keep Alive, when present, replaces the CONNECT's).
 *
 * The session is taken for MQTT when its first outgoing data message begins with a CONNECT that
 * mqtt-packet reads (protocol name MQTT or MQIsdp): the keep-alive is in it, so a subprotocol
 * alone would say nothing usable. The outgoing stream is framed (mqtt-framer.ts), not read a
 * packet a message: a PINGREQ never goes between the parts of a packet that spans messages, and
 * the time of the last packet is when its last byte went. PINGREQs go out through `send` as
 * ordinary binary messages, so they are in the log and the statistics like any other. With
 * `answer` off nothing is sent, but the silence is still measured, so the close can be explained.
 */
import mqtt from 'mqtt-packet';
import type { Clock, TimerHandle } from '../net/clock';
import { MqttFramer } from './mqtt-framer';

const CONNECT = 1;
const CONNACK = 2;
const DISCONNECT = 14;
const AUTH = 15;
/** PINGREQ: type 12, no flags, Remaining Length 0. */
export const PINGREQ = Buffer.from([0xc0, 0x00]);

export interface MqttKeepAliveConfig {
  /** Whether to send PINGREQ; off: only measure. */
  answer: boolean;
  clock: Clock;
  /** Sends a binary message; false when it could not go (the session is not open, the queue is full). */
  send: (bytes: Buffer) => boolean;
}

/**
 * 'waiting': no data message sent yet; 'connecting': a CONNECT went, its CONNACK awaited;
 * 'alive': accepted with a keep-alive > 0; 'done': not MQTT, refused, keep-alive 0, DISCONNECT sent;
 * 'lost': the outgoing packets' boundaries are lost (a malformed length): no PINGREQ can be placed.
 */
type Phase = 'waiting' | 'connecting' | 'alive' | 'done' | 'lost';

/** One complete packet read by mqtt-packet, or undefined when it refuses the bytes. */
function parsePacket(bytes: Buffer, protocolVersion: number | undefined): mqtt.Packet | undefined {
  const parser = mqtt.parser(protocolVersion === undefined ? {} : { protocolVersion });
  let packet: mqtt.Packet | undefined;
  let failed = false;
  parser.on('packet', (read) => (packet ??= read));
  parser.on('error', () => (failed = true));
  parser.parse(bytes);
  return failed ? undefined : packet;
}

export class MqttKeepAlive {
  private phase: Phase = 'waiting';
  private readonly out = new MqttFramer((type) => type === CONNECT);
  private incomingFramer: MqttFramer | undefined;
  private protocolVersion: number | undefined;
  /** Seconds, from the CONNECT, then from the CONNACK's Server Keep Alive when it has one. */
  private keepAliveSeconds = 0;
  private fromServer = false;
  /** When the last complete outgoing packet went (ours or the user's). */
  private lastSentAt: number | undefined;
  private timer: TimerHandle | undefined;
  private pingsSent = 0;
  private pingsNotSent = 0;
  /** The session ended while the CONNECT's answer was awaited (for the close's diagnosis: errors/mqtt-subprotocol.ts). */
  private endedConnecting = false;
  /** A PINGREQ fell due while a packet the user began was not finished. */
  private heldBack = false;
  /** The first outgoing byte began a CONNECT (the rest of it may come in later messages). */
  private connectBegun = false;

  constructor(private readonly config: MqttKeepAliveConfig) {}

  /** True while the server's messages are worth a look: between the CONNECT and its CONNACK. */
  get watchingIncoming(): boolean {
    return this.phase === 'connecting';
  }

  /** The session's first message was a CONNECT and nothing came back from the broker (so far, or before the end). */
  get connectUnanswered(): boolean {
    return this.phase === 'connecting' || this.endedConnecting;
  }

  /** Whether the broker accepted an MQTT session with a keep-alive > 0 (PINGREQs are due). */
  get isAlive(): boolean {
    return this.phase === 'alive';
  }

  /** Whether PINGREQs are sent. */
  get answering(): boolean {
    return this.config.answer;
  }

  /** The keep-alive in force, in seconds (0 before the CONNACK accepted one). */
  get keepAlive(): number {
    return this.phase === 'alive' || this.phase === 'lost' ? this.keepAliveSeconds : 0;
  }

  /** Whether the keep-alive in force is the broker's (MQTT 5 Server Keep Alive). */
  get keepAliveFromServer(): boolean {
    return this.fromServer;
  }

  get pingRequests(): number {
    return this.pingsSent;
  }

  /** ms since the last complete packet was sent; undefined before the CONNECT. */
  get silentMs(): number | undefined {
    return this.lastSentAt === undefined ? undefined : this.config.clock.now() - this.lastSentAt;
  }

  /** Why PINGREQs stopped going out, when they were due (for the close diagnosis). */
  get notPingingBecause(): string | undefined {
    if (!this.config.answer) return 'sending PINGREQ is off for this session';
    if (this.phase === 'lost') return 'a packet the session sent had a malformed length, so no PINGREQ could be placed after it';
    if (this.heldBack) return 'a packet the session began sending was never finished, and a PINGREQ cannot go inside it';
    if (this.pingsNotSent > 0) return 'the PINGREQ could not be sent';
    return undefined;
  }

  /** A data message the session sent (the user's or a PINGREQ), in order. */
  sent(payload: Uint8Array): void {
    if (this.phase === 'done') return;
    if (this.phase === 'waiting') {
      this.first(payload);
      return;
    }
    if (this.phase === 'lost') return;
    const packets = this.out.push(payload);
    if (this.out.isBroken) {
      this.phase = 'lost';
      this.clearTimer();
      return;
    }
    if (packets.length === 0) return;
    this.lastSentAt = this.config.clock.now();
    this.heldBack = false;
    if (packets.some((packet) => packet.type === DISCONNECT)) this.finish();
  }

  /** A data message from the server, in order; read only while the CONNACK is awaited. */
  incoming(payload: Uint8Array): void {
    if (this.phase !== 'connecting' || this.incomingFramer === undefined) return;
    for (const packet of this.incomingFramer.push(payload)) {
      // MQTT 5 enhanced authentication exchanges AUTH packets before the CONNACK.
      if (packet.type === AUTH) continue;
      this.connack(packet.type === CONNACK && packet.bytes !== undefined ? parsePacket(packet.bytes, this.protocolVersion) : undefined);
      return;
    }
    if (this.incomingFramer.isBroken) this.finish();
  }

  /** The session ends: nothing is sent afterwards (the figures stay for the diagnosis). */
  stop(): void {
    this.clearTimer();
    if (this.phase === 'connecting') this.endedConnecting = true;
    if (this.phase === 'waiting' || this.phase === 'connecting') this.phase = 'done';
  }

  /** The first outgoing bytes decide: a CONNECT (possibly only its start: the rest may follow) or not MQTT. */
  private first(payload: Uint8Array): void {
    if (payload.length === 0) return;
    if (!this.connectBegun && (payload[0] ?? 0) >> 4 !== CONNECT) {
      this.phase = 'done';
      return;
    }
    this.connectBegun = true;
    const [packet] = this.out.push(payload);
    if (this.out.isBroken) this.phase = 'done';
    else if (packet !== undefined) this.connect(packet.bytes);
  }

  private connect(bytes: Buffer | undefined): void {
    const read = bytes === undefined ? undefined : parsePacket(bytes, undefined);
    if (read?.cmd !== 'connect') {
      this.phase = 'done';
      return;
    }
    this.protocolVersion = read.protocolVersion;
    this.keepAliveSeconds = read.keepalive ?? 0;
    this.lastSentAt = this.config.clock.now();
    this.incomingFramer = new MqttFramer((type) => type === CONNACK);
    this.phase = 'connecting';
  }

  private connack(packet: mqtt.Packet | undefined): void {
    if (packet?.cmd !== 'connack') {
      this.finish();
      return;
    }
    const code = this.protocolVersion === 5 ? packet.reasonCode : packet.returnCode;
    const serverKeepAlive = packet.properties?.serverKeepAlive;
    if (serverKeepAlive !== undefined) {
      this.keepAliveSeconds = serverKeepAlive;
      this.fromServer = true;
    }
    this.incomingFramer = undefined;
    if ((code ?? 0) !== 0 || this.keepAliveSeconds <= 0) {
      this.finish();
      return;
    }
    this.phase = 'alive';
    this.schedule();
  }

  private finish(): void {
    this.phase = 'done';
    this.incomingFramer = undefined;
    this.clearTimer();
  }

  private schedule(): void {
    if (!this.config.answer || this.phase !== 'alive' || this.lastSentAt === undefined) return;
    const period = this.keepAliveSeconds * 1000;
    const wait = Math.max(0, this.lastSentAt + period - this.config.clock.now());
    // Due already (a PINGREQ was held back or could not go): try again a quarter period on.
    this.setTimer(wait > 0 ? wait : period / 4);
  }

  private setTimer(ms: number): void {
    this.clearTimer();
    this.timer = this.config.clock.setTimeout(() => this.tick(), ms);
    this.timer.unref();
  }

  private clearTimer(): void {
    this.config.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    this.timer = undefined;
    if (this.phase !== 'alive' || this.lastSentAt === undefined) return;
    const due = this.lastSentAt + this.keepAliveSeconds * 1000;
    if (this.config.clock.now() >= due) {
      if (!this.out.atBoundary) this.heldBack = true;
      else if (this.config.send(PINGREQ)) this.pingsSent += 1;
      else this.pingsNotSent += 1;
    }
    this.schedule();
  }
}

/**
 * Why a broker closed an MQTT session, when the session had sent nothing for longer than the
 * keep-alive (a broker closes after 1.5 × keep-alive of silence; one that pings on time is silent
 * at most about the keep-alive). The silence is measured here from when each packet was handed
 * to the socket to when the close came, so it reads longer than the broker's by the delivery
 * times. Undefined when nothing points to the keep-alive.
 */
export function mqttCloseDiagnosis(keepAlive: MqttKeepAlive | undefined): string | undefined {
  const seconds = keepAlive?.keepAlive ?? 0;
  const silent = keepAlive?.silentMs;
  if (keepAlive === undefined || seconds <= 0 || silent === undefined || silent <= seconds * 1000) return undefined;
  const why = keepAlive.notPingingBecause ?? 'no PINGREQ went out';
  const whose = keepAlive.keepAliveFromServer ? "the broker's Server Keep Alive" : "the CONNECT's keep-alive";
  const limit = Math.round(seconds * 1.5 * 10) / 10;
  return `The session sent no MQTT packet for ${(silent / 1000).toFixed(1)} s before the broker closed the connection (${why}): an MQTT broker closes a connection that sends nothing within 1.5 × keep-alive (${whose} ${seconds} s: ${limit} s), and only MQTT packets such as PINGREQ count, not WebSocket pings.`;
}

/** The failure's hint when the broker cut the connection for its keep-alive (in place of "idle timeout, restart"). */
export function mqttKeepAliveHint(keepAlive: MqttKeepAlive | undefined): string {
  const turnOn = keepAlive?.answering === false ? 'Turn the MQTT keep-alive switch on (Connection options, the profile, or leave out --no-mqtt-keepalive)' : 'Send packets more often';
  return `The MQTT broker closed the connection for its keep-alive: it closes a connection that sends no MQTT packet within 1.5 × keep-alive. ${turnOn}, or propose a longer keep-alive in the CONNECT. Frames received so far are kept.`;
}
