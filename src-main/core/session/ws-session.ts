/**
 * One WebSocket session: resolve the proxy, reach the server (straight or through each
 * proxy route in turn), TLS for wss://, the upgrade, then frames until it closes or fails.
 * A plain class with an injected event callback: it knows nothing of hosts or IPC.
 *
 * Races are handled by identity, not by hope: every callback checks that it belongs to the
 * current attempt and route and that the session has not ended, so late events from a socket
 * that was replaced or aborted are ignored. A close or the open deadline ends the session at
 * once (synchronously) and aborts whatever was still running.
 */
import WebSocket from 'ws';
import { isSendableCloseCode, MAX_CLOSE_REASON_BYTES } from '../../shared/commands';
import type { NetError } from '../../shared/errors';
import type { EngineEvent } from '../../shared/events';
import type {
  ConnectionOptions,
  HandshakeStep,
  Opcode,
  ProxyDecision,
  SessionState,
} from '../../shared/model';
import { formatBytes } from '../../shared/format-bytes';
import { SEND_HIGH_WATER_MARK } from '../../shared/model';
import { effectiveTimeouts } from '../../shared/timeouts';
import { forScheme } from '../../shared/hint-text';
import { parseEndpointUrl } from '../../shared/endpoint-url';
import type { SessionInfo } from '../../shared/session-info';
import { NetFailure, createNetError, errorMessage, systemErrorCode } from '../errors/net-failure';
import { isWsProtocolErrorCode, mapWsErrorCode, transportCode } from '../errors/ws-errors';
import { systemClock, type Clock, type TimerHandle } from '../net/clock';
import { tcpConnect } from '../net/tcp-connect';
import { resolveProxy, type ResolveEnvironment } from '../proxy/resolve';
import { openTunnel } from '../proxy/tunnel';
import { startTls } from '../tls/tls-connect';
import { loadLocalFiles } from '../tls/local-files';
import { FrameBatcher, framesEvent, type FrameSink } from './frame-batcher';
import { FrameIntake } from './frame-intake';
import { EngineIoHeartbeat, engineIoCloseDiagnosis, engineVersionOf } from './engineio-heartbeat';
import { EngineIoSink } from './engineio-sink';
import { MqttKeepAlive, mqttCloseDiagnosis, mqttKeepAliveHint } from './mqtt-keepalive';
import { mqttSubprotocolDiagnosis } from '../errors/mqtt-subprotocol';
import { upgradeSigns } from '../decode/upgrade-signs';
import { MqttKeepAliveSink } from './mqtt-keepalive-sink';
import { SocketCapture } from './socket-capture';
import { FrameStore, encodeClosePayload, type CloseExtra, type FrameStoreOptions } from './frame-store';
import { sessionInfoOf } from './session-log';
import { SessionStateMachine } from './session-state';
import { isConnectingState, isFinalState, stageOfState } from '../../shared/pipeline-legs';
import { SessionStatsRecorder } from './session-stats';
import type { SessionStats } from '../../shared/stats';
import type { UpgradeOutcome } from './ws-upgrade';
import { RouteConnection, type Attempt, type RouteDeps, type Target } from './route-connection';
import { ValueRedactor } from '../capture/value-redactor';
import { routeSecrets, sessionSecretsOf } from '../capture/session-secrets';
import type { RelayMark } from './relay-mark';
import type { CapturedFrom, SessionRelay } from './session-relay';
import type { ClientHandshake } from '../../shared/captured-from';

/** How long a close waits for the server's close frame before the socket is cut. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 5000;
/** How often a `stats` event goes out while the session is open. */
export const DEFAULT_STATS_INTERVAL_MS = 1000;
/** Handshake steps kept for exports (a few per route; fallbacks add more). */
const MAX_STEPS_KEPT = 64;

/** The network pieces, injectable so tests can stage races the real network cannot. */
export type SessionDeps = RouteDeps;

const REAL_DEPS: SessionDeps = { resolveProxy, tcpConnect, openTunnel, startTls, loadLocalFiles };

export interface WsSessionConfig {
  id: string;
  options: ConnectionOptions;
  environment: ResolveEnvironment;
  /** Receives every event of this session; must not throw (the engine guards its listeners). */
  emit: (event: EngineEvent) => void;
  /** The engine's default bounds for the frame store; a connection's own `history` setting wins. */
  frameStore?: FrameStoreOptions;
  batch?: { intervalMs?: number; maxFrames?: number; maxUnacked?: number };
  /**
   * Where its frames go: the engine's feed, which hands them to each subscriber's own batcher
   * (core/subscriptions/). Without one (a bare session), its own batcher sends them through `emit`.
   */
  feed?: FrameSink;
  closeTimeoutMs?: number;
  statsIntervalMs?: number;
  deps?: Partial<SessionDeps>;
  /** Time for the keep-alive and the close deadline (tests pass a fake one). */
  clock?: Clock;
  /** Queued bytes at which sends are refused (default SEND_HIGH_WATER_MARK). */
  sendHighWaterMark?: number;
  /** Secret values the options were filled in with (secret variables): redacted like the options' own secrets. */
  secretValues?: readonly string[];
  /**
   * A reconnecting connection's log and statistics (ws-connection.ts): each attempt records
   * into the same store and recorder, so the log and the totals go on across attempts.
   */
  shared?: { frames: FrameStore; stats: SessionStatsRecorder };
  /** An intercepted connection's upstream leg: the relay hears the server's choices and messages (session-relay.ts). */
  relay?: SessionRelay;
  /** An intercepted connection: whose it is (session:list says so). */
  captured?: CapturedFrom;
}

export type SendKind = 'text' | 'binary' | 'ping' | 'pong';

/** Thrown (as an abort reason) when the user closes during connect; never reported as an error. */
class ClosedByUser extends Error {
  constructor() {
    super('the session was closed by the user');
    this.name = 'ClosedByUser';
  }
}

export interface ClosedInfo {
  code: number | null;
  reason: string;
  wasClean: boolean;
  initiatedBy: 'client' | 'server' | 'none';
}

/** Where to connect, read by shared/endpoint-url.ts: the parser that scoped the secret headers to this origin. */
function targetOf(text: string): Target {
  const parsed = parseEndpointUrl(text, 'server');
  // The contract checks the URL with the same parser, so this is a caller's bug.
  if (!parsed.ok) throw new TypeError(`WsSession needs a valid ws:// or wss:// URL: ${parsed.problem}`);
  const { host, port, scheme, authority } = parsed.endpoint;
  return { host, port, secure: scheme === 'wss', authority };
}

/** "5 s", "2.5 s". */
function formatSeconds(ms: number): string {
  return `${ms / 1000} s`;
}

function toBuffer(data: WebSocket.RawData): Buffer {
  // ws gives a Buffer (binaryType 'nodebuffer') for every message: ArrayBuffer.isView is a
  // type check where Buffer.isBuffer walks prototypes, which shows at a million messages.
  if (ArrayBuffer.isView(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

export class WsSession {
  readonly id: string;
  readonly url: string;
  readonly createdAt = Date.now();
  readonly frames: FrameStore;
  readonly stats: SessionStatsRecorder;

  private readonly options: ConnectionOptions;
  private readonly environment: ResolveEnvironment;
  private readonly emitEvent: (event: EngineEvent) => void;
  private readonly deps: SessionDeps;
  private readonly closeTimeoutMs: number;
  private readonly machine = new SessionStateMachine();
  private readonly batcher: FrameSink;
  /** Stores the frames and notes them to `batcher`: one clock reading and one note per burst (frame-intake.ts). */
  private readonly intake: FrameIntake;
  /** Its own batcher when no feed was given, acknowledged through `ack`. */
  private readonly ownBatcher: FrameBatcher | undefined;
  private readonly target: Target;

  private attempt: Attempt | undefined;
  private ws: WebSocket | undefined;
  /**
   * The client whose frames are recorded: `ws` from open until the session ends. The same
   * test as `this.ws === ws && !isFinalState(this.state)`, as one field read per frame.
   */
  private recording: WebSocket | undefined;
  /** An intercepted connection with breakpoints: its relay records the server's messages (recordIncomingAsRelayed). */
  private relayRecordsIncoming = false;
  private decision: ProxyDecision | undefined;
  private openTimer: TimerHandle | undefined;
  private closeTimer: TimerHandle | undefined;
  /** Keep-alive and close deadline timers run on this clock. */
  private readonly timers: Clock;
  private readonly sendHighWaterMark: number;
  private keepaliveTimer: TimerHandle | undefined;
  /** Armed when a keep-alive ping goes out; any pong disarms it. */
  private pongDeadline: TimerHandle | undefined;
  private keepalivePings = 0;
  /** Engine.IO's own pings (engineio-heartbeat.ts); undefined for an intercepted connection, whose client answers them. */
  private readonly heartbeat: EngineIoHeartbeat | undefined;
  /** MQTT's PINGREQs (mqtt-keepalive.ts); undefined for an intercepted connection, whose client keeps them. */
  private readonly mqttKeepAlive: MqttKeepAlive | undefined;
  /** Set when the user asked to close (before or after open). */
  private closeRequested = false;
  /** Whether a close frame went out (ours, or ws's echo of the server's). */
  private closeFrameSent = false;
  /** A protocol violation ws reported after open; the session fails with it when the socket closes. */
  private protocolError: NetError | undefined;
  /** The first socket error code seen after open (ECONNRESET …). */
  private socketErrorCode: string | undefined;
  private resolveEnded: () => void = () => undefined;
  private readonly statsIntervalMs: number;
  private statsTimer: ReturnType<typeof setInterval> | undefined;
  /** What happened, kept for exports: every handshake step, the latest decision, the ending. */
  private readonly steps: HandshakeStep[] = [];
  private latestDecision: ProxyDecision | undefined;
  private ending: (ClosedInfo & { at: number }) | undefined;
  private failureError: NetError | undefined;
  /** The session's secret values: replaced wherever the other side echoes them (steps, errors, reasons). */
  private readonly secrets: ValueRedactor;
  /** Settles once the session is closed or failed. */
  readonly ended: Promise<void>;
  /** An intercepted connection's relay (undefined for the sessions the user opens). */
  private readonly relay: SessionRelay | undefined;
  readonly captured: CapturedFrom | undefined;
  /** An intercepted connection's client side of the handshake, set by its relay once the client got its 101. */
  private clientSide: ClientHandshake | undefined;

  constructor(config: WsSessionConfig) {
    this.id = config.id;
    this.options = config.options;
    this.environment = config.environment;
    this.emitEvent = config.emit;
    this.deps = { ...REAL_DEPS, ...config.deps };
    this.closeTimeoutMs = config.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
    this.timers = config.clock ?? systemClock;
    this.sendHighWaterMark = config.sendHighWaterMark ?? SEND_HIGH_WATER_MARK;
    this.stats = config.shared?.stats ?? new SessionStatsRecorder({ sendHighWaterMark: this.sendHighWaterMark });
    this.statsIntervalMs = config.statsIntervalMs ?? DEFAULT_STATS_INTERVAL_MS;
    this.relay = config.relay;
    this.captured = config.captured;
    // First, so a URL the endpoint parser refuses is named as such (WHATWG would only say "Invalid URL").
    this.target = targetOf(config.options.url);
    // A fragment never goes over the wire (and ws refuses URLs that have one).
    const url = new URL(config.options.url);
    url.hash = '';
    this.url = url.href;
    this.secrets = new ValueRedactor([...sessionSecretsOf(config.options), ...(config.secretValues ?? [])]);
    // The connection's own history setting wins over the engine's default.
    this.frames = config.shared?.frames ?? new FrameStore(config.options.history ?? config.frameStore);
    // Incoming frames are tallied by the store as it writes their slots (no call per frame); outgoing ones in `record` and `onWritten`.
    this.stats.countIncomingFrom(this.frames);
    if (config.feed) {
      this.batcher = config.feed;
      this.ownBatcher = undefined;
    } else {
      const own = new FrameBatcher({
        ...config.batch,
        source: this.frames,
        // framesEvent, not a spread: the batch's summaries are built when a consumer first reads them.
        emit: (batch) => this.emitEvent(framesEvent(this.id, batch)),
        emitSkipped: (notice) => this.emitEvent({ type: 'frames-skipped', sessionId: this.id, ...notice }),
      });
      this.batcher = own;
      this.ownBatcher = own;
    }
    this.heartbeat =
      this.relay === undefined
        ? new EngineIoHeartbeat({
            version: engineVersionOf(this.url),
            answer: config.options.engineioHeartbeat !== false,
            clock: this.timers,
            send: (text) => this.sendHeartbeat(text),
          })
        : undefined;
    this.mqttKeepAlive =
      this.relay === undefined
        ? new MqttKeepAlive({
            answer: config.options.mqttKeepalive !== false,
            clock: this.timers,
            send: (bytes) => this.sendProtocolMessage('binary', bytes),
          })
        : undefined;
    const afterMqtt = this.mqttKeepAlive ? new MqttKeepAliveSink(this.batcher, this.frames, this.mqttKeepAlive) : this.batcher;
    this.intake = new FrameIntake(this.frames, this.heartbeat ? new EngineIoSink(afterMqtt, this.frames, this.heartbeat) : afterMqtt);
    this.ended = new Promise<void>((resolve) => {
      this.resolveEnded = resolve;
    });
  }

  get state(): SessionState {
    return this.machine.state;
  }

  info(): SessionInfo {
    return sessionInfoOf(this, false);
  }

  /** A bare session's one consumer has ingested every frame up to `seq` (flow control, see FrameBatcher); with a feed, each subscriber acknowledges its own. */
  ack(seq: number): void {
    this.ownBatcher?.ack(seq);
  }

  statsNow(): SessionStats {
    return this.stats.snapshot(Date.now());
  }

  /** Every handshake step so far (secrets already redacted by the capture), for exports. */
  handshakeSteps(): readonly HandshakeStep[] {
    return this.steps;
  }

  /** The latest proxy decision (with fallbacks in its reason), for exports. */
  proxyDecision(): ProxyDecision | undefined {
    return this.latestDecision;
  }

  /** How the session ended (undefined while it runs). */
  closedInfo(): (ClosedInfo & { at: number }) | undefined {
    return this.ending;
  }

  failure(): NetError | undefined {
    return this.failureError;
  }

  /** The text with this session's secret values redacted (the URL as events, lists and exports show it). */
  redactText(text: string): string {
    return this.secrets.text(text);
  }

  /** Header names the user marked secret: exports redact them too. */
  secretHeaderNames(): string[] {
    return this.options.headers.filter((header) => header.secret === true).map((header) => header.name);
  }

  /** Starts connecting; the outcome is reported through events. Does nothing if already started or closed. */
  start(): void {
    if (this.state !== 'idle' || this.attempt) return;
    const attempt: Attempt = { controller: new AbortController(), route: undefined, routeToken: {}, sockets: new Set() };
    this.attempt = attempt;
    const openTimeoutMs = effectiveTimeouts(this.options).openMs;
    if (openTimeoutMs !== undefined) {
      this.openTimer = this.timers.setTimeout(() => this.onOpenTimeout(attempt, openTimeoutMs), openTimeoutMs);
    }
    void this.run(attempt);
  }

  /**
   * Sends a message or control frame and records it; returns its seq, or undefined when the
   * session is not open. Throws a NetFailure (SEND_QUEUE_FULL) instead of sending a message
   * while the send queue is at the high-water mark: the server is not reading, and queueing
   * more would only grow memory (control frames, at most 125 bytes, always go).
   * The stats count a frame once the socket has written it, not when it is queued.
   */
  send(kind: SendKind, payload: Buffer, mark?: RelayMark): number | undefined {
    const ws = this.ws;
    if (this.state !== 'open' || !ws || ws.readyState !== WebSocket.OPEN) return undefined;
    const queuedBefore = this.stats.queuedBytes;
    if ((kind === 'text' || kind === 'binary') && queuedBefore >= this.sendHighWaterMark) throw this.queueFull(queuedBefore);
    const size = payload.length;
    this.stats.queue(size);
    // A write error also surfaces through the socket ('close' / 'error'); here it only means the frame was never written.
    const onWritten = (error?: Error | null): void => this.onWritten(size, error);
    if (kind === 'text') ws.send(payload, { binary: false }, onWritten);
    else if (kind === 'binary') ws.send(payload, { binary: true }, onWritten);
    else if (kind === 'ping') ws.ping(payload, undefined, onWritten);
    else ws.pong(payload, undefined, onWritten);
    const seq = this.store('out', kind, payload, mark);
    if (kind === 'ping') this.stats.pingSent(payload, Date.now());
    else {
      // A `2` typed by the user is an Engine.IO 3 ping too (the close diagnosis counts it).
      if (kind === 'text') this.heartbeat?.sent(payload);
      // Every data message is the MQTT stream's next bytes (a packet may span messages).
      this.mqttKeepAlive?.sent(payload);
    }
    // The UI learns at once that the server stopped reading (not only at the next stats tick).
    if (queuedBefore < this.sendHighWaterMark && this.stats.queuedBytes >= this.sendHighWaterMark) this.emitStats();
    return seq;
  }

  /** Bytes handed to the socket and not yet written. */
  queuedBytes(): number {
    return this.stats.queuedBytes;
  }

  /** Stops reading the server's frames (an intercepted client that does not keep up); resumeReading undoes it. */
  pauseReading(): void {
    if (this.recording) this.recording.pause();
  }

  resumeReading(): void {
    if (this.recording) this.recording.resume();
  }

  private onWritten(size: number, error: Error | null | undefined): void {
    const wasFull = this.stats.queuedBytes >= this.sendHighWaterMark;
    if (error) this.stats.dropped(size);
    else this.stats.written(size, this.intake.now());
    // Tell the UI the queue drained below the mark, while anyone still listens.
    if (wasFull && this.stats.queuedBytes < this.sendHighWaterMark && !isFinalState(this.state)) this.emitStats();
  }

  private queueFull(queued: number): NetFailure {
    return NetFailure.of(
      'transport',
      'SEND_QUEUE_FULL',
      { target: this.target.authority, queuedBytes: queued },
      { message: `The server is not reading (${formatBytes(queued)} queued): the message was not sent.` },
    );
  }

  /**
   * Closes the session. Before open it aborts the connection attempt and ends in `closed`
   * at once; when open it sends one close frame and waits for the server's answer (cutting
   * the socket after the close timeout). Repeated calls share the first one's outcome.
   */
  close(code = 1000, reason = ''): Promise<void> {
    // The contract validates both; a caller that skipped it has a bug, caught before any state changes.
    if (!isSendableCloseCode(code)) throw new RangeError(`close code ${code} cannot be sent`);
    if (Buffer.byteLength(reason) > MAX_CLOSE_REASON_BYTES) throw new RangeError(`a close reason is at most ${MAX_CLOSE_REASON_BYTES} bytes`);
    const state = this.state;
    if (isFinalState(state) || this.closeRequested) return this.ended;
    if (isConnectingState(state)) {
      this.closeRequested = true;
      this.attempt?.controller.abort(new ClosedByUser());
      this.finishClosed({ code: null, reason: '', wasClean: false, initiatedBy: 'client' });
      return this.ended;
    }
    const ws = this.ws;
    // `closing` without our request: the server's close is already under way.
    if (state !== 'open' || !ws || ws.readyState !== WebSocket.OPEN) return this.ended;
    this.closeRequested = true;
    this.closeFrameSent = true;
    this.record('out', 'close', encodeClosePayload(code, reason));
    this.setState('closing');
    ws.close(code, reason);
    this.stopKeepalive();
    this.closeTimer = this.timers.setTimeout(() => this.onCloseTimeout(ws), this.closeTimeoutMs);
    return this.ended;
  }

  /** Ends the session without waiting for the server: for shutdown. */
  async dispose(): Promise<void> {
    if (isFinalState(this.state)) return;
    void this.close(1001, 'going away');
    const cut = setTimeout(() => this.ws?.terminate(), Math.min(this.closeTimeoutMs, 1000));
    await this.ended;
    clearTimeout(cut);
  }

  // -------------------------------------------------------------------------------------
  // The opening (its legs run in route-connection.ts)
  // -------------------------------------------------------------------------------------

  private async run(attempt: Attempt): Promise<void> {
    try {
      await this.routeConnection().open(attempt);
    } catch (error) {
      if (!this.isCurrent(attempt)) return; // closed or timed out meanwhile: already reported
      if (error instanceof NetFailure) {
        this.finishFailed(error.netError);
        return;
      }
      this.surfaceBug(error);
    }
  }



  /** The legs of the opening (route-connection.ts), run on this session's primitives. */
  private routeConnection(): RouteConnection {
    return new RouteConnection({
      options: this.options,
      url: this.url,
      target: this.target,
      environment: this.environment,
      deps: this.deps,
      timers: this.timers,
      isCurrent: (attempt) => this.isCurrent(attempt),
      setState: (state) => this.setState(state),
      emitStep: (step) => this.emitStep(step),
      onRoutes: (routes) => this.secrets.add(routeSecrets(routes)),
      onDecision: (decision) => {
        this.decision = decision;
        this.emitDecision(decision);
      },
      onFallback: (fallbacks) => {
        if (this.decision) this.emitDecision({ ...this.decision, reason: `${this.decision.reason}; ${fallbacks.join('; ')}` });
      },
      onSocketError: (attempt, error) => {
        if (this.attempt === attempt && this.socketErrorCode === undefined) this.socketErrorCode = systemErrorCode(error);
      },
      bindClient: (ws) => this.bindClient(ws),
      onOpen: (attempt, outcome) => this.onOpen(attempt, outcome),
    });
  }

  private isCurrent(attempt: Attempt): boolean {
    return this.attempt === attempt && !attempt.controller.signal.aborted && !isFinalState(this.state);
  }

  private onOpenTimeout(attempt: Attempt, ms: number): void {
    if (!this.isCurrent(attempt) || !isConnectingState(this.state)) return;
    const stage = stageOfState(this.state, attempt.route?.kind === 'proxy');
    const route = attempt.route;
    const failure = NetFailure.of(
      stage,
      'OPEN_TIMEOUT',
      {
        target: this.target.authority,
        ...(route?.kind === 'proxy' ? { proxy: route.proxy.displayUrl } : {}),
        timeoutMs: ms,
        deadline: 'open',
      },
      { message: `The connection did not open within ${ms} ms (it was at the ${stage} stage).` },
    );
    attempt.controller.abort(failure);
    this.finishFailed(failure.netError);
  }

  // -------------------------------------------------------------------------------------
  // After open
  // -------------------------------------------------------------------------------------

  private onOpen(attempt: Attempt, outcome: UpgradeOutcome): void {
    if (!this.isCurrent(attempt)) {
      outcome.ws.terminate();
      return;
    }
    this.timers.clearTimeout(this.openTimer);
    this.openTimer = undefined;
    this.ws = outcome.ws;
    this.recording = outcome.ws;
    const ws = outcome.ws;
    // Our own connection's reads are captured whole (socket-capture.ts); an intercepted one's relay reads its socket itself.
    if (this.relay === undefined) SocketCapture.install(ws, this.intake, () => this.recording === ws, (error) => this.surfaceBug(error));
    this.setState('open');
    this.statsTimer = setInterval(() => this.emitStats(), this.statsIntervalMs);
    this.statsTimer.unref();
    this.startKeepalive(outcome.ws);
    this.relay?.onOpen({ protocol: outcome.protocol, extensions: outcome.extensions, request: outcome.request, response: outcome.response });
  }

  // -------------------------------------------------------------------------------------
  // Keep-alive and the close deadline
  // -------------------------------------------------------------------------------------

  /** Pings every interval; a ping whose pong does not come within its deadline ends the session. */
  private startKeepalive(ws: WebSocket): void {
    const keepalive = this.options.keepalive;
    if (!keepalive) return;
    this.keepaliveTimer = this.timers.setInterval(() => this.keepalivePing(ws, keepalive.pongTimeoutMs), keepalive.intervalMs);
    this.keepaliveTimer.unref();
  }

  private keepalivePing(ws: WebSocket, pongTimeoutMs: number): void {
    // One ping at a time: while one waits for its pong, its deadline decides.
    if (this.recording !== ws || this.state !== 'open' || this.pongDeadline !== undefined) return;
    this.keepalivePings += 1;
    // A visible, numbered ping: it is in the log and its round trip in the stats.
    if (this.send('ping', Buffer.from(`tunnelscope-keepalive-${this.keepalivePings}`)) === undefined) return;
    this.pongDeadline = this.timers.setTimeout(() => this.onPongMissing(ws, pongTimeoutMs), pongTimeoutMs);
    this.pongDeadline.unref();
  }

  /** Any pong after our ping will do: a server may answer only the latest of several pings (RFC 6455 §5.5.3). */
  private onPongForKeepalive(): void {
    this.timers.clearTimeout(this.pongDeadline);
    this.pongDeadline = undefined;
  }

  private onPongMissing(ws: WebSocket, pongTimeoutMs: number): void {
    this.pongDeadline = undefined;
    // Closing: the close deadline decides now.
    if (this.recording !== ws || this.state !== 'open') return;
    const queued = this.stats.queuedBytes;
    const notReading = queued > 0 ? ` ${formatBytes(queued)} were still queued: the server was not reading.` : '';
    this.finishFailed(
      createNetError(
        'transport',
        'PEER_UNRESPONSIVE',
        { target: this.target.authority, timeoutMs: pongTimeoutMs, ...(queued > 0 ? { queuedBytes: queued } : {}) },
        { message: `No pong came within ${formatSeconds(pongTimeoutMs)} of a keep-alive ping; the connection was cut.${notReading}` },
      ),
    );
  }

  /** An Engine.IO ping or pong, sent as an ordinary text message; false when it could not go. */
  private sendHeartbeat(text: string): boolean {
    return this.sendProtocolMessage('text', Buffer.from(text));
  }

  /** A message the session sends for a protocol's own upkeep (Engine.IO heartbeat, MQTT PINGREQ): an ordinary frame in the log; false when it could not go. */
  private sendProtocolMessage(kind: 'text' | 'binary', payload: Buffer): boolean {
    try {
      return this.send(kind, payload) !== undefined;
    } catch (error) {
      // SEND_QUEUE_FULL: the server is not reading; its ping timeout will say so.
      if (error instanceof NetFailure) return false;
      throw error;
    }
  }

  private stopKeepalive(): void {
    this.heartbeat?.stop();
    this.mqttKeepAlive?.stop();
    this.timers.clearInterval(this.keepaliveTimer);
    this.timers.clearTimeout(this.pongDeadline);
    this.keepaliveTimer = undefined;
    this.pongDeadline = undefined;
  }

  /** Our close frame got no answer in time: cut the socket, and say so (not an ordinary close). */
  private onCloseTimeout(ws: WebSocket): void {
    this.closeTimer = undefined;
    if (this.recording !== ws || isFinalState(this.state)) return;
    const ms = this.closeTimeoutMs;
    this.finishFailed(
      createNetError(
        'transport',
        'CLOSE_TIMEOUT',
        { target: this.target.authority, timeoutMs: ms },
        { message: `The server did not answer the close within ${formatSeconds(ms)}; the connection was cut.` },
      ),
      null,
      'client',
    );
  }

  /** Listeners attached before open, so no frame that arrives with the 101 is missed. */
  private bindClient(ws: WebSocket): void {
    const mine = (): boolean => this.recording === ws;
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      if (this.recording !== ws) return;
      const payload = toBuffer(data);
      const relay = this.relay;
      // What the socket capture left to ws (a message split over reads, fragmented, large; every message of a relayed session): store it, nothing more (the store tallies incoming stats).
      if (relay === undefined) {
        this.intake.incoming(isBinary, payload);
        return;
      }
      // A relay with breakpoints records the server's messages itself, as they leave its queue (logRelayed).
      if (!this.relayRecordsIncoming) this.intake.incoming(isBinary, payload);
      relay.onMessage(isBinary ? 'binary' : 'text', payload);
    });
    ws.on('ping', (data: Buffer) => {
      if (!mine()) return;
      this.record('in', 'ping', data);
      // ws's auto-pong is off so that the pong we send is recorded like any other frame.
      if (ws.readyState === WebSocket.OPEN) {
        const size = data.length;
        this.stats.queue(size);
        ws.pong(data, undefined, (error?: Error | null) => this.onWritten(size, error));
        this.store('out', 'pong', data);
      }
    });
    ws.on('pong', (data: Buffer) => {
      if (!mine()) return;
      this.record('in', 'pong', data);
      this.stats.pongReceived(data, Date.now());
      this.onPongForKeepalive();
    });
    ws.on('error', (error: Error) => {
      if (mine()) this.onClientError(error);
    });
    ws.on('close', (code: number, reason: Buffer) => {
      if (mine()) this.onClientClose(code, reason);
    });
  }

  private onClientError(error: Error): void {
    const code = systemErrorCode(error);
    if (!isWsProtocolErrorCode(code)) {
      // A write to a broken socket: the close that follows is classified from this code.
      if (this.socketErrorCode === undefined && code !== undefined) this.socketErrorCode = code;
      return;
    }
    if (this.protocolError) return;
    const mapped = mapWsErrorCode(code);
    this.protocolError = createNetError('protocol', mapped.code, {
      target: this.target.authority,
      cause: code,
      causeMessage: errorMessage(error),
      closeCode: mapped.closeStatus,
    });
    // ws answers the violation with a close frame carrying this status, unless one went out already.
    if (!this.closeFrameSent) {
      this.closeFrameSent = true;
      this.record('out', 'close', encodeClosePayload(mapped.closeStatus));
    }
  }

  private onClientClose(code: number, reasonBuffer: Buffer): void {
    this.timers.clearTimeout(this.closeTimer);
    this.closeTimer = undefined;
    const reason = reasonBuffer.toString('utf8');
    // 1006 is never sent on the wire: ws reports it when no close frame arrived.
    const frameReceived = code !== 1006;
    if (frameReceived) {
      const extra: CloseExtra = { closeCode: code };
      this.record('in', 'close', encodeClosePayload(code, reason), extra);
      if (!this.closeFrameSent) {
        // The server closed first; ws echoes its code and reason.
        this.closeFrameSent = true;
        this.record('out', 'close', encodeClosePayload(code, reason), extra);
      }
    }
    if (this.protocolError) {
      this.finishFailed(this.protocolError, this.protocolError.details.closeCode ?? null);
    } else if (this.closeRequested) {
      this.finishClosed({ code: frameReceived ? code : null, reason, wasClean: frameReceived, initiatedBy: 'client' });
    } else if (frameReceived) {
      this.finishClosed({ code, reason, wasClean: true, initiatedBy: 'server' });
    } else {
      const cause = this.socketErrorCode;
      // An MQTT broker that cut a session for its keep-alive: not "idle timeout, restart" (the close diagnosis says the figures).
      const mqttHint = mqttCloseDiagnosis(this.mqttKeepAlive) !== undefined ? mqttKeepAliveHint(this.mqttKeepAlive) : undefined;
      this.finishFailed(
        createNetError(
          'transport',
          transportCode(cause),
          {
            target: this.target.authority,
            ...(cause !== undefined ? { cause } : {}),
          },
          mqttHint !== undefined ? { hint: mqttHint } : {},
        ),
      );
    }
  }

  // -------------------------------------------------------------------------------------
  // Endings and events
  // -------------------------------------------------------------------------------------

  private finishClosed(info: ClosedInfo): void {
    if (isFinalState(this.state)) return;
    if (this.state === 'open') this.setState('closing');
    this.setState('closed');
    this.emitClosed(info);
    this.teardown();
  }

  private finishFailed(unredacted: NetError, closeCode: number | null = null, initiatedBy: ClosedInfo['initiatedBy'] = 'none'): void {
    if (isFinalState(this.state)) return;
    // Worded for this URL's scheme: no "try wss://" on a wss:// URL.
    const error = forScheme(this.secrets.netError(unredacted), this.target.secure ? 'wss:' : 'ws:');
    this.intake.flush();
    this.failureError = error;
    this.emitEvent({ type: 'error', sessionId: this.id, error });
    this.setState('failed');
    this.emitClosed({ code: closeCode, reason: '', wasClean: false, initiatedBy });
    this.teardown();
  }

  private emitClosed(info: ClosedInfo): void {
    this.intake.flush();
    // 1005 or no close frame at all: what an Engine.IO server's ping timeout looks like (v4: a ping unanswered; v3: none sent).
    const diagnosis =
      (info.initiatedBy === 'client'
        ? undefined
        : ((info.code === null || info.code === 1005 ? engineIoCloseDiagnosis(this.heartbeat) : undefined) ??
          // An MQTT broker closes by its keep-alive with whatever its WebSocket layer does (a close frame or none).
          mqttCloseDiagnosis(this.mqttKeepAlive))) ??
      // A CONNECT never answered with no subprotocol agreed, however it ended (Mosquitto holds such a connection open: the user closes it).
      mqttSubprotocolDiagnosis({ connectSent: this.mqttKeepAlive?.connectUnanswered === true, subprotocol: upgradeSigns(this.handshakeSteps()).subprotocol, answered: false });
    // The last figures, so a consumer's graph ends with the session.
    if (this.statsTimer !== undefined) this.emitStats();
    const at = Date.now();
    // A close reason is the server's text: it may echo a secret too.
    const ending = { ...info, reason: this.secrets.text(info.reason), at };
    this.ending = ending;
    this.emitEvent({ type: 'closed', sessionId: this.id, ...ending, ...(diagnosis !== undefined ? { diagnosis } : {}) });
  }

  private emitStats(): void {
    this.emitEvent({ type: 'stats', sessionId: this.id, stats: this.statsNow() });
  }

  private emitDecision(unredacted: ProxyDecision): void {
    const decision = this.secrets.decision(unredacted);
    this.latestDecision = decision;
    this.emitEvent({ type: 'proxy-decision', sessionId: this.id, decision });
  }

  /** Releases everything: timers, the batcher, the client and every socket of the attempt. */
  private teardown(): void {
    this.recording = undefined;
    this.timers.clearTimeout(this.openTimer);
    this.timers.clearTimeout(this.closeTimer);
    this.stopKeepalive();
    clearInterval(this.statsTimer);
    this.statsTimer = undefined;
    this.openTimer = undefined;
    this.closeTimer = undefined;
    // A feed outlives the attempt (a reconnecting connection's next one notes into it): only flushed here.
    this.intake.settle();
    if (this.ownBatcher) this.ownBatcher.dispose();
    else this.batcher.flush();
    const ws = this.ws;
    if (ws && ws.readyState !== WebSocket.CLOSED) ws.terminate();
    const attempt = this.attempt;
    if (attempt) {
      for (const socket of attempt.sockets) socket.destroy();
      attempt.sockets.clear();
    }
    this.resolveEnded();
  }

  /**
   * An engine bug (an illegal transition, a thrown non-NetFailure). The app must not crash
   * for it: the session fails with INTERNAL_ERROR (saying it is a bug, with the cause) and
   * the stack goes to stderr for the bug report.
   */
  private surfaceBug(error: unknown): void {
    console.error(`Tunnelscope: internal error in session ${this.id}:`, error);
    this.attempt?.controller.abort(new Error('internal error'));
    const stage = stageOfState(this.state, this.attempt?.route?.kind === 'proxy');
    const failure = createNetError(stage, 'INTERNAL_ERROR', {
      target: this.target.authority,
      causeMessage: errorMessage(error),
    });
    try {
      this.finishFailed(failure);
    } catch (secondError) {
      // The state machine itself is broken: release the sockets and stop reporting.
      console.error('Tunnelscope: could not end the session cleanly:', secondError);
      this.teardown();
    }
  }

  private setState(state: SessionState): void {
    // The relay logs what its breakpoints still hold while the log is still noted to subscribers.
    if (isFinalState(state)) this.relay?.onEnding?.();
    this.intake.flush();
    const change = this.machine.transition(state);
    if (isFinalState(change.state)) this.recording = undefined;
    this.emitEvent({ type: 'state', sessionId: this.id, state: change.state, previous: change.previous, at: Date.now() });
  }

  private emitStep(unredacted: HandshakeStep): void {
    const step = this.secrets.step(unredacted);
    if (this.steps.length < MAX_STEPS_KEPT) this.steps.push(step);
    this.emitEvent({ type: 'handshake', sessionId: this.id, step });
  }

  /** Stores a frame, counts an outgoing one (the store tallies incoming ones), notes it for the next batch; returns its seq. Never waits. */
  private record(dir: 'in' | 'out', opcode: Opcode, payload: Buffer, extra?: CloseExtra): number {
    const seq = this.intake.record(dir, opcode, payload, extra);
    if (dir === 'out') this.stats.record('out', payload.length, this.intake.now());
    return seq;
  }

  /** Stores an outgoing frame whose bytes are counted when written (see `onWritten`); a mark goes in before the seq is noted for a batch. */
  private store(dir: 'in' | 'out', opcode: Opcode, payload: Buffer, mark?: RelayMark): number {
    const seq = this.intake.record(dir, opcode, payload);
    if (mark) this.frames.mark(seq, mark.mark, mark.original);
    return seq;
  }

  /** The relay answered its client: what the client asked and the 101 it got (kept for session:list and the exports). */
  setClientHandshake(handshake: ClientHandshake): void {
    this.clientSide = handshake;
  }

  clientHandshake(): ClientHandshake | undefined {
    return this.clientSide;
  }

  /**
   * An intercepted connection's upstream WebSocket while the session records (undefined before
   * open and once it ended): the relay's fast path reads its socket and writes whole frames to
   * it as the client sent them (core/intercept/raw-frame-tap.ts); ws still reads everything else.
   */
  upstreamWebSocket(): WebSocket | undefined {
    return this.recording;
  }

  /**
   * A message the relay forwarded as it came, past this session's ws: `in` from the server
   * (recorded as any received message), `out` the client's to the server (recorded and counted
   * as sent). Returns its seq.
   */
  recordForwarded(dir: 'in' | 'out', binary: boolean, payload: Buffer): number {
    if (dir === 'in') return this.intake.incoming(binary, payload);
    return this.record('out', binary ? 'binary' : 'text', payload);
  }

  /** From now on the relay records the server's messages (logRelayed), when they leave its breakpoint queue. */
  recordIncomingAsRelayed(): void {
    this.relayRecordsIncoming = true;
  }

  /**
   * An intercepted connection's message that does not go out through this session's socket:
   * `in` a server message as it leaves the relay's queue for the client (or is dropped, or one
   * injected towards the client), `out` a client message dropped at a breakpoint. Recorded
   * with its mark; returns its seq.
   */
  logRelayed(dir: 'in' | 'out', kind: 'text' | 'binary', payload: Buffer, mark?: RelayMark): number {
    if (dir === 'in' && !mark) return this.record('in', kind, payload);
    const seq = this.intake.record(dir, kind, payload);
    if (mark) this.frames.mark(seq, mark.mark, mark.original);
    return seq;
  }
}
