/**
 * A connection to a server by the engine's own way out, for what the intercepting proxy relays
 * without a session (plain HTTP, passthrough tunnels): `RouteConnection.connect`, the same code
 * a session opens with (proxy resolution from the environment, PAC, system settings or the
 * chosen proxy; each route in turn with the same fallback; the tunnel with the proxy sign-in;
 * TLS with the trust settings for wss://), with no session around it: its states and steps are
 * not recorded anywhere; its proxy decision goes to the caller (a passthrough row shows it).
 */
import type net from 'node:net';
import type { ConnectionOptions, ProxyDecision } from '../../shared/model';
import { parseEndpointUrl } from '../../shared/endpoint-url';
import { systemClock } from '../net/clock';
import { tcpConnect } from '../net/tcp-connect';
import { resolveProxy, type ResolveEnvironment } from '../proxy/resolve';
import { openTunnel } from '../proxy/tunnel';
import { RouteConnection, type Attempt, type RouteDeps } from '../session/route-connection';
import { startTls } from '../tls/tls-connect';
import { loadLocalFiles } from '../tls/local-files';

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error('the caller gave up');
}

const DEPS: RouteDeps = { resolveProxy, tcpConnect, openTunnel, startTls, loadLocalFiles };

/**
 * ws:// → a plain socket to the server; wss:// → TLS to it (ALPN http/1.1). `signal`: the
 * caller gave up (its client went away): the attempt stops where it is and its sockets close.
 * `onDecision`: the proxy decision once resolved, and again with each fallback in its reason (as
 * a session's proxy-decision event says it), so a caller can tell which way out it took.
 */
export async function openRouteSocket(environment: ResolveEnvironment, options: ConnectionOptions, signal?: AbortSignal, onDecision?: (decision: ProxyDecision) => void): Promise<net.Socket> {
  const parsed = parseEndpointUrl(options.url, 'server');
  // The options passed the contract's schema, which reads the URL with the same parser.
  if (!parsed.ok) throw new TypeError(`openRouteSocket needs a ws:// or wss:// URL: ${parsed.problem}`);
  const { host, port, scheme, authority } = parsed.endpoint;
  const attempt: Attempt = { controller: new AbortController(), route: undefined, routeToken: {}, sockets: new Set() };
  const abort = (): void => attempt.controller.abort(signal?.reason);
  if (signal?.aborted) abort();
  else signal?.addEventListener('abort', abort, { once: true });
  const noSession = (): void => undefined;
  let decision: ProxyDecision | undefined;
  const route = new RouteConnection({
    options,
    url: options.url,
    target: { host, port, secure: scheme === 'wss', authority },
    environment,
    deps: DEPS,
    timers: systemClock,
    isCurrent: (current) => current === attempt && !attempt.controller.signal.aborted,
    setState: noSession,
    emitStep: noSession,
    onRoutes: noSession,
    onDecision: (made) => {
      decision = made;
      onDecision?.(made);
    },
    onFallback: (fallbacks) => {
      if (decision) onDecision?.({ ...decision, reason: `${decision.reason}; ${fallbacks.join('; ')}` });
    },
    onSocketError: noSession,
    // connect() stops before the upgrade: these are never called.
    bindClient: noSession,
    onOpen: noSession,
  });
  try {
    const socket = await route.connect(attempt);
    // Given up while the last step finished: the socket is nobody's.
    if (attempt.controller.signal.aborted) throw abortReason(attempt.controller.signal);
    return socket;
  } catch (error) {
    // A tunnel that opened before TLS failed, or an attempt given up, is not left behind.
    for (const socket of attempt.sockets) socket.destroy();
    throw error;
  } finally {
    signal?.removeEventListener('abort', abort);
  }
}
