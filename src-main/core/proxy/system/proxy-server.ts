/**
 * One proxy as OS settings write it (a host field and a port field, or `host:port`) read with
 * the same URL rules as every other proxy (parse-proxy-url.ts), so a junk host is a note
 * naming the setting, never a crash or a silent guess.
 */
import type { ProxyEndpoint } from '../proxy-endpoint';
import { redactProxyUrlText, tryParseProxyUrl } from '../parse-proxy-url';
import { quoted } from './system-settings';

export type ServerRead = { ok: true; proxy: ProxyEndpoint } | { ok: false; note: string };

/**
 * `protocol` is what the setting means (an HTTP proxy, or SOCKS read as SOCKS5); a host that
 * carries its own scheme (`http://proxy.corp`, people type that into GNOME's dialog) keeps it
 * when it is one we speak. `where` names the setting in the note: "https-proxy".
 */
export function readProxyServer(protocol: 'http' | 'socks5', host: string, port: number | undefined, where: string): ServerRead {
  let text = host.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  let chosen: string = protocol;
  if (scheme !== null) {
    text = text.slice(scheme[0].length).replace(/\/+$/, '');
    const given = scheme[1]?.toLowerCase() ?? '';
    chosen = given === 'socks' || given === 'socks4' || given === 'socks5' || given === 'socks5h' ? 'socks5' : given;
  }
  // A bare IPv6 address needs brackets before a port can follow it.
  if (text.split(':').length > 2 && !text.startsWith('[')) text = `[${text}]`;
  const withPort = port === undefined ? text : `${text}:${port}`;
  const parsed = tryParseProxyUrl(`${chosen}://${withPort}`);
  const given = redactProxyUrlText(port === undefined ? host.trim() : `${host.trim()}:${port}`);
  if (!parsed.ok) return { ok: false, note: `${where} ${quoted(given)} skipped: ${parsed.problem}` };
  return { ok: true, proxy: parsed.endpoint };
}
