/**
 * Engine.IO's own heartbeat, kept for a session that speaks Socket.IO. Engine.IO 4 servers send
 * a ping packet (the text message `2`) every pingInterval and close the connection when no pong
 * (`3`) comes within pingTimeout; Engine.IO 3 is the other way round (the client pings `2` every
 * pingInterval, the server answers `3`). WebSocket ping frames do not count for either.
 *
 * The session is taken for Engine.IO when the server's first data message is an open packet
 * (`0{"sid":…,"pingInterval":…}`): a Tunnelscope session opens the websocket transport directly,
 * so the server always sends that first. The version comes from `EIO=` in the URL (3, else 4).
 * Answers go out through `send` as ordinary text messages, so they are in the log like any other.
 * With `answer` off nothing is sent; the pings the server sent are still counted, and the time
 * since the last ping we sent is kept, so the close can be explained (`unansweredPings` for v4,
 * `silentMs` for v3).
 */
import type { Clock, TimerHandle } from '../net/clock';

/** Engine.IO 3's client ping interval is the server's; outside these bounds no ping is sent (a hostile open packet cannot make us flood). */
export const V3_PING_INTERVAL_LIMITS = { minMs: 20, maxMs: 24 * 60 * 60 * 1000 } as const;

const OPEN = 0x30; // '0'
const PING = 0x32; // '2'
const PONG = 0x33; // '3'

export interface EngineIoOpen {
  sid: string;
  pingInterval: number;
  pingTimeout: number | undefined;
}

/** The Engine.IO open packet's fields, or undefined when the message is not one. */
export function readOpenPacket(payload: Uint8Array): EngineIoOpen | undefined {
  if (payload.length < 3 || payload[0] !== OPEN || payload[1] !== 0x7b) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload.buffer, payload.byteOffset + 1, payload.length - 1).toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const sid: unknown = Reflect.get(value, 'sid');
  const pingInterval: unknown = Reflect.get(value, 'pingInterval');
  const pingTimeout: unknown = Reflect.get(value, 'pingTimeout');
  if (typeof sid !== 'string' || typeof pingInterval !== 'number' || !Number.isFinite(pingInterval)) return undefined;
  return { sid, pingInterval, pingTimeout: typeof pingTimeout === 'number' && Number.isFinite(pingTimeout) ? pingTimeout : undefined };
}

/** The Engine.IO version a URL asks for: 3 with `EIO=3`, else 4 (what socket.io v3 and v4 speak). */
export function engineVersionOf(url: string): 3 | 4 {
  try {
    return new URL(url).searchParams.get('EIO') === '3' ? 3 : 4;
  } catch {
    return 4;
  }
}

/**
 * Why a session an Engine.IO server closed without a close code (1005) or a close frame ended,
 * when it sent pings that got no answer; undefined otherwise.
 */
export function unansweredPingsDiagnosis(heartbeat: EngineIoHeartbeat | undefined): string | undefined {
  const pings = heartbeat?.unansweredPings ?? 0;
  if (pings === 0) return undefined;
  const timeout = heartbeat?.openPacket?.pingTimeout;
  const within = timeout !== undefined ? ` within its pingTimeout (${timeout} ms)` : ' within its pingTimeout';
  const why = heartbeat?.answering ? 'the answer could not be sent' : 'answering Engine.IO pings is off for this session';
  return `The server's last Engine.IO ping (2) got no pong (3) (${why}): an Engine.IO server closes the connection when no pong comes${within}.`;
}

/**
 * Engine.IO 3's counterpart: why a session the server closed without a close code (1005) or a
 * close frame ended, when no ping `2` had gone out for most of the server's deadline. An Engine.IO
 * 3 server closes when no ping comes within pingInterval + pingTimeout of the last one (or of
 * the open packet). The silence is measured here from the open packet as it arrived and from each
 * ping as it was sent, so it reads short of the server's by the delivery times: more than
 * pingInterval + pingTimeout / 2 counts (a session that pings on time is silent at most about
 * pingInterval, far below). Without a pingTimeout in the open packet nothing is said.
 */
export function missingPingsDiagnosis(heartbeat: EngineIoHeartbeat | undefined): string | undefined {
  const open = heartbeat?.openPacket;
  const silent = heartbeat?.silentMs;
  if (heartbeat === undefined || open === undefined || silent === undefined || open.pingTimeout === undefined) return undefined;
  if (silent <= open.pingInterval + open.pingTimeout / 2) return undefined;
  const why = !heartbeat.answering
    ? 'sending Engine.IO pings is off for this session'
    : heartbeat.pingsScheduled
      ? 'the pings could not be sent in time'
      : `its pingInterval of ${open.pingInterval} ms is outside the ${V3_PING_INTERVAL_LIMITS.minMs} ms to 24 h Tunnelscope pings at`;
  return `The session sent no Engine.IO ping (2) for ${Math.round(silent)} ms before the close (${why}): an Engine.IO 3 server closes the connection when no ping comes within pingInterval + pingTimeout (${open.pingInterval} + ${open.pingTimeout} ms).`;
}

/** Why an Engine.IO session's server closed it (1005 or no close frame), for either version; undefined when nothing points to the heartbeat. */
export function engineIoCloseDiagnosis(heartbeat: EngineIoHeartbeat | undefined): string | undefined {
  return unansweredPingsDiagnosis(heartbeat) ?? missingPingsDiagnosis(heartbeat);
}

export interface EngineIoHeartbeatConfig {
  version: 3 | 4;
  /** Whether to answer (v4) and ping (v3); off: only count. */
  answer: boolean;
  clock: Clock;
  /** Sends a text message; false when it could not go (the session is not open). */
  send: (text: string) => boolean;
}

type Phase = 'waiting' | 'engineio' | 'other' | 'stopped';

export class EngineIoHeartbeat {
  private phase: Phase = 'waiting';
  private timer: TimerHandle | undefined;
  private open: EngineIoOpen | undefined;
  /** Server pings (v4) received and not answered, since the last answer. */
  private unanswered = 0;
  private answered = 0;
  private pingsSent = 0;
  /** v3: when the open packet came, then when the last ping `2` went out (ours, or one the user sent). */
  private lastPingAt: number | undefined;
  /** v3: whether the ping timer was started (answering on, pingInterval within bounds). */
  private started = false;

  constructor(private readonly config: EngineIoHeartbeatConfig) {}

  /** True while the session's messages are worth a look (before the open packet, and after it for Engine.IO). */
  get watching(): boolean {
    return this.phase === 'waiting' || this.phase === 'engineio';
  }

  /** Whether the server's first message was an Engine.IO open packet. */
  get isEngineIo(): boolean {
    return this.open !== undefined;
  }

  /** The open packet read, if any. */
  get openPacket(): EngineIoOpen | undefined {
    return this.open;
  }

  /** Server pings that got no answer since the last answer (v4); counted with the answer off too. */
  get unansweredPings(): number {
    return this.unanswered;
  }

  /** Whether pings are answered (v4) and sent (v3). */
  get answering(): boolean {
    return this.config.answer;
  }

  get pongsSent(): number {
    return this.answered;
  }

  /** v3 pings we sent. */
  get clientPings(): number {
    return this.pingsSent;
  }

  /** v3: whether pings were scheduled every pingInterval. */
  get pingsScheduled(): boolean {
    return this.started;
  }

  /** v3: ms since the last ping went out (or, before any, since the open packet came); undefined for v4 or before an open packet. */
  get silentMs(): number | undefined {
    return this.lastPingAt === undefined ? undefined : this.config.clock.now() - this.lastPingAt;
  }

  /** A text message the session sent (any: a `2` the user sends is a v3 ping the server counts too). */
  sent(payload: Uint8Array): void {
    if (this.phase !== 'engineio' || this.config.version !== 3) return;
    if (payload.length === 1 && payload[0] === PING) this.lastPingAt = this.config.clock.now();
  }

  /** A data message from the server, in order. */
  incoming(binary: boolean, payload: Uint8Array): void {
    if (this.phase === 'waiting') {
      const open = binary ? undefined : readOpenPacket(payload);
      if (open === undefined) {
        this.phase = 'other';
        return;
      }
      this.open = open;
      this.phase = 'engineio';
      if (this.config.version === 3) {
        this.lastPingAt = this.config.clock.now();
        this.startPinging(open.pingInterval);
      }
      return;
    }
    if (this.phase !== 'engineio' || binary || this.config.version !== 4) return;
    // Exactly `2`: `2probe` belongs to an upgrade from polling, which a direct websocket never makes.
    if (payload.length !== 1 || payload[0] !== PING) return;
    if (!this.config.answer) {
      this.unanswered += 1;
      return;
    }
    if (this.config.send(String.fromCharCode(PONG))) {
      this.answered += 1;
      this.unanswered = 0;
    } else {
      this.unanswered += 1;
    }
  }

  /** Stops the v3 pings (the session closes); nothing is sent afterwards. */
  stop(): void {
    this.phase = 'stopped';
    this.config.clock.clearInterval(this.timer);
    this.timer = undefined;
  }

  private startPinging(intervalMs: number): void {
    if (!this.config.answer) return;
    if (!Number.isInteger(intervalMs) || intervalMs < V3_PING_INTERVAL_LIMITS.minMs || intervalMs > V3_PING_INTERVAL_LIMITS.maxMs) return;
    this.timer = this.config.clock.setInterval(() => this.ping(), intervalMs);
    this.timer.unref();
    this.started = true;
  }

  private ping(): void {
    if (this.phase !== 'engineio') return;
    if (!this.config.send(String.fromCharCode(PING))) return;
    this.pingsSent += 1;
    this.lastPingAt = this.config.clock.now();
  }
}
