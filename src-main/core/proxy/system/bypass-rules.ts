/**
 * Whether OS proxy settings send a host straight: GNOME ignore-hosts, KDE NoProxyFor, macOS
 * ExceptionsList, Windows ProxyOverride. One reading for all four, as Chromium reads them:
 *
 * - `*` alone: every host;
 * - `<local>`: a name without a dot (not an IP address);
 * - an address range `10.0.0.0/8`, `169.254/16` (macOS leaves out zero octets), `fe80::/10`;
 * - `*` anywhere else is a wildcard (`*.corp`, `10.*`, `*example.com`), matched on the whole host;
 * - a leading dot (`.corp`) matches every name under it;
 * - anything else the host exactly; `host:port` only on that port.
 *
 * Case does not matter. The entry that matched comes back, for the reason text.
 */
import { BlockList, isIP } from 'node:net';

export function findBypassEntry(entries: readonly string[], host: string, port: number): string | undefined {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry !== '' && entryMatches(entry.toLowerCase(), name, port)) return entry;
  }
  return undefined;
}

function entryMatches(entry: string, host: string, port: number): boolean {
  if (entry === '*') return true;
  if (entry === '<local>') return !host.includes('.') && isIP(host) === 0;
  // A scheme in front (`https://host`) says nothing more here: a connection is http(s) either way.
  let pattern = entry.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  if (pattern.includes('/')) return inRange(pattern, host);
  // `host:port` (not an IPv6 address, which has more colons).
  const withPort = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(pattern);
  if (withPort?.[1] !== undefined && withPort[2] !== undefined) {
    if (Number.parseInt(withPort[2], 10) !== port) return false;
    pattern = withPort[1];
  }
  pattern = pattern.replace(/^\[(.*)\]$/, '$1');
  if (pattern.includes('*')) return wildcard(pattern).test(host);
  if (pattern.startsWith('.')) return host.endsWith(pattern);
  return host === pattern;
}

function wildcard(pattern: string): RegExp {
  const body = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`);
}

function inRange(entry: string, host: string): boolean {
  const family = isIP(host);
  if (family === 0) return false;
  const slash = entry.lastIndexOf('/');
  let address = entry.slice(0, slash);
  const prefix = Number(entry.slice(slash + 1));
  if (!/^\d{1,3}$/.test(entry.slice(slash + 1))) return false;
  // macOS writes 169.254/16 for 169.254.0.0/16.
  if (/^\d{1,3}(\.\d{1,3}){0,2}$/.test(address)) address = [...address.split('.'), '0', '0', '0'].slice(0, 4).join('.');
  const rangeFamily = isIP(address);
  if (rangeFamily === 0 || rangeFamily !== family || prefix > (family === 4 ? 32 : 128)) return false;
  const list = new BlockList();
  list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
  return list.check(host, family === 4 ? 'ipv4' : 'ipv6');
}
