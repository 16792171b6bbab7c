/**
 * The proxy phase in one call: TCP to the proxy, TLS to it for an https:// proxy, then the
 * tunnel (HTTP CONNECT, or SOCKS5). Each connection to the proxy has the proxy-connect deadline,
 * each request to it the proxy-answer deadline (`legDeadlines`; without them one Deadline
 * covers all of it). CONNECT is used for ws://
 * and wss:// targets alike, so the upgrade reaches the server intact. The socket returned
 * carries the tunnel; whatever the proxy sent right after opening it is still readable on it
 * (the socket is not flowing: the first 'data' listener or a TLS wrap starts reading).
 *
 * Credentials the connection holds for whichever proxy was chosen are sent only after that
 * proxy answers 407 offering Basic: on the same connection when the proxy keeps it open, else
 * on a new one (credentials set for the proxy itself go with the first CONNECT).
 *
 * Failures are NetFailures whose stage says which leg failed (proxy-connect, proxy-tls,
 * tunnel); an abort rejects with the signal's reason. Every socket is destroyed on failure.
 * On success the caller owns the socket and must attach its own 'error' listener at once.
 */
import type net from 'node:net';
import type { HandshakeStep, TrustSetting } from '../../shared/model';
import { NetFailure } from '../errors/net-failure';
import type { Deadline } from '../net/deadline';
import { formatHostPort } from '../../shared/host-port';
import { tcpConnect } from '../net/tcp-connect';
import type { Env } from '../tls/os-trust-store';
import { startTls } from '../tls/tls-connect';
import { openHttpTunnel, type HttpTunnelOutcome } from './http-tunnel';
import type { ProxyEndpoint } from './proxy-endpoint';
import { connectViaSocks5 } from './socks-tunnel';

export interface TunnelRequest {
  proxy: ProxyEndpoint;
  target: { host: string; port: number };
  /** Extra CA PEMs for an https:// proxy. */
  proxyCa: Buffer[];
  /** Which roots an https:// proxy's certificate is checked against (default DEFAULT_TRUST). */
  trust?: TrustSetting;
  /** Where the OS trust store lookup reads its override; default process.env. */
  env?: Env;
  /** The whole proxy phase, unless `legDeadlines` are given. */
  deadline: Deadline;
  /**
   * Fresh deadlines per leg: `connect` for each TCP connection (and TLS) to the proxy, `answer`
   * for each request (CONNECT or SOCKS) until the proxy's answer is read.
   */
  legDeadlines?: { connect(): Deadline; answer(): Deadline };
  /** Abort = the user closed during connect. */
  signal?: AbortSignal;
  onStep?: (step: HandshakeStep) => void;
  onPhase?: (state: 'connecting' | 'proxy-tls' | 'tunneling') => void;
}

export async function openTunnel(request: TunnelRequest): Promise<net.Socket> {
  const { proxy } = request;
  if (proxy.protocol === 'socks5' || proxy.username === undefined || proxy.credentialsOnChallenge !== true) {
    return opened(await openTunnelOnce(request, proxy));
  }
  // Credentials meant for whichever proxy was chosen go only to one that asks for them.
  const { username: _username, password: _password, ...anonymous } = proxy;
  let first: HttpTunnelOutcome;
  try {
    first = await openTunnelOnce(request, anonymous, true);
  } catch (error) {
    if (!asksForBasic(error)) throw error;
    // The proxy closed the connection after its 407: a new one, with them.
    return opened(await openTunnelOnce(request, proxy));
  }
  if (first.kind === 'open') return first.socket;
  if (!asksForBasic(first.failure)) {
    first.socket.destroy();
    throw first.failure;
  }
  // The proxy kept the connection open after its 407: the credentials go on it.
  try {
    return opened(await openHttpTunnel({ ...common(request, proxy), socket: first.socket }));
  } catch (error) {
    first.socket.destroy();
    throw error;
  }
}

/** The socket of an open tunnel; a 407 kept for a retry is not expected here, and fails. */
function opened(outcome: HttpTunnelOutcome): net.Socket {
  if (outcome.kind === 'open') return outcome.socket;
  outcome.socket.destroy();
  throw outcome.failure;
}

/** What a request to the proxy needs, with its answer deadline starting now. */
function common(request: TunnelRequest, proxy: ProxyEndpoint) {
  const { target, signal, onStep } = request;
  const deadline = request.legDeadlines?.answer() ?? request.deadline;
  return { proxy, target, deadline, ...(signal ? { signal } : {}), ...(onStep ? { onStep } : {}) };
}

/** A 407 that Basic credentials can answer (one that names no scheme is tried too). */
function asksForBasic(error: unknown): boolean {
  if (!(error instanceof NetFailure) || error.netError.code !== 'PROXY_AUTH_REQUIRED') return false;
  const schemes = error.netError.details.authSchemes ?? [];
  return schemes.length === 0 || schemes.some((scheme) => scheme.toLowerCase() === 'basic');
}

/** TCP (and TLS) to the proxy, then the tunnel on it. */
async function openTunnelOnce(request: TunnelRequest, proxy: ProxyEndpoint, keepOnChallenge = false): Promise<HttpTunnelOutcome> {
  const { target, signal, onStep, onPhase } = request;
  const deadline = request.legDeadlines?.connect() ?? request.deadline;
  const failureDetails = { target: formatHostPort(target.host, target.port), proxy: proxy.displayUrl };
  onPhase?.('connecting');
  const tcp = await tcpConnect({
    host: proxy.host,
    port: proxy.port,
    stage: 'proxy-connect',
    deadline,
    ...(signal ? { signal } : {}),
    ...(onStep ? { onStep } : {}),
    failureDetails,
  });
  try {
    if (proxy.protocol === 'socks5') {
      onPhase?.('tunneling');
      return { kind: 'open', socket: await connectViaSocks5({ ...common(request, proxy), socket: tcp }) };
    }
    let socket: net.Socket = tcp;
    if (proxy.protocol === 'https') {
      onPhase?.('proxy-tls');
      const secured = await startTls({
        socket: tcp,
        host: proxy.host,
        port: proxy.port,
        stage: 'proxy-tls',
        material: { ca: request.proxyCa, insecure: false, ...(request.trust ? { trust: request.trust } : {}) },
        ...(request.env ? { env: request.env } : {}),
        deadline,
        ...(signal ? { signal } : {}),
        ...(onStep ? { onStep } : {}),
      });
      socket = secured.socket;
    }
    onPhase?.('tunneling');
    return await openHttpTunnel({ ...common(request, proxy), socket, keepOnChallenge });
  } catch (error) {
    // Each leg cleans up after itself; this makes sure the TCP connection never outlives a failure.
    tcp.destroy();
    throw error;
  }
}
