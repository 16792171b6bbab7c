/**
 * KDE's proxy settings: the [Proxy Settings] group of kioslaverc (in $XDG_CONFIG_HOME, else
 * ~/.config). ProxyType 0 none, 1 manual (httpProxy, httpsProxy, socksProxy as
 * `http://host 8080` or `host:8080`; NoProxyFor, or with ReversedException the only hosts
 * that use the proxy), 2 a PAC URL ("Proxy Config Script"), 3 WPAD, 4 the environment
 * variables the entries name (httpProxy=http_proxy …).
 *
 * KConfig syntax is read leniently: `[$i]` markers on groups and keys, `#` comments, `\s`
 * escapes, the last of a repeated key wins; other groups are ignored.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readProxyServer, type ServerRead } from './proxy-server';
import { SystemSettingsError, hostPort, quoted, shownUrl, type ManualProxies, type SystemProxySettings } from './system-settings';

type EnvTable = Readonly<Record<string, string | undefined>>;

const GROUP = 'Proxy Settings';
const MAX_FILE_CHARS = 1024 * 1024;

export function kioslavercPath(env: EnvTable, home: string): string {
  const configHome = env.XDG_CONFIG_HOME;
  return join(configHome !== undefined && configHome.startsWith('/') ? configHome : join(home, '.config'), 'kioslaverc');
}

/** Reads the file; a missing file is KDE's default (no proxy). */
export async function readKdeSettings(path: string, env: EnvTable): Promise<SystemProxySettings> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    if (code === 'ENOENT') return { label: kdeLabel(path), summary: 'none (the file does not exist)', autoDetect: false, notes: [] };
    throw new SystemSettingsError(`${path} could not be read (${code || 'unknown error'})`);
  }
  return parseKioslaverc(text, env, path);
}

export function parseKioslaverc(text: string, env: EnvTable, path: string): SystemProxySettings {
  if (text.length > MAX_FILE_CHARS) throw new SystemSettingsError(`${path} is larger than 1 MiB: not a settings file`);
  const entries = proxyGroup(text);
  const label = kdeLabel(path);
  const typeText = entries.get('ProxyType') ?? '0';
  const where = `${path} [${GROUP}]`;
  switch (typeText.trim()) {
    case '0':
      return { label, summary: 'ProxyType 0 (no proxy)', autoDetect: false, notes: [] };
    case '1':
      return manual(label, entries, (key) => entries.get(key) ?? '', 'ProxyType 1 (manual)');
    case '2': {
      const url = (entries.get('Proxy Config Script') ?? '').trim();
      if (url === '') throw new SystemSettingsError(`${where} has ProxyType 2 (PAC) but no "Proxy Config Script"`);
      return { label, summary: `ProxyType 2 (PAC), Proxy Config Script ${shownUrl(url)}`, autoDetect: false, pacUrl: url, notes: [] };
    }
    case '3':
      return { label, summary: 'ProxyType 3 (WPAD)', autoDetect: true, notes: [] };
    case '4':
      return manual(label, entries, (key) => fromVariables(entries.get(key) ?? '', env), 'ProxyType 4 (environment variables)');
    default:
      throw new SystemSettingsError(`${where} ProxyType is ${quoted(typeText)}, not 0 to 4`);
  }
}

function kdeLabel(path: string): string {
  return `KDE proxy settings (${path})`;
}

/** Type 1 reads the entries themselves, type 4 the variables they name (`valueOf`). */
function manual(label: string, entries: Map<string, string>, valueOf: (key: string) => string, kind: string): SystemProxySettings {
  const reversed = /^(true|1|yes|on)$/i.test((entries.get('ReversedException') ?? '').trim());
  const manualProxies: ManualProxies = {
    bypass: valueOf('NoProxyFor').split(/[,\s]+/).filter((entry) => entry !== ''),
    bypassName: 'NoProxyFor',
    ...(reversed ? { reversed } : {}),
  };
  const notes: string[] = [];
  const parts = [kind];
  for (const [slot, key, protocol] of [['http', 'httpProxy', 'http'], ['https', 'httpsProxy', 'http'], ['socks', 'socksProxy', 'socks5']] as const) {
    const text = valueOf(key).trim();
    if (text === '') continue;
    const read = kdeServer(text, protocol, key);
    if (!read.ok) {
      notes.push(read.note);
      continue;
    }
    manualProxies[slot] = read.proxy;
    parts.push(`${key} ${hostPort(read.proxy)}`);
  }
  if (parts.length === 1) parts.push('no proxy set');
  if (reversed) parts.push('ReversedException (only NoProxyFor hosts use the proxy)');
  return { label, summary: parts.join(', '), autoDetect: false, manual: manualProxies, notes };
}

/** `http://host 8080` (KDE's own form), `host:8080`, `http://host:8080`. */
function kdeServer(text: string, protocol: 'http' | 'socks5', key: string): ServerRead {
  const spaced = /^(\S+)\s+(\d+)$/.exec(text);
  if (spaced?.[1] !== undefined && spaced[2] !== undefined) {
    const port = Number.parseInt(spaced[2], 10);
    if (port === 0 || port > 65535) return { ok: false, note: `${key} ${quoted(text)} skipped: its port is ${port}` };
    return readProxyServer(protocol, spaced[1], port, key);
  }
  return readProxyServer(protocol, text, undefined, key);
}

/** The first set variable of a comma-separated list of names. */
function fromVariables(names: string, env: EnvTable): string {
  for (const name of names.split(',').map((part) => part.trim())) {
    if (name === '' || !Object.hasOwn(env, name)) continue;
    const value = env[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return '';
}

/** The [Proxy Settings] group's keys (markers stripped, escapes read, the last one wins). */
function proxyGroup(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  let inGroup = false;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      // `[Proxy Settings]`, `[Proxy Settings][$i]`; nested groups `[A][B]` are other groups.
      const groups = [...line.matchAll(/\[([^\]]*)\]/g)].map((match) => match[1] ?? '').filter((name) => !name.startsWith('$'));
      inGroup = groups.length === 1 && groups[0] === GROUP;
      continue;
    }
    if (!inGroup) continue;
    const equals = line.indexOf('=');
    if (equals <= 0) continue;
    const rawKey = line.slice(0, equals).trim();
    // `Key[$i]` is the key with a marker; `Key[de]` a translation, not the key itself.
    if (/\[[^$\]][^\]]*\]$/.test(rawKey)) continue;
    entries.set(rawKey.replace(/(\[\$[^\]]*\])+$/, '').trim(), unescape(line.slice(equals + 1).trim()));
  }
  return entries;
}

function unescape(value: string): string {
  return value.replace(/\\(.)/g, (_all, char: string) => ({ s: ' ', t: '\t', n: '\n', r: '\r', '\\': '\\' })[char] ?? char);
}
