/**
 * A proxy to connect through, with credentials (which never leave the engine: everything
 * shown to the user uses `displayUrl`, which has none).
 */
import type { ProxyCandidate } from '../../shared/model';

export interface ProxyEndpoint {
  protocol: 'http' | 'https' | 'socks5';
  host: string;
  port: number;
  username?: string;
  password?: string;
  /** The NTLM domain for a plain user name (the connection's proxyAuth.domain). */
  domain?: string;
  /**
   * The credentials are the connection's "for whichever proxy is chosen" (Auto, PAC, system,
   * environment), not this proxy's own: they are sent only after it answers 407, whatever the
   * sign-in setting. Credentials set for a manual proxy or in its URL go with the first CONNECT
   * only when the setting is Basic (or NTLM's NEGOTIATE, under NTLM); under Auto they too wait.
   */
  credentialsOnChallenge?: boolean;
  /** `http://proxy.corp:3128`: no credentials, safe to show and log. */
  displayUrl: string;
}

/** One way to reach the server: straight, or through one proxy. */
export type Route = { kind: 'direct' } | { kind: 'proxy'; proxy: ProxyEndpoint };

export function routeToCandidate(route: Route): ProxyCandidate {
  if (route.kind === 'direct') {
    return { url: 'direct', protocol: 'direct', host: '', port: 0, hasCredentials: false };
  }
  const { proxy } = route;
  return {
    url: proxy.displayUrl,
    protocol: proxy.protocol,
    host: proxy.host,
    port: proxy.port,
    hasCredentials: proxy.username !== undefined,
  };
}
