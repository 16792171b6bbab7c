/**
 * The proxy phase in one call: TCP to the proxy, TLS to it for an https:// proxy, then the
 * tunnel (HTTP CONNECT, or SOCKS5). Each connection to the proxy has the proxy-connect deadline,
 * each request to it the proxy-answer deadline (`legDeadlines`; without them one Deadline
 * covers all of it). CONNECT is used for ws://
 * and wss:// targets alike, so the upgrade reaches the server intact. The socket returned
 * carries the tunnel; whatever the proxy sent right after opening it is still readable on it
 * (the socket is not flowing: the first 'data' listener or a TLS wrap starts reading).
 *
 * Credentials are sent only after the proxy answers 407 and names its schemes (Negotiate, NTLM,
 * Digest or Basic, proxy-sign-in.ts): on the same connection when the proxy keeps it open, else
 * on a new one. Only credentials set for the proxy itself under a fixed scheme go with the first
 * CONNECT: Basic when the setting is Basic, NTLM's NEGOTIATE when it is NTLM. NTLM's
 * AUTHENTICATE goes only on the connection that brought its CHALLENGE. Each round is a `proxy`
 * step of its own.
 *
 * Failures are NetFailures whose stage says which leg failed (proxy-connect, proxy-tls,
 * tunnel); an abort rejects with the signal's reason. Every socket is destroyed on failure.
 * On success the caller owns the socket and must attach its own 'error' listener at once.
 */
import type net from 'node:net';
import type { HandshakeLegName, HandshakeStep, ProxyAuthScheme, TrustSetting } from '../../shared/model';
import { NetFailure } from '../errors/net-failure';
import type { Deadline } from '../net/deadline';
import { formatHostPort } from '../../shared/host-port';
import { tcpConnect } from '../net/tcp-connect';
import type { Env } from '../tls/os-trust-store';
import { startTls } from '../tls/tls-connect';
import { closedUnanswered, openHttpTunnel, type HttpTunnelOutcome } from './http-tunnel';
import type { ProxyEndpoint } from './proxy-endpoint';
import { ProxySignIn, type SignInCredentials, type SignInOptions } from './proxy-sign-in';
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
  /**
   * A leg towards the proxy starts: TCP to it, TLS to an https:// proxy, the CONNECT (or SOCKS)
   * request. Reported, not acted on here: the route connection (session/route-connection.ts)
   * enters the session's state for it from the pipeline table.
   */
  onLegStart?: (leg: ProxyLeg) => void;
  /** The proxy sign-in scheme: the strongest usable one offered (default), or one only. */
  authScheme?: ProxyAuthScheme;
  /** Tests fix NTLM's clock and client challenge. */
  signInHooks?: SignInOptions['ntlm'];
  /** Negotiate's service principal (`HTTP@proxy.corp`); unset: `HTTP@<proxy host>`. */
  servicePrincipal?: string;
}

/** The legs a tunnel runs (shared/pipeline-legs.ts). */
export type ProxyLeg = Extract<HandshakeLegName, 'tcp' | 'proxy-tls' | 'proxy'>;

export async function openTunnel(request: TunnelRequest): Promise<net.Socket> {
  const { proxy, target } = request;
  if (proxy.protocol === 'socks5') {
    return opened(await openTunnelOnce(request, proxy));
  }
  // Without a user name only Negotiate (the user's Kerberos ticket) can answer a 407.
  const signIn = new ProxySignIn({
    username: proxy.username ?? '',
    password: proxy.password ?? '',
    withCredentials: proxy.username !== undefined,
    negotiate: { proxyHost: proxy.host, ...(request.servicePrincipal !== undefined ? { servicePrincipal: request.servicePrincipal } : {}) },
    ...(proxy.domain !== undefined ? { domain: proxy.domain } : {}),
    setting: request.authScheme ?? 'auto',
    uri: formatHostPort(target.host, target.port),
    ...(request.signInHooks ? { ntlm: request.signInHooks } : {}),
  });
  // Credentials meant for whichever proxy was chosen go only to one that asks for them; those
  // set for the proxy itself go with the first CONNECT only when the setting fixes Basic (or
  // NTLM, whose NEGOTIATE holds no secret). Auto waits for the 407's offer.
  let credentials = proxy.credentialsOnChallenge === true ? undefined : await signIn.preemptive();
  let round = 1;
  let outcome = await challengeOrThrow(openTunnelOnce(request, proxy, { credentials, round }));
  // Bounded by the sign-in (each scheme once, Digest once more after stale=true, NTLM's two
  // messages); the cap is a backstop.
  for (;;) {
    if (outcome.kind === 'open') return outcome.socket;
    const { failure, socket } = outcome;
    // NTLM's AUTHENTICATE can only go on the connection that carried its CHALLENGE (`kept`).
    const next = round < MAX_SIGN_IN_ROUNDS ? await signIn.next(failure, { kept: socket !== undefined }) : { kind: 'fail' as const, failure };
    if (next.kind === 'fail') {
      socket?.destroy();
      throw next.failure;
    }
    credentials = next.credentials;
    round += 1;
    const options = { credentials, round };
    // On the same connection when the proxy kept it open after its 407, else on a new one.
    outcome = await challengeOrThrow(socket ? onSameConnection(request, proxy, socket, options) : openTunnelOnce(request, proxy, options));
  }
}

/** Anonymous, Digest, Digest after a stale nonce; or anonymous, NTLM NEGOTIATE, AUTHENTICATE (a fixed Basic or NTLM goes with the first). */
const MAX_SIGN_IN_ROUNDS = 5;

/** A round's end: the tunnel, or a 407 (with the connection when the proxy kept it open). */
type RoundOutcome = { kind: 'open'; socket: net.Socket } | { kind: 'challenged'; failure: NetFailure; socket?: net.Socket };

interface RoundOptions {
  credentials: SignInCredentials | undefined;
  round: number;
}

/** A 407 the proxy closed after becomes a challenge without a socket; every other failure is thrown. */
async function challengeOrThrow(attempt: Promise<HttpTunnelOutcome>): Promise<RoundOutcome> {
  try {
    return await attempt;
  } catch (error) {
    if (isChallenge(error)) return { kind: 'challenged', failure: error };
    throw error;
  }
}

function isChallenge(error: unknown): error is NetFailure {
  return error instanceof NetFailure && (error.netError.code === 'PROXY_AUTH_REQUIRED' || error.netError.code === 'PROXY_AUTH_FAILED');
}

async function onSameConnection(request: TunnelRequest, proxy: ProxyEndpoint, socket: net.Socket, options: RoundOptions): Promise<HttpTunnelOutcome> {
  try {
    return await openHttpTunnel({ ...common(request, proxy), socket, keepOnChallenge: true, ...connectAuth(options) });
  } catch (error) {
    socket.destroy();
    // A proxy that closes right after a 407 that did not say so (its FIN still on the way): the
    // CONNECT went on a dead connection and got no answer, so it goes again on a new one, as HTTP
    // clients do with a stale kept-alive connection. Not a connection-bound token (NTLM,
    // Negotiate), which only the old connection could take.
    if (closedUnanswered(error) && !request.signal?.aborted && !connectionBound(options.credentials)) return openTunnelOnce(request, proxy, options);
    throw error;
  }
}

function connectionBound(credentials: SignInCredentials | undefined): boolean {
  const scheme = credentials?.sent.scheme.toLowerCase();
  return scheme === 'ntlm' || scheme === 'negotiate';
}

function connectAuth({ credentials, round }: RoundOptions): { credentials?: SignInCredentials; authRound: number } {
  return { ...(credentials ? { credentials } : {}), authRound: round };
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

/** TCP (and TLS) to the proxy, then the tunnel on it. */
async function openTunnelOnce(request: TunnelRequest, proxy: ProxyEndpoint, signIn?: RoundOptions): Promise<HttpTunnelOutcome> {
  const { target, signal, onStep, onLegStart } = request;
  const deadline = request.legDeadlines?.connect() ?? request.deadline;
  const failureDetails = { target: formatHostPort(target.host, target.port), proxy: proxy.displayUrl };
  onLegStart?.('tcp');
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
      onLegStart?.('proxy');
      return { kind: 'open', socket: await connectViaSocks5({ ...common(request, proxy), socket: tcp }) };
    }
    let socket: net.Socket = tcp;
    if (proxy.protocol === 'https') {
      onLegStart?.('proxy-tls');
      const secured = await startTls({
        socket: tcp,
        host: proxy.host,
        port: proxy.port,
        stage: 'proxy-tls',
        material: { ca: request.proxyCa, insecure: false, ...(request.trust ? { trust: request.trust } : {}) },
        failurePlace: failureDetails,
        ...(request.env ? { env: request.env } : {}),
        deadline,
        ...(signal ? { signal } : {}),
        ...(onStep ? { onStep } : {}),
      });
      socket = secured.socket;
    }
    onLegStart?.('proxy');
    // Signing in, a 407 the proxy keeps the connection open after is answered on it.
    return await openHttpTunnel({ ...common(request, proxy), socket, ...(signIn ? { keepOnChallenge: true, ...connectAuth(signIn) } : {}) });
  } catch (error) {
    // Each leg cleans up after itself; this makes sure the TCP connection never outlives a failure.
    tcp.destroy();
    throw error;
  }
}
