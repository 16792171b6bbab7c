/**
 * Windows's per-user proxy settings, as `reg query "HKCU\…\Internet Settings"` prints them:
 * ProxyEnable with ProxyServer (`host:port` for every scheme, or `http=a:1;https=b:2;socks=c:3`),
 * ProxyOverride (`;`-separated, wildcards, `<local>` for names without a dot), AutoConfigURL
 * and AutoDetect; and "Automatically detect settings" as the Settings app stores it, the
 * auto-detect flag (0x08) of the Connections key's DefaultConnectionSettings.
 */
import type { CommandRunner } from './run-command';
import { readProxyServer } from './proxy-server';
import { SystemSettingsError, hostPort, quoted, shownUrl, type ManualProxies, type SystemProxySettings } from './system-settings';

export const INTERNET_SETTINGS_KEY = 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings';
export const CONNECTIONS_KEY = `${INTERNET_SETTINGS_KEY}\\Connections`;
export const WINDOWS_LABEL = 'Windows Internet Settings';
/** DefaultConnectionSettings: a version, a counter, then the flags (little-endian) at byte 8. */
const AUTO_DETECT_FLAG = 0x08;

interface RegistryValue {
  type: string;
  data: string;
}

export async function readWindowsSettings(run: CommandRunner): Promise<SystemProxySettings> {
  const [settings, connections] = await Promise.all([
    run('reg', ['query', INTERNET_SETTINGS_KEY]),
    // Missing on a fresh profile (reg exits 1): then only the AutoDetect value counts.
    run('reg', ['query', CONNECTIONS_KEY, '/v', 'DefaultConnectionSettings']).catch(() => undefined),
  ]);
  return parseInternetSettings(settings, connections);
}

/** `connections` is `reg query …\Connections /v DefaultConnectionSettings`, when there is one. */
export function parseInternetSettings(text: string, connections?: string): SystemProxySettings {
  const values = parseRegQuery(text);
  const notes: string[] = [];
  const parts: string[] = [];

  const detectFlag = connections === undefined ? false : autoDetectFlag(connections, notes);
  const autoDetect = dword(values, 'AutoDetect', notes) === 1 || detectFlag;
  if (autoDetect) parts.push(detectFlag ? 'automatically detect settings (DefaultConnectionSettings)' : 'AutoDetect');
  const pacUrl = string(values, 'AutoConfigURL', notes)?.trim();
  if (pacUrl !== undefined && pacUrl !== '') parts.push(`AutoConfigURL ${shownUrl(pacUrl)}`);

  let manual: ManualProxies | undefined;
  const enabled = dword(values, 'ProxyEnable', notes) === 1;
  const server = string(values, 'ProxyServer', notes)?.trim() ?? '';
  if (enabled && server !== '') {
    manual = proxyServers(server, notes);
    const override = string(values, 'ProxyOverride', notes) ?? '';
    manual.bypass = override.split(';').map((entry) => entry.trim()).filter((entry) => entry !== '' && entry.toLowerCase() !== '<local>');
    if (override.split(';').some((entry) => entry.trim().toLowerCase() === '<local>')) manual.bypassSimpleNames = true;
    const named = (['http', 'https', 'socks'] as const).flatMap((slot) => {
      const proxy = manual?.[slot];
      return proxy === undefined ? [] : [`${slot} ${hostPort(proxy)}`];
    });
    parts.push(`ProxyServer ${named.length === 0 ? 'with no usable entry' : named.join(', ')}`);
  } else if (server !== '') {
    parts.push('ProxyServer set but ProxyEnable is 0');
  }
  return {
    label: WINDOWS_LABEL,
    summary: parts.length === 0 ? 'no proxy set' : parts.join(', '),
    autoDetect,
    ...(pacUrl !== undefined && pacUrl !== '' ? { pacUrl } : {}),
    ...(manual !== undefined ? { manual } : {}),
    notes,
  };
}

/** `host:port` for every scheme, or `scheme=host:port` entries separated by `;`. */
function proxyServers(text: string, notes: string[]): ManualProxies {
  const manual: ManualProxies = { bypass: [], bypassName: 'ProxyOverride' };
  if (!text.includes('=')) {
    const read = readProxyServer('http', text, undefined, 'ProxyServer');
    if (read.ok) {
      manual.http = read.proxy;
      manual.https = read.proxy;
    } else {
      notes.push(read.note);
    }
    return manual;
  }
  for (const entry of text.split(';').map((part) => part.trim()).filter((part) => part !== '')) {
    const equals = entry.indexOf('=');
    const scheme = equals < 0 ? '' : entry.slice(0, equals).trim().toLowerCase();
    const address = equals < 0 ? '' : entry.slice(equals + 1).trim();
    if (scheme !== 'http' && scheme !== 'https' && scheme !== 'socks') {
      if (scheme !== 'ftp') notes.push(`ProxyServer entry ${quoted(entry)} skipped: not http=, https= or socks=`);
      continue;
    }
    const read = readProxyServer(scheme === 'socks' ? 'socks5' : 'http', address, undefined, `ProxyServer ${scheme}=`);
    if (!read.ok) {
      notes.push(read.note);
      continue;
    }
    // Windows means SOCKS4 here; we speak SOCKS5 only, and say so.
    if (scheme === 'socks') notes.push(`ProxyServer socks=${hostPort(read.proxy)} tried as SOCKS5`);
    manual[scheme] = read.proxy;
  }
  return manual;
}

/** Whether DefaultConnectionSettings has the auto-detect flag; junk there is a note, not an error. */
function autoDetectFlag(text: string, notes: string[]): boolean {
  let value: RegistryValue | undefined;
  try {
    value = parseRegQuery(text).get('defaultconnectionsettings');
  } catch (error) {
    notes.push(`DefaultConnectionSettings ignored: ${error instanceof Error ? error.message : 'unreadable'}`);
    return false;
  }
  if (value === undefined) return false;
  const hex = value.data.replace(/\s/g, '');
  if (value.type !== 'REG_BINARY' || !/^([0-9a-f]{2})+$/i.test(hex) || hex.length < 24) {
    notes.push(`DefaultConnectionSettings ignored: ${value.type} ${quoted(value.data, 40)} is not its binary form`);
    return false;
  }
  return (Number.parseInt(hex.slice(16, 18), 16) & AUTO_DETECT_FLAG) !== 0;
}

function dword(values: Map<string, RegistryValue>, name: string, notes: string[]): number | undefined {
  const value = values.get(name.toLowerCase());
  if (value === undefined) return undefined;
  if (value.type === 'REG_DWORD' && /^0x[0-9a-f]{1,8}$/i.test(value.data)) return Number.parseInt(value.data.slice(2), 16);
  notes.push(`${name} ignored: ${value.type} ${quoted(value.data)} is not a REG_DWORD`);
  return undefined;
}

function string(values: Map<string, RegistryValue>, name: string, notes: string[]): string | undefined {
  const value = values.get(name.toLowerCase());
  if (value === undefined) return undefined;
  if (value.type === 'REG_SZ' || value.type === 'REG_EXPAND_SZ') return value.data;
  notes.push(`${name} ignored: it is ${value.type}, not a string`);
  return undefined;
}

/** The values of the first key `reg query` lists (names lower-cased: the registry ignores case). */
function parseRegQuery(text: string): Map<string, RegistryValue> {
  const lines = text.split(/\r?\n/);
  const header = lines.findIndex((line) => /^HKEY_/i.test(line.trim()));
  if (header < 0) throw new SystemSettingsError(`\`reg query\` printed no registry key: ${quoted(text.trim())}`);
  const values = new Map<string, RegistryValue>();
  for (const line of lines.slice(header + 1)) {
    if (line.trim() === '') {
      if (values.size > 0) break;
      continue;
    }
    if (/^HKEY_/i.test(line.trim())) break; // a subkey: its values are not ours
    // `    Name    REG_TYPE    data`; names may hold single spaces, data may be empty.
    const match = /^\s+(.+?)\s{2,}(REG_[A-Z_]+)(?:\s{2,}(.*))?\s*$/.exec(line) ?? /^\s+(.+?)\s+(REG_[A-Z_]+)\s*$/.exec(line);
    if (match?.[1] === undefined || match[2] === undefined) {
      throw new SystemSettingsError(`\`reg query\` line ${quoted(line.trim())} is not "Name  REG_TYPE  data"`);
    }
    values.set(match[1].toLowerCase(), { type: match[2], data: match[3] ?? '' });
  }
  return values;
}
