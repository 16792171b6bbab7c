/**
 * The route connection: every leg of a session's opening, from the proxy decision to the
 * upgrade. It first reads every local file the settings name (tls/local-files.ts: a bad one
 * fails before any network leg), resolves the routes (resolve.ts), tries each in turn (a proxy that cannot be
 * reached falls back to the next one): TCP straight to the server or the tunnel through the
 * proxy (tunnel.ts), then TLS for wss://, then starts the upgrade (ws-upgrade.ts).
 *
 * This is the one module that enters the session's states for the legs: it asks the pipeline
 * table (shared/pipeline-legs.ts) for the state of each leg as it starts, whether it runs the
 * leg itself or the tunnel reports it (`onLegStart`). The session (ws-session.ts) gives it its
 * primitives through `RouteConnectionHost` and keeps the rest: the lifecycle (open, closing,
 * closed, failed), the open socket, its frames.
 *
 * Races are handled by identity: an `Attempt` is one run of the pipeline and `routeToken` the
 * route being tried now, so a socket or a callback of a route that was replaced, aborted or
 * outlived by the session is destroyed or ignored.
 */
import type net from 'node:net';
import type WebSocket from 'ws';
import type { ConnectionOptions, HandshakeLegName, HandshakeStep, ProxyDecision, SessionState } from '../../shared/model';
import { stateOfLeg } from '../../shared/pipeline-legs';
import { effectiveTimeouts } from '../../shared/timeouts';
import { NetFailure } from '../errors/net-failure';
import type { Clock } from '../net/clock';
import { Deadline } from '../net/deadline';
import type { tcpConnect } from '../net/tcp-connect';
import type { Route } from '../proxy/proxy-endpoint';
import type { ResolveEnvironment, resolveProxy } from '../proxy/resolve';
import type { openTunnel } from '../proxy/tunnel';
import type { startTls } from '../tls/tls-connect';
import type { LocalFiles, loadLocalFiles } from '../tls/local-files';
import { startUpgrade, type UpgradeOutcome } from './ws-upgrade';

/** What the session's TLS offers in ALPN: WebSocket runs over HTTP/1.1. */
const ALPN = ['http/1.1'];

/** The network pieces the route connection uses; injectable so tests can stage races. */
export interface RouteDeps {
  resolveProxy: typeof resolveProxy;
  tcpConnect: typeof tcpConnect;
  openTunnel: typeof openTunnel;
  startTls: typeof startTls;
  loadLocalFiles: typeof loadLocalFiles;
}

/** One run of the connection pipeline; `route` identifies the route being tried now. */
export interface Attempt {
  controller: AbortController;
  route: Route | undefined;
  routeToken: object;
  sockets: Set<net.Socket>;
}

export interface Target {
  host: string;
  port: number;
  secure: boolean;
  /** `host:port`, for messages. */
  authority: string;
}

/** What the route connection needs of its session. */
export interface RouteConnectionHost {
  readonly options: ConnectionOptions;
  /** The URL the upgrade asks for (without its fragment). */
  readonly url: string;
  readonly target: Target;
  /** What the proxy resolution reads (the variables, PAC, the system), and where the OS trust store lookup reads its override. */
  readonly environment: ResolveEnvironment;
  readonly deps: RouteDeps;
  /** The deadlines' clock. */
  readonly timers: Clock;
  /** Whether the attempt is still the session's own, not aborted, and the session has not ended. */
  isCurrent(attempt: Attempt): boolean;
  /** Moves the session to `state` (and says so to its consumers). */
  setState(state: SessionState): void;
  emitStep(step: HandshakeStep): void;
  /** The routes are known: their credentials are secrets from now on (before any step names them). */
  onRoutes(routes: readonly Route[]): void;
  onDecision(decision: ProxyDecision): void;
  /** A route failed and the next is tried: `fallbacks` says so for each route so far. */
  onFallback(fallbacks: readonly string[]): void;
  /** A socket of the attempt reported an error (kept to classify a later close). */
  onSocketError(attempt: Attempt, error: Error): void;
  /** The client the upgrade made, before it opens (so no frame that comes with the 101 is missed). */
  bindClient(ws: WebSocket): void;
  /** The upgrade succeeded: the session is open from here. */
  onOpen(attempt: Attempt, outcome: UpgradeOutcome): void;
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error('aborted');
}

/** Rejects with the signal's reason when it aborts first (for work that takes no signal). */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function routeLabel(route: Route): string {
  return route.kind === 'direct' ? 'DIRECT' : route.proxy.displayUrl;
}

export class RouteConnection {
  constructor(private readonly host: RouteConnectionHost) {}

  /**
   * Runs the opening of one attempt: resolve, the routes, TLS, the upgrade. Settles once the
   * upgrade is done (the host's `onOpen` has run); rejects with the failure (a NetFailure, or
   * the abort's reason).
   */
  async open(attempt: Attempt): Promise<void> {
    const { host } = this;
    const { options } = host;
    const signal = attempt.controller.signal;
    const socket = await this.connect(attempt);
    const route = attempt.route;
    this.enter('upgrade');
    const handle = startUpgrade({
      url: host.url,
      socket,
      headers: options.headers,
      subprotocols: options.subprotocols,
      ...(options.origin !== undefined ? { origin: options.origin } : {}),
      compression: options.compression,
      maxPayload: options.maxMessageBytes,
      deadline: Deadline.named('upgrade', effectiveTimeouts(options).upgradeMs, host.timers),
      signal,
      onStep: (step) => {
        if (host.isCurrent(attempt)) host.emitStep(step);
      },
      onOpen: (outcome) => host.onOpen(attempt, outcome),
      failureDetails: {
        target: host.target.authority,
        ...(route?.kind === 'proxy' ? { proxy: route.proxy.displayUrl } : {}),
      },
    });
    if (handle.ws) host.bindClient(handle.ws);
    await handle.opened;
  }

  /**
   * The way to the server without the upgrade: resolve, each route in turn (a proxy that
   * cannot be reached falls back to the next), TLS for a secure target. Resolves with the
   * connected socket (also tracked in `attempt.sockets`). `open` runs it first; the
   * intercepting proxy runs it alone for what it relays without a session (route-socket.ts).
   */
  async connect(attempt: Attempt): Promise<net.Socket> {
    const { host } = this;
    const { options } = host;
    const signal = attempt.controller.signal;
    this.enter('resolve');
    // Every local file before any leg touches the network (a PAC download included): a bad one fails here, all of them named.
    const loading = host.deps.loadLocalFiles(options, host.target);
    const files = loading instanceof Promise ? await abortable(loading, signal) : loading;
    this.ensureCurrent(attempt);
    const startedAt = Date.now();
    let resolved;
    try {
      resolved = await abortable(host.deps.resolveProxy(host.url, options.proxy, options.proxyAuth, host.environment), signal);
    } catch (error) {
      if (host.isCurrent(attempt)) host.emitStep({ leg: 'resolve', startedAt, ms: Date.now() - startedAt, ok: false });
      throw error;
    }
    this.ensureCurrent(attempt);
    // Credentials of a proxy chosen by the environment or PAC are secrets too.
    host.onRoutes(resolved.routes);
    host.emitStep({ leg: 'resolve', startedAt, ms: Date.now() - startedAt, ok: true });
    host.onDecision(resolved.decision);
    return this.connectRoutes(attempt, resolved.routes, files);
  }

  /** Tries each route in order; a proxy that cannot be reached falls back to the next. */
  private async connectRoutes(attempt: Attempt, routes: readonly Route[], files: LocalFiles): Promise<net.Socket> {
    const fallbacks: string[] = [];
    for (let i = 0; i < routes.length; i++) {
      const route = routes[i];
      if (!route) break;
      const token = {};
      attempt.route = route;
      attempt.routeToken = token;
      try {
        return await this.connectRoute(attempt, token, route, files);
      } catch (error) {
        const next = routes[i + 1];
        const canFallBack =
          next !== undefined &&
          !attempt.controller.signal.aborted &&
          error instanceof NetFailure &&
          error.netError.stage === 'proxy-connect';
        if (!canFallBack || !this.host.isCurrent(attempt)) throw error;
        // Say so: the decision's reason grows with what happened to each route.
        fallbacks.push(`${routeLabel(route)} failed (${error.netError.code}), trying ${routeLabel(next)}`);
        this.host.onFallback(fallbacks);
      }
    }
    throw new Error('no route to try'); // resolveProxy always returns at least one route
  }

  /** Throws when the attempt was aborted or ended, so the pipeline stops at the next step. */
  private ensureCurrent(attempt: Attempt): void {
    if (!this.host.isCurrent(attempt)) throw abortReason(attempt.controller.signal);
  }

  private async connectRoute(attempt: Attempt, token: object, route: Route, files: LocalFiles): Promise<net.Socket> {
    const { options, target, deps, timers } = this.host;
    const signal = attempt.controller.signal;
    const live = (): boolean => this.host.isCurrent(attempt) && attempt.routeToken === token;
    const onStep = (step: HandshakeStep): void => {
      if (live()) this.host.emitStep(step);
    };
    const timeouts = effectiveTimeouts(options);
    // Each connection (to the proxy, or to the server when direct) and each proxy answer has its own deadline.
    const connectDeadline = (): Deadline => Deadline.named('proxy-connect', timeouts.proxyConnectMs, timers);
    const answerDeadline = (): Deadline => Deadline.named('proxy-answer', timeouts.proxyAnswerMs, timers);
    let socket: net.Socket;
    if (route.kind === 'direct') {
      this.enter('tcp');
      socket = await deps.tcpConnect({
        host: target.host,
        port: target.port,
        stage: 'connect',
        deadline: connectDeadline(),
        signal,
        onStep,
        failureDetails: { target: target.authority },
      });
    } else {
      socket = await deps.openTunnel({
        proxy: route.proxy,
        target: { host: target.host, port: target.port },
        proxyCa: route.proxy.protocol === 'https' ? files.proxyCa : [],
        ...(options.tls.trust ? { trust: options.tls.trust } : {}),
        env: this.host.environment.env,
        deadline: connectDeadline(),
        legDeadlines: { connect: connectDeadline, answer: answerDeadline },
        ...(options.proxyAuthScheme ? { authScheme: options.proxyAuthScheme } : {}),
        ...(options.proxyAuthServicePrincipal !== undefined ? { servicePrincipal: options.proxyAuthServicePrincipal } : {}),
        signal,
        onStep,
        onLegStart: (leg) => {
          if (live()) this.enter(leg);
        },
      });
    }
    this.adopt(attempt, token, socket);
    if (!target.secure) return socket;

    this.enter('tls');
    // Read by the preflight for every secure target.
    const material = files.tls;
    if (!material) throw new Error('no TLS material for a secure target');
    const secured = await deps.startTls({
      socket,
      host: target.host,
      port: target.port,
      stage: 'tls',
      material,
      env: this.host.environment.env,
      ...(route.kind === 'proxy' ? { viaProxy: route.proxy.displayUrl } : {}),
      alpnProtocols: ALPN,
      deadline: Deadline.named('tls', timeouts.tlsMs, timers),
      signal,
      onStep,
    });
    this.adopt(attempt, token, secured.socket);
    return secured.socket;
  }

  /** The session enters the state the pipeline table gives the leg. */
  private enter(leg: HandshakeLegName): void {
    this.host.setState(stateOfLeg(leg));
  }

  /** Tracks a socket of this attempt (destroyed on teardown), or destroys it if the attempt is over. */
  private adopt(attempt: Attempt, token: object, socket: net.Socket): void {
    socket.on('error', (error: Error) => this.host.onSocketError(attempt, error));
    if (this.host.isCurrent(attempt) && attempt.routeToken === token) {
      attempt.sockets.add(socket);
      return;
    }
    socket.destroy();
    this.ensureRoute(attempt, token);
  }

  private ensureRoute(attempt: Attempt, token: object): void {
    this.ensureCurrent(attempt);
    if (attempt.routeToken !== token) throw new Error('route replaced');
  }
}
