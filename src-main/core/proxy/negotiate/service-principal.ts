/**
 * The service principal a Negotiate ticket is asked for. By default `HTTP@<proxy host>` as the
 * browsers do (the host as it is written in the proxy URL; the Kerberos library canonicalises
 * it or not as krb5.conf says); a connection may set another (shared/service-principal.ts).
 * GSSAPI takes `service@host`, SSPI `service/host`.
 */
import type { ServicePrincipal } from '../../../shared/service-principal';

/** `HTTP@host` for the proxy's host (an IPv6 literal without its brackets). */
export function defaultServicePrincipal(proxyHost: string): ServicePrincipal {
  return { service: 'HTTP', host: proxyHost.replace(/^\[(.*)\]$/, '$1') };
}

/** The name as the platform's library takes it. */
export function gssServiceName(principal: ServicePrincipal, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? `${principal.service}/${principal.host}` : `${principal.service}@${principal.host}`;
}
