/**
 * The OS proxy settings as every reader (GNOME, KDE, macOS, Windows) hands them on: which
 * methods are on, in the order browsers try them (auto-detection by WPAD, a PAC URL, fixed
 * proxies), and how to say so in one line.
 */
import { formatHostPort } from '../../../shared/host-port';
import type { ProxyEndpoint } from '../proxy-endpoint';
import { redactProxyUrlText } from '../parse-proxy-url';

export interface ManualProxies {
  /** For ws:// (asked about as http://). */
  http?: ProxyEndpoint;
  /** For wss:// (asked about as https://); still a proxy spoken to in plain HTTP (CONNECT). */
  https?: ProxyEndpoint;
  /** Used when the scheme's own proxy is not set. */
  socks?: ProxyEndpoint;
  /** Hosts that go straight (bypass-rules.ts reads the entries). */
  bypass: string[];
  /** How the settings name that list in the reason: "ignore-hosts", "NoProxyFor", … */
  bypassName: string;
  /** KDE's ReversedException: the list names the only hosts that use the proxy. */
  reversed?: boolean;
  /** Windows `<local>`, macOS ExcludeSimpleHostnames: names without a dot go straight. */
  bypassSimpleNames?: boolean;
}

export interface SystemProxySettings {
  /** "GNOME proxy settings", "KDE proxy settings (~/.config/kioslaverc)", … */
  label: string;
  /** What is set, in words: "manual, https-proxy proxy.corp:8080", "none". */
  summary: string;
  /** WPAD by DNS (tried first, as browsers do). */
  autoDetect: boolean;
  /** A PAC file named by the settings (tried after WPAD). */
  pacUrl?: string;
  /** Fixed proxies (tried last). */
  manual?: ManualProxies;
  /** Entries the reader skipped, and why (a port 0, a host that is not a host). */
  notes: string[];
}

/** Settings that could not be read or make no sense; the message names what and where. */
export class SystemSettingsError extends Error {
  override name = 'SystemSettingsError';
}

/** host:port for summaries: never the credentials a URL may carry. */
export function hostPort(proxy: ProxyEndpoint): string {
  return formatHostPort(proxy.host, proxy.port);
}

/** A URL from the settings as a reason shows it: a `user:password@` in it becomes `***@`. */
export function shownUrl(url: string, max = 200): string {
  const shown = redactProxyUrlText(url.trim()).replace(/[\u0000-\u001f\u007f]/g, '?');
  return shown.length > max ? `${shown.slice(0, max)}…` : shown;
}

/**
 * Quoted for a message: JSON quoting shows control characters instead of printing them, and
 * any `user:password@` (settings text may hold a proxy URL with credentials) becomes `***@`.
 */
export function quoted(text: string, max = 120): string {
  const safe = text.replace(/[^\s/@'"]+:[^\s/@'"]*@/g, '***@');
  return JSON.stringify(safe.length > max ? `${safe.slice(0, max)}…` : safe);
}
