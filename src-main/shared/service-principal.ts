/**
 * A Negotiate service principal as a connection sets it: `HTTP@proxy.corp.example`, or the
 * Windows spelling `HTTP/proxy.corp.example`, both read as service and host. The realm is not
 * part of it: the Kerberos library finds it from krb5.conf (GSSAPI takes host-based names).
 * Shared by the contract's schema, the CLI's flag and the engine.
 */

export interface ServicePrincipal {
  service: string;
  host: string;
}

const SERVICE = /^[A-Za-z][A-Za-z0-9._-]*$/;
const HOST = /^[A-Za-z0-9._:-]+$/;

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

/** `HTTP@proxy.corp`: how the transcript and the errors name it. */
export function principalText(principal: ServicePrincipal): string {
  return `${principal.service}@${principal.host}`;
}
