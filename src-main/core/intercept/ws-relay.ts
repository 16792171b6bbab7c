/**
 * One intercepted WebSocket: the client's upgrade request is held while the engine opens the
 * upstream leg as a captured session (its own handshake, through the engine's route); when the
 * server has accepted, the client gets its 101 with what the server chose, and from then on each
 * message crosses: the client's through `session.send` (recorded `out`), the server's through
 * the session's relay hook (recorded `in`). Each side keeps its own handshake, pings and
 * compression. A failure before the server accepted is answered to the client as 502 or 504
 * with a short text naming it.
 *
 * Flow control both ways: the server's messages stop being read while the client's socket has
 * more than SEND_HIGH_WATER_MARK waiting; the client's stop being read while the session refuses
 * more (SEND_QUEUE_FULL), and what was refused waits here, in order, until the session drains.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { type WebSocketServer } from 'ws';
import type { NetError } from '../../shared/errors';
import { SEND_HIGH_WATER_MARK } from '../../shared/model';
import { isSendableCloseCode } from '../../shared/commands';
import type { EngineEvent } from '../../shared/events';
import type { CapturedSession, Engine } from '../engine';
import { NetFailure } from '../errors/net-failure';
import type { CloseStarter, InterceptEventListener } from './intercept-events';
import { upstreamOptions, type InterceptTarget, type UpstreamChoice } from './upstream-options';
import { answerAndClose } from './plain-answer';
import type { FrameDirection, InterceptBreakpoints, RelayHandle } from './breakpoints';
import { DirectionGate, type GateMessage } from './direction-gate';
import type { CapturedFrom } from '../../shared/captured-from';
import type { HttpCapture } from '../../shared/model';
import { rawHeaderPairs } from '../capture/http-capture';
import { redactHeaders } from '../capture/redact';
import { RawFrameTap, type TapSink } from './raw-frame-tap';

export interface RelayContext {
  engine: Pick<Engine, 'openCaptured'>;
  choice: UpstreamChoice;
  /** The client side's server: permessage-deflate accepted (`keep`) or not (`strip`). */
  clientServer: WebSocketServer;
  /** The subprotocol the server chose, read by the client side's `handleProtocols`. */
  chosenProtocols: WeakMap<IncomingMessage, string>;
  /** The 101 each client was answered, as ws wrote it (its `headers` event): status line, then `Name: value` lines. */
  clientAnswers: WeakMap<IncomingMessage, string[]>;
  report: InterceptEventListener;
  /** Breakpoints: matching messages are held (in order) until forwarded or dropped. */
  breakpoints?: InterceptBreakpoints;
  /** The proxy is stopping and cuts its clients: their going away is Tunnelscope's doing. */
  stopping?: () => boolean;
}

type Queued = GateMessage;

export class WsRelay {
  private session: CapturedSession | undefined;
  private client: WebSocket | undefined;
  /** Client messages the session refused while its queue was full, in order. */
  private readonly backlog: Queued[] = [];
  private url = '';
  /** What went to the server and what came back (the session's upgrade). */
  private serverHandshake: { request: HttpCapture; response: HttpCapture } | undefined;
  /** Client → server and server → client, each through its breakpoints (undefined: straight through). */
  private toServerGate: DirectionGate | undefined;
  private toClientGate: DirectionGate | undefined;
  /** The server's host in lower case (what breakpoint rules name). */
  private host = '';
  /** The server side's fast-path tap (raw-frame-tap.ts): its socket is where the client's frames go; undefined without a fast path. */
  private fromServerTap: RawFrameTap | undefined;
  /** The client's socket is paused until the server's drains (frames forwarded as they came filled it). */
  private awaitingServerDrain = false;
  /** The server is not read until the client's socket drains (it held SEND_HIGH_WATER_MARK or more). */
  private serverPaused = false;
  /** Who began closing from our side, once said (closing()). */
  private closeStarter: CloseStarter | undefined;

  constructor(
    private readonly context: RelayContext,
    private readonly request: IncomingMessage,
    private readonly socket: Duplex,
    private readonly head: Buffer,
    private readonly from: CapturedFrom,
  ) {}

  get sessionId(): string | undefined {
    return this.session?.id;
  }

  /** Opens the upstream leg; the client is answered when it opens or fails. */
  start(target: InterceptTarget): void {
    const { request } = this;
    // The client gave up while its process was looked up: nothing to open.
    if (this.socket.destroyed) return;
    // What ws's server would refuse later, refused before the server is reached for nothing.
    const clientProblem = upgradeRequestProblem(request);
    if (clientProblem !== undefined) {
      this.refuse(400, `Tunnelscope cannot relay this WebSocket request: ${clientProblem}.`, undefined);
      return;
    }
    const built = upstreamOptions(target, request.url ?? '/', request.rawHeaders, request.headers, this.context.choice);
    if (!built.ok) {
      this.refuse(400, `Tunnelscope cannot relay this WebSocket request: ${built.problem}.`, undefined);
      return;
    }
    this.url = built.url;
    this.host = target.host.toLowerCase();
    const opened = this.context.engine.openCaptured(
      built.options,
      this.from,
      {
        onOpen: (server) => {
          this.serverHandshake = { request: server.request, response: server.response };
          this.onServerOpen(server.protocol, server.extensions);
        },
        onMessage: (kind, payload) => this.fromServer(kind, payload),
        onEnding: () => this.logAbandoned(),
      },
    );
    if (!opened.ok) {
      this.refuse(503, `Tunnelscope cannot take another connection: ${opened.error.message}.`, undefined);
      return;
    }
    const session = opened.value;
    this.session = session;
    const breakpoints = this.context.breakpoints;
    if (breakpoints) {
      // The server's messages are logged as they leave the queue: edited, dropped, or as they came.
      session.recordIncomingAsRelayed();
      const changed = (): void => breakpoints.queueChanged(session.id);
      const dropped = (direction: FrameDirection) => (m: GateMessage) => session.logRelayed(direction, m.kind, m.payload, { mark: { action: 'dropped' } });
      const outGate: DirectionGate = new DirectionGate({ deliver: (m) => this.toServer(m), hold: breakpoints.holder(session.id, target.host, 'out', () => outGate), dropped: dropped('out'), changed });
      const inGate: DirectionGate = new DirectionGate({ deliver: (m) => this.toClient(m), hold: breakpoints.holder(session.id, target.host, 'in', () => inGate), dropped: dropped('in'), changed });
      this.toServerGate = outGate;
      this.toClientGate = inGate;
      breakpoints.attach(session.id, this.handle());
    }
    this.context.report({ type: 'captured', sessionId: session.id, ...this.from, url: built.url, deflate: this.context.choice.deflate });
    // The client gave up while the server was being reached: stop reaching it.
    this.socket.once('close', () => {
      if (this.client) return;
      this.closing('application');
      void session.close(1001, 'the intercepted client went away');
    });
    this.socket.on('error', () => undefined);
    void session.ended.then(() => this.onSessionEnded());
  }

  /** An engine event of this relay's session: a drained send queue lets the client's waiting messages go. */
  sessionEvent(event: EngineEvent): void {
    if (event.type === 'stats' && this.backlog.length > 0) this.flushBacklog();
  }

  private onServerOpen(protocol: string, extensions: string): void {
    const session = this.session;
    if (!session) return;
    if (this.socket.destroyed) {
      this.closing('application');
      void session.close(1001, 'the intercepted client went away');
      return;
    }
    if (protocol !== '') this.context.chosenProtocols.set(this.request, protocol);
    // Synchronous: the client exists before the server's first frame is delivered.
    this.context.clientServer.handleUpgrade(this.request, this.socket, this.head, (client) => this.attach(client, protocol, extensions));
    // ws answered the client 400 itself (a request it would not take): nobody is left to relay to.
    if (!this.client) {
      this.closing('tunnelscope');
      void session.close(1002, 'the intercepted client sent an upgrade request that could not be answered');
    }
  }

  private attach(client: WebSocket, protocol: string, serverExtensions: string): void {
    const session = this.session;
    if (!session) return;
    this.client = client;
    client.on('message', (data: WebSocket.RawData, isBinary: boolean) => this.fromClient(isBinary ? 'binary' : 'text', toBuffer(data)));
    client.on('close', (code: number, reason: Buffer) => this.onClientClose(code, reason.toString('utf8')));
    // A protocol error from the client ends in 'close' as well.
    client.on('error', () => undefined);
    // A TLS socket drains after nearly every 16 KB write: the session is told only when it was paused.
    this.socket.on('drain', () => {
      if (!this.serverPaused) return;
      this.serverPaused = false;
      session.resumeReading();
    });
    const clientDeflate = client.extensions.includes('permessage-deflate');
    // Compressed frames must be inflated (and re-deflated for the other side): no bytes go across as they came then.
    if (!clientDeflate && serverExtensions === '') this.startFastPath(client, session);
    const offered = /permessage-deflate/i.test(String(this.request.headers['sec-websocket-extensions'] ?? ''));
    const removed = this.context.choice.deflate === 'strip';
    const clientHandshake = { request: clientRequestCapture(this.request), response: clientAnswerCapture(this.context.clientAnswers.get(this.request)) };
    session.setClientHandshake(clientHandshake);
    this.context.report({
      type: 'relaying',
      sessionId: session.id,
      protocol,
      deflate: {
        client: clientDeflate ? client.extensions : offered ? (removed ? 'removed from the offer' : 'offered, not agreed') : 'not offered',
        server: serverExtensions !== '' ? serverExtensions : removed ? 'not offered (removed)' : 'offered, not agreed',
      },
      handshakes: {
        client: clientHandshake,
        server: this.serverHandshake ?? { request: { startLine: '', headers: [] }, response: { startLine: '', headers: [] } },
      },
    });
  }

  /**
   * Both sides' sockets are read by a RawFrameTap: a whole message frame that no breakpoint
   * could hold, with nothing queued ahead of it, goes to the other side as the bytes it came in
   * (and is captured); anything else goes through ws as before. The client's tap only with the
   * server's (the upstream socket is where the client's frames go).
   */
  private startFastPath(client: WebSocket, session: CapturedSession): void {
    const upstream = session.upstreamWebSocket();
    if (!upstream) return;
    const toServer: TapSink = {
      canForward: () => this.mayForward('out', upstream) && this.backlog.length === 0 && !this.awaitingServerDrain,
      forward: (pieces, binary, payload) => {
        const serverSocket = this.fromServerTap?.socket;
        if (!serverSocket) return;
        writePieces(serverSocket, pieces);
        session.recordForwarded('out', binary, payload);
        // The server does not keep up: the client waits until its socket drains (as SEND_QUEUE_FULL does on the ws path).
        if (serverSocket.writableLength >= SEND_HIGH_WATER_MARK) {
          this.awaitingServerDrain = true;
          client.pause();
          serverSocket.once('drain', () => {
            this.awaitingServerDrain = false;
            if (this.backlog.length === 0) client.resume();
          });
        }
      },
    };
    const toClient: TapSink = {
      canForward: () => this.mayForward('in', upstream),
      forward: (pieces, binary, payload) => {
        writePieces(this.socket, pieces);
        session.recordForwarded('in', binary, payload);
        this.pauseServerIfClientFull();
      },
    };
    const fromServer = RawFrameTap.install(upstream, false, toClient);
    if (!fromServer) return;
    this.fromServerTap = fromServer;
    RawFrameTap.install(client, true, toServer);
  }

  /** Whether a message in this direction may go across as it came: both sides open, no rule that could hold it, nothing waiting ahead of it. */
  private mayForward(direction: FrameDirection, upstream: WebSocket): boolean {
    const client = this.client;
    if (!client || client.readyState !== WebSocket.OPEN || upstream.readyState !== WebSocket.OPEN || this.session?.state !== 'open') return false;
    if (this.context.breakpoints?.mayHold(this.host, direction)) return false;
    const gate = direction === 'out' ? this.toServerGate : this.toClientGate;
    return gate === undefined || gate.waiting === 0;
  }

  private fromServer(kind: 'text' | 'binary', payload: Buffer): void {
    if (this.toClientGate) this.toClientGate.offer({ kind, payload });
    else this.toClient({ kind, payload });
  }

  private toClient({ kind, payload, mark }: GateMessage): void {
    if (this.toClientGate) this.session?.logRelayed('in', kind, payload, mark);
    const client = this.client;
    if (!client || client.readyState !== WebSocket.OPEN) return;
    client.send(payload, { binary: kind === 'binary' });
    this.pauseServerIfClientFull();
  }

  /** The server stops being read while the client's socket holds SEND_HIGH_WATER_MARK or more (the client's drain resumes it). */
  private pauseServerIfClientFull(): void {
    if (this.serverPaused || this.socket.writableLength < SEND_HIGH_WATER_MARK) return;
    this.serverPaused = true;
    this.session?.pauseReading();
  }

  private fromClient(kind: 'text' | 'binary', payload: Buffer): void {
    if (this.toServerGate) this.toServerGate.offer({ kind, payload });
    else this.toServer({ kind, payload });
  }

  private toServer(message: GateMessage): void {
    if (this.backlog.length > 0) {
      this.backlog.push(message);
      return;
    }
    this.sendUpstream(message);
  }

  /** False when the session's queue is full: the message waits in the backlog and the client is paused. */
  private sendUpstream(message: Queued): boolean {
    const session = this.session;
    if (!session) return false;
    try {
      // Undefined: the session is closing; the client's close follows.
      session.send(message.kind, message.payload, message.mark);
      return true;
    } catch (error) {
      if (!(error instanceof NetFailure) || error.netError.code !== 'SEND_QUEUE_FULL') throw error;
      this.backlog.push(message);
      this.client?.pause();
      return false;
    }
  }

  private flushBacklog(): void {
    const waiting = this.backlog.splice(0);
    for (let i = 0; i < waiting.length; i++) {
      const message = waiting[i];
      if (message && !this.sendUpstream(message)) {
        // Refused again: it went back in the backlog; the rest keep their order behind it.
        this.backlog.push(...waiting.slice(i + 1));
        return;
      }
    }
    // Frames forwarded as they came may have filled the server's socket: that wait goes on.
    if (!this.awaitingServerDrain) this.client?.resume();
  }

  /** What the breakpoint commands reach this connection by: inject, close a side, the queue's counts. */
  private handle(): RelayHandle {
    return {
      inject: (direction, kind, payload) => {
        const gate = direction === 'out' ? this.toServerGate : this.toClientGate;
        if (!gate || !this.client || this.session?.state !== 'open') return false;
        gate.inject({ kind, payload, mark: { mark: { action: 'injected' } } });
        return true;
      },
      closeSide: (side, code, reason) => {
        if (side === 'server') {
          if (this.session?.state !== 'open') return false;
          // The server's answer ends the session; the client then gets the same code (onSessionEnded).
          this.closing('you', side);
          void this.session.close(code, reason);
          return true;
        }
        if (this.client?.readyState !== WebSocket.OPEN) return false;
        // The client's answer comes back through onClientClose and closes the server's side with it.
        this.closing('you', side);
        this.client.close(code, reason);
        return true;
      },
      waiting: () => ({ in: this.toClientGate?.waiting ?? 0, out: this.toServerGate?.waiting ?? 0 }),
    };
  }

  private onClientClose(code: number, reason: string): void {
    const session = this.session;
    if (!session || session.state !== 'open') return;
    // The answer to your `close … client` is still yours (closing keeps the first starter).
    this.closing('application');
    if (isSendableCloseCode(code)) void session.close(code, reason);
    // 1005 (no code in the frame) ends normally; 1006 (no close frame at all) says the client went away.
    else if (code === 1005) void session.close(1000, '');
    else void session.close(1001, 'the intercepted client went away');
  }

  /**
   * The session is ending: messages still held at a breakpoint, and those waiting behind them,
   * can reach nobody. Each is logged as dropped, saying the connection ended (its payload kept).
   */
  private logAbandoned(): void {
    const session = this.session;
    if (!session) return;
    for (const [direction, gate] of [['out', this.toServerGate], ['in', this.toClientGate]] as const) {
      if (!gate) continue;
      for (const { message } of gate.abandon()) session.logRelayed(direction, message.kind, message.payload, { mark: { action: 'dropped', reason: 'connection-ended' } });
    }
    // Nothing is held for this connection any more: the commands and the queue event say so now.
    this.context.breakpoints?.forget(session.id);
  }

  private onSessionEnded(): void {
    const session = this.session;
    if (!session) return;
    this.context.breakpoints?.forget(session.id);
    const client = this.client;
    if (!client) {
      const failure = session.failure();
      if (failure) {
        const status = isTimeout(failure) ? 504 : 502;
        this.refuse(status, failureText(this.url, failure), session.id);
      } else if (!this.socket.destroyed) {
        this.refuse(502, `Tunnelscope closed the connection to ${this.url} before it opened.`, session.id);
      }
      return;
    }
    if (client.readyState !== WebSocket.OPEN) return;
    const ending = session.closedInfo();
    if (ending && ending.code !== null && isSendableCloseCode(ending.code)) client.close(ending.code, ending.reason);
    else if (ending && ending.code === 1005) client.close();
    // No close frame came from the server (it vanished, or the session failed): none goes to the client either.
    else client.terminate();
  }

  /**
   * Says who began closing, once (the first starter wins: the client's answer to a close sent to
   * it is not the application's own close). Reported before the session is closed, so the
   * report comes ahead of the session's closed event.
   */
  private closing(said: CloseStarter, side?: 'client' | 'server'): void {
    const session = this.session;
    if (!session || this.closeStarter !== undefined) return;
    const by = said === 'application' && this.context.stopping?.() === true ? 'tunnelscope' : said;
    this.closeStarter = by;
    this.context.report({ type: 'closing', sessionId: session.id, by, ...(side !== undefined ? { side } : {}) });
  }

  private refuse(status: number, text: string, sessionId: string | undefined): void {
    this.context.report({ type: 'refused', ...(sessionId !== undefined ? { sessionId } : {}), clientAddress: this.from.clientAddress, url: this.url || (this.request.url ?? ''), status, text });
    answerAndClose(this.socket, status, text);
  }
}

/** Why a client's upgrade request cannot be answered with a 101 (as ws's server checks it), or undefined. */
function upgradeRequestProblem(request: IncomingMessage): string | undefined {
  if (request.method !== 'GET') return `the upgrade must be a GET, not ${String(request.method).slice(0, 20)}`;
  const key = request.headers['sec-websocket-key'];
  if (key === undefined || !/^[+/0-9A-Za-z]{22}==$/.test(key)) return 'its Sec-WebSocket-Key is missing or not 16 bytes in base64';
  const version = request.headers['sec-websocket-version'];
  if (version !== '13' && version !== '8') return `Sec-WebSocket-Version ${version === undefined ? 'is missing' : `is ${version.slice(0, 20)}`} (13 is the one in use)`;
  return undefined;
}

/** What the client asked, as it came (secret headers redacted). */
function clientRequestCapture(request: IncomingMessage): HttpCapture {
  return { startLine: `${request.method ?? 'GET'} ${request.url ?? '/'} HTTP/${request.httpVersion}`, headers: redactHeaders(rawHeaderPairs(request.rawHeaders)) };
}

/** ws's answer lines (`HTTP/1.1 101 Switching Protocols`, `Upgrade: websocket`, …) as a capture. */
function clientAnswerCapture(lines: readonly string[] | undefined): HttpCapture {
  const [startLine = '', ...rest] = lines ?? [];
  const headers = rest.map((line): [string, string] => {
    const colon = line.indexOf(':');
    return colon < 0 ? [line, ''] : [line.slice(0, colon), line.slice(colon + 1).trim()];
  });
  return { startLine, headers: redactHeaders(headers) };
}

function isTimeout(error: NetError): boolean {
  return error.code.endsWith('TIMEOUT') || error.details.deadline !== undefined;
}

/** One short line: where, at which leg, what (the engine's own words). */
function failureText(url: string, error: NetError): string {
  return `Tunnelscope could not open ${url} upstream (${error.stage}: ${error.code}): ${error.message}`;
}

/** One frame's bytes, as read (several chunks: one writev, no copy). */
function writePieces(socket: Duplex, pieces: readonly Buffer[]): void {
  if (pieces.length === 1) {
    socket.write(pieces[0]);
    return;
  }
  socket.cork();
  for (const piece of pieces) socket.write(piece);
  socket.uncork();
}

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
