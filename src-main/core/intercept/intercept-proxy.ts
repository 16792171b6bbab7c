/**
 * The intercepting proxy: an HTTP proxy that clients point at (HTTPS_PROXY, --proxy-server…).
 *
 *  - `CONNECT host:port` to a host on the passthrough list (passthrough-hosts.ts): tunnelled
 *    untouched to the server the engine's way out (passthrough-tunnel.ts), nothing decrypted.
 *  - Any other `CONNECT host:port`: answered 200, then the first byte the client sends decides: a TLS
 *    ClientHello (0x16) is terminated here with the host's leaf certificate (leaf-certificates.ts,
 *    ALPN http/1.1, TLS 1.2–1.3); anything else is plain HTTP (ws:// through a CONNECT). Either
 *    way the tunnel's requests go to an inner HTTP server that knows where the tunnel leads.
 *  - An absolute-form `GET ws://host/path` with Upgrade: plain ws:// asked of the proxy directly.
 *  - A WebSocket upgrade, from either, becomes a WsRelay: an engine session for the upstream
 *    leg, the client answered once the server has.
 *  - Other HTTP requests: `passthrough` (http-passthrough.ts) relays them untouched, through
 *    the same route, and reports each in one line.
 *
 * Each client connection's process is looked up as it connects (client-process.ts, where the
 * OS tells) and carried by its captured sessions and reports.
 */
import http, { type IncomingMessage } from 'node:http';
import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { WebSocketServer } from 'ws';
import { parseEndpointUrl } from '../../shared/endpoint-url';
import { formatHostPort } from '../../shared/host-port';
import type { Engine } from '../engine';
import { clientTlsFailure } from './client-tls-failure';
import type { InterceptEventListener } from './intercept-events';
import { INTERCEPT_ALPN, type LeafCertificates } from './leaf-certificates';
import { answerAndClose } from './plain-answer';
import type { InterceptTarget, UpstreamChoice } from './upstream-options';
import { WsRelay } from './ws-relay';
import type { InterceptBreakpoints } from './breakpoints';
import type { ResolveEnvironment } from '../proxy/resolve';
import { httpPassthrough } from './http-passthrough';
import type { ClientProcess } from '../../shared/captured-from';
import { clientProcessLookup, type ClientProcessLookup } from './client-process';
import type { PassthroughList } from './passthrough-hosts';
import { passThrough } from './passthrough-tunnel';

/** The first byte of a TLS handshake record. */
const TLS_HANDSHAKE = 0x16;
/**
 * A TLS connection that stays unused this long after its handshake and then closes is a spare
 * (browsers open them ahead of need), not a client that refused our certificate: those close
 * at once (Node, Java) or send an alert.
 */
const SPARE_CONNECTION_MS = 2000;
/** Largest message relayed, as the engine's default for a session (maxMessageBytes). */
const MAX_MESSAGE_BYTES = 100 * 1024 * 1024;

/** An HTTP request that is not a WebSocket upgrade, relayed by the host's choice of code. */
export type Passthrough = (request: IncomingMessage, response: http.ServerResponse, target: InterceptTarget, clientAddress: string) => void;

export interface InterceptProxyOptions {
  engine: Pick<Engine, 'openCaptured' | 'onEvent'>;
  leaves: LeafCertificates;
  choice: UpstreamChoice;
  report: InterceptEventListener;
  passthrough?: Passthrough;
  /**
   * The way out for plain HTTP (what the host's engine resolves with: its environment and system
   * proxy readers): with it, other requests are relayed (http-passthrough.ts); without it and
   * without `passthrough`, they are answered 501.
   */
  environment?: ResolveEnvironment;
  /** Breakpoints on the intercepted messages (breakpoints.ts); none: every message goes straight through. */
  breakpoints?: InterceptBreakpoints;
  /** Hosts whose CONNECT tunnels pass untouched (the data folder's list and --passthrough); none: every TLS tunnel is intercepted. */
  passthroughHosts?: PassthroughList;
  /** Which process a client connection is (default: /proc on Linux, else unknown). */
  clientProcesses?: ClientProcessLookup;
  /** Milliseconds, for telling a spare connection from a refusal (tests: a clock they move). */
  now?: () => number;
}

interface Tunnel {
  target: InterceptTarget;
  clientAddress: string;
  clientProcess: ClientProcess | undefined;
}

export class InterceptProxy {
  private readonly outer = http.createServer();
  private readonly inner = http.createServer();
  private readonly clientServer: WebSocketServer;
  private readonly chosenProtocols = new WeakMap<IncomingMessage, string>();
  /** What each tunnel's socket (plain or our TLS) leads to. */
  private readonly tunnels = new WeakMap<Duplex, Tunnel>();
  private readonly sockets = new Set<Duplex>();
  private readonly relays = new Map<string, WsRelay>();
  /** Tunnels in which the client sent at least one request (a TLS client that sends none most likely refused our certificate). */
  private readonly spoke = new WeakSet<Duplex>();
  private readonly stopListening: () => void;
  private readonly passthrough: Passthrough | undefined;
  private readonly lookupProcess: ClientProcessLookup;
  /** Each client connection's process lookup, started as it connects (while its socket is surely there). */
  private readonly processes = new WeakMap<Duplex, Promise<ClientProcess | undefined>>();
  /** The 101 each client was answered (ws's `headers` event), for the handshake record. */
  private readonly clientAnswers = new WeakMap<IncomingMessage, string[]>();
  /** Set by close(): the clients cut then did not go away by themselves. */
  private stopping = false;

  constructor(private readonly options: InterceptProxyOptions) {
    this.passthrough = options.passthrough ?? (options.environment ? httpPassthrough(options.environment, options.choice, options.report) : undefined);
    this.lookupProcess = options.clientProcesses ?? clientProcessLookup();
    this.clientServer = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: MAX_MESSAGE_BYTES,
      perMessageDeflate: options.choice.deflate === 'keep',
      handleProtocols: (_offered, request) => this.chosenProtocols.get(request) ?? false,
    });
    this.clientServer.on('headers', (headers: string[], request: IncomingMessage) => this.clientAnswers.set(request, [...headers]));
    this.outer.on('connection', (socket: net.Socket) => this.track(socket));
    this.outer.on('connect', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.onConnect(request, socket, head));
    this.outer.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.onAbsoluteUpgrade(request, socket, head));
    this.outer.on('request', (request: IncomingMessage, response: http.ServerResponse) => this.onAbsoluteRequest(request, response));
    this.inner.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.onTunnelUpgrade(request, socket, head));
    this.inner.on('request', (request: IncomingMessage, response: http.ServerResponse) => this.onTunnelRequest(request, response));
    this.stopListening = options.engine.onEvent((event) => {
      if (event.type === 'stats') this.relays.get(event.sessionId)?.sessionEvent(event);
      else if (event.type === 'session-removed') this.relays.delete(event.sessionId);
    });
  }

  async listen(host: string, port: number): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.outer.once('error', reject);
      this.outer.listen(port, host, () => {
        this.outer.off('error', reject);
        resolve();
      });
    });
    const address = this.outer.address();
    if (address === null || typeof address === 'string') throw new Error('the intercepting proxy has no TCP address');
    return address;
  }

  /** Stops accepting and cuts every client connection (the engine closes the sessions). */
  async close(): Promise<void> {
    this.stopping = true;
    this.stopListening();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.clientServer.close();
    this.inner.close();
    await new Promise<void>((resolve) => this.outer.close(() => resolve()));
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    const ends = { clientPort: socket.remotePort ?? 0, proxyPort: socket.localPort ?? 0 };
    this.processes.set(socket, ends.clientPort > 0 ? this.lookupProcess(ends).catch(() => undefined) : Promise.resolve(undefined));
    socket.once('close', () => this.sockets.delete(socket));
    // A client that vanishes is not an error of ours.
    socket.on('error', () => undefined);
  }

  private onConnect(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const clientAddress = addressOf(request.socket);
    const authority = request.url ?? '';
    // The endpoint parser's rules (no zone ids, no trailing dots …) for the tunnel's target.
    const parsed = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.test(authority) ? parseEndpointUrl(`ws://${authority}`, 'server') : undefined;
    if (!parsed?.ok) {
      answerAndClose(socket, 400, `Tunnelscope: CONNECT needs host:port, got "${authority.slice(0, 200)}"${parsed && !parsed.ok ? ` (${parsed.problem})` : ''}.`);
      return;
    }
    const { host, port } = parsed.endpoint;
    const clientProcess = this.processOf(request.socket);
    const pattern = this.options.passthroughHosts?.match(host);
    if (pattern) {
      const environment = this.options.environment ?? { env: {} };
      void clientProcess.then((found) =>
        passThrough(environment, this.options.choice, this.options.report, { client: socket, head, host, port, pattern, clientAddress, clientProcess: found }),
      );
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    const decide = (first: Buffer): void => {
      socket.pause();
      socket.unshift(first);
      void clientProcess.then((found) => {
        if (first[0] === TLS_HANDSHAKE) void this.terminateTls(socket, host, port, clientAddress, found);
        else this.serveTunnel(socket, { target: { host, port, secure: false }, clientAddress, clientProcess: found });
      });
    };
    if (head.length > 0) decide(head);
    else socket.once('data', decide);
  }

  private processOf(socket: Duplex): Promise<ClientProcess | undefined> {
    return this.processes.get(socket) ?? Promise.resolve(undefined);
  }

  private async terminateTls(socket: Duplex, host: string, port: number, clientAddress: string, clientProcess: ClientProcess | undefined): Promise<void> {
    const from = { clientAddress, ...(clientProcess ? { clientProcess } : {}) };
    let context: tls.SecureContext;
    try {
      context = await this.options.leaves.contextFor(host);
    } catch (error) {
      this.options.report({ type: 'client-tls', ...from, host, rejectedCertificate: false, reason: `no certificate could be made for ${host}: ${String(error)}`, evidence: 'no certificate' });
      socket.destroy();
      return;
    }
    const secured = new tls.TLSSocket(socket, { isServer: true, secureContext: context, ALPNProtocols: INTERCEPT_ALPN });
    let secure = false;
    let secureAt = 0;
    const now = this.options.now ?? performance.now.bind(performance);
    let failed = false;
    secured.once('secure', () => {
      secure = true;
      secureAt = now();
      this.serveTunnel(secured, { target: { host, port, secure: true }, clientAddress, clientProcess });
    });
    secured.on('error', (error: Error) => {
      if (secure || failed) return;
      failed = true; // reported once
      const failure = clientTlsFailure(error, host);
      this.options.report({ type: 'client-tls', ...from, host, ...failure });
      secured.destroy();
    });
    // The proxy's sockets allow half-open: a client that hangs up its side here is done.
    secured.once('end', () => {
      if (!secure || !this.spoke.has(secured)) secured.destroy();
    });
    secured.once('close', () => {
      // Node and Java clients check the certificate after the handshake and just close: no alert, no request.
      // Reported already (an error came first), or a client that spoke: nothing to say.
      if (failed || (secure && this.spoke.has(secured))) return;
      failed = true;
      // A spare connection the client never used: nothing was refused.
      if (secure && now() - secureAt >= SPARE_CONNECTION_MS) return;
      const failure = clientTlsFailure(undefined, host, secure);
      this.options.report({ type: 'client-tls', ...from, host, ...failure });
    });
    socket.resume();
  }

  private serveTunnel(socket: Duplex, tunnel: Tunnel): void {
    this.tunnels.set(socket, tunnel);
    this.inner.emit('connection', socket);
    socket.resume();
  }

  private onTunnelUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const tunnel = this.tunnels.get(request.socket);
    this.spoke.add(request.socket);
    if (!tunnel) {
      answerAndClose(socket, 500, 'Tunnelscope lost track of this tunnel.');
      return;
    }
    this.relay(request, socket, head, tunnel.target, tunnel.clientAddress, Promise.resolve(tunnel.clientProcess));
  }

  private onTunnelRequest(request: IncomingMessage, response: http.ServerResponse): void {
    const tunnel = this.tunnels.get(request.socket);
    this.spoke.add(request.socket);
    if (!tunnel) {
      plainResponse(response, 500, 'Tunnelscope lost track of this tunnel.');
      return;
    }
    this.passOn(request, response, tunnel.target, tunnel.clientAddress);
  }

  /** `GET ws://host/path` with Upgrade, asked of the proxy itself. */
  private onAbsoluteUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const target = absoluteTarget(request.url ?? '');
    if (!target || request.headers.upgrade?.toLowerCase() !== 'websocket') {
      answerAndClose(socket, 400, 'Tunnelscope: an upgrade through the proxy needs an absolute ws:// URL and Upgrade: websocket.');
      return;
    }
    this.relay(request, socket, head, target, addressOf(request.socket), this.processOf(request.socket));
  }

  private onAbsoluteRequest(request: IncomingMessage, response: http.ServerResponse): void {
    const target = absoluteTarget(request.url ?? '');
    if (!target) {
      plainResponse(response, 400, 'Tunnelscope is an intercepting proxy: send absolute-form requests (http://host/path) or CONNECT.');
      return;
    }
    this.passOn(request, response, target, addressOf(request.socket));
  }

  private passOn(request: IncomingMessage, response: http.ServerResponse, target: InterceptTarget, clientAddress: string): void {
    if (this.passthrough) this.passthrough(request, response, target, clientAddress);
    else plainResponse(response, 501, 'Tunnelscope relays only WebSocket connections here.');
  }

  private relay(request: IncomingMessage, socket: Duplex, head: Buffer, target: InterceptTarget, clientAddress: string, clientProcess: Promise<ClientProcess | undefined>): void {
    // The lookup started when the client connected; it is most often done by now.
    void clientProcess.then((found) => this.startRelay(request, socket, head, target, clientAddress, found));
  }

  private startRelay(request: IncomingMessage, socket: Duplex, head: Buffer, target: InterceptTarget, clientAddress: string, clientProcess: ClientProcess | undefined): void {
    const relay = new WsRelay(
      {
        engine: this.options.engine,
        choice: this.options.choice,
        clientServer: this.clientServer,
        chosenProtocols: this.chosenProtocols,
        clientAnswers: this.clientAnswers,
        report: this.options.report,
        ...(this.options.breakpoints ? { breakpoints: this.options.breakpoints } : {}),
        stopping: () => this.stopping,
      },
      request,
      socket,
      head,
      { clientAddress, ...(clientProcess ? { clientProcess } : {}) },
    );
    relay.start(target);
    const id = relay.sessionId;
    if (id !== undefined) this.relays.set(id, relay);
  }
}

/** `ws://host:port/path` or `http://…` → where it goes (wss:// and https:// mean TLS upstream). */
function absoluteTarget(url: string): InterceptTarget | undefined {
  const match = /^(ws|wss|http|https):\/\//i.exec(url);
  if (!match) return undefined;
  const secure = /^(wss|https):/i.test(url);
  const asWs = `${secure ? 'wss' : 'ws'}${url.slice(match[0].length - 3)}`;
  const parsed = parseEndpointUrl(asWs, 'server');
  if (!parsed.ok) return undefined;
  return { host: parsed.endpoint.host, port: parsed.endpoint.port, secure };
}

/** `127.0.0.1:51234` (an IPv4-mapped IPv6 address as IPv4). */
function addressOf(socket: net.Socket): string {
  const address = socket.remoteAddress;
  return address === undefined ? 'unknown' : formatHostPort(address.replace(/^::ffff:/, ''), socket.remotePort ?? 0);
}

function plainResponse(response: http.ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
  response.end(`${text}\n`);
}
