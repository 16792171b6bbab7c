/**
 * The `proxy` leg of the handshake timeline, for CONNECT and SOCKS5 alike: timed from when the
 * reporter is made, with the request sent and, when one came, the proxy's answer.
 */
import type { HandshakeStep, HttpCapture, ProxyAuthRound } from '../../shared/model';
import { formatHostPort } from '../../shared/host-port';
import type { ProxyEndpoint } from './proxy-endpoint';

export type ProxyLegReport = (ok: boolean, response?: HttpCapture, auth?: ProxyAuthRound) => void;

export function proxyLegReporter(proxy: ProxyEndpoint, request: HttpCapture, onStep: ((step: HandshakeStep) => void) | undefined): ProxyLegReport {
  const startedAt = Date.now();
  return (ok, response, auth) => {
    onStep?.({
      leg: 'proxy',
      startedAt,
      ms: Date.now() - startedAt,
      ok,
      peer: formatHostPort(proxy.host, proxy.port),
      request,
      ...(response ? { response } : {}),
      ...(auth ? { auth } : {}),
    });
  };
}
