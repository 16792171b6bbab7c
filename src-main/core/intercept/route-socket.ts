/**
 * A connection to a server by the engine's own way out, for an HTTP request the intercepting
 * proxy relays without a session: the engine's proxy resolution (environment, PAC, system
 * settings or the chosen proxy), its tunnel with the proxy sign-in, its TLS with the trust
 * settings, each route in turn as a session tries them (a proxy that cannot be reached falls
 * back to the next). The same pieces as session/route-connection.ts, without a session's states
 * and steps; to be folded into RouteConnection once its interface has settled.
 */
import type net from 'node:net';
import type { ConnectionOptions } from '../../shared/model';
import { parseEndpointUrl } from '../../shared/endpoint-url';
import { effectiveTimeouts } from '../../shared/timeouts';
import { NetFailure } from '../errors/net-failure';
import { systemClock } from '../net/clock';
import { Deadline } from '../net/deadline';
import { tcpConnect } from '../net/tcp-connect';
import type { Route } from '../proxy/proxy-endpoint';
import { resolveProxy, type ResolveEnvironment } from '../proxy/resolve';
import { openTunnel } from '../proxy/tunnel';
import { startTls } from '../tls/tls-connect';
import { loadCaFiles, loadTlsMaterial } from '../tls/tls-material';

/** What the relayed HTTP runs over. */
const ALPN = ['http/1.1'];

export async function openRouteSocket(environment: ResolveEnvironment, options: ConnectionOptions): Promise<net.Socket> {
  const parsed = parseEndpointUrl(options.url, 'server');
  // The options passed the contract's schema, which reads the URL with the same parser.
  if (!parsed.ok) throw new TypeError(`openRouteSocket needs a ws:// or wss:// URL: ${parsed.problem}`);
  const { routes } = await resolveProxy(options.url, options.proxy, options.proxyAuth, environment);
  for (let i = 0; i < routes.length; i++) {
    const route = routes[i];
    if (!route) break;
    try {
      return await connectRoute(environment, options, parsed.endpoint, route);
    } catch (error) {
      const canFallBack = i + 1 < routes.length && error instanceof NetFailure && error.netError.stage === 'proxy-connect';
      if (!canFallBack) throw error;
    }
  }
  throw new Error('no route to try'); // resolveProxy always returns at least one route
}

async function connectRoute(
  environment: ResolveEnvironment,
  options: ConnectionOptions,
  endpoint: { host: string; port: number; scheme: string; authority: string },
  route: Route,
): Promise<net.Socket> {
  const timeouts = effectiveTimeouts(options);
  const connectDeadline = (): Deadline => Deadline.named('proxy-connect', timeouts.proxyConnectMs, systemClock);
  const answerDeadline = (): Deadline => Deadline.named('proxy-answer', timeouts.proxyAnswerMs, systemClock);
  const { host, port, authority } = endpoint;
  const socket =
    route.kind === 'direct'
      ? await tcpConnect({ host, port, stage: 'connect', deadline: connectDeadline(), failureDetails: { target: authority } })
      : await openTunnel({
          proxy: route.proxy,
          target: { host, port },
          proxyCa: route.proxy.protocol === 'https' ? await loadCaFiles(options.proxyCaFiles, 'proxy-tls') : [],
          ...(options.tls.trust ? { trust: options.tls.trust } : {}),
          env: environment.env,
          deadline: connectDeadline(),
          legDeadlines: { connect: connectDeadline, answer: answerDeadline },
          ...(options.proxyAuthScheme ? { authScheme: options.proxyAuthScheme } : {}),
        });
  if (endpoint.scheme !== 'wss') return socket;
  try {
    const secured = await startTls({
      socket,
      host,
      port,
      stage: 'tls',
      material: await loadTlsMaterial(options.tls, 'tls'),
      env: environment.env,
      ...(route.kind === 'proxy' ? { viaProxy: route.proxy.displayUrl } : {}),
      alpnProtocols: ALPN,
      deadline: Deadline.named('tls', timeouts.tlsMs, systemClock),
    });
    return secured.socket;
  } catch (error) {
    socket.destroy();
    throw error;
  }
}
