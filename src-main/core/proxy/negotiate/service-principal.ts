/**
 * The service principal a Negotiate ticket is asked for. By default `HTTP@<proxy host>` as the
 * browsers do (the host as it is written in the proxy URL; the Kerberos library canonicalises
 * it or not as krb5.conf says). A connection may set another: `HTTP@proxy.corp.example` or
 * `HTTP/proxy.corp.example` (the Windows spelling), both read as service and host. GSSAPI
 * takes `service@host`, SSPI `service/host`.
 */

export interface ServicePrincipal {
  service: string;
  host: string;
}

const SERVICE = /^[A-Za-z][A-Za-z0-9._-]*$/;
const HOST = /^[A-Za-z0-9._:-]+$/;

/** `HTTP@host` for the proxy's host (an IPv6 literal without its brackets). */
export function defaultServicePrincipal(proxyHost: string): ServicePrincipal {
  return { service: 'HTTP', host: proxyHost.replace(/^\[(.*)\]$/, '$1') };
}

/** The setting read, or what is wrong with it. */
export function parseServicePrincipal(text: string): { ok: true; principal: ServicePrincipal } | { ok: false; problem: string } {
  const value = text.trim();
  const match = /^([^@/]+)[@/]([^@/]+)$/.exec(value);
  if (!match) {
    return value.includes('@') && value.includes('/')
      ? { ok: false, problem: `"${value}" names a realm too; write the service and host only (HTTP@proxy.corp.example): the realm comes from krb5.conf` }
      : { ok: false, problem: `"${value}" is not a service principal; write it as HTTP@proxy.corp.example (or HTTP/proxy.corp.example)` };
  }
  const [, service = '', host = ''] = match;
  if (!SERVICE.test(service)) return { ok: false, problem: `"${service}" is not a Kerberos service name (letters, digits, . _ -)` };
  if (!HOST.test(host)) return { ok: false, problem: `"${host}" is not a host name` };
  return { ok: true, principal: { service, host } };
}

/** The name as the platform's library takes it. */
export function gssServiceName(principal: ServicePrincipal, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? `${principal.service}/${principal.host}` : `${principal.service}@${principal.host}`;
}

/** `HTTP@proxy.corp`: how the transcript and the errors name it. */
export function principalText(principal: ServicePrincipal): string {
  return `${principal.service}@${principal.host}`;
}
