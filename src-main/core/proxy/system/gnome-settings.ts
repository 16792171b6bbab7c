/**
 * GNOME's proxy settings (also Unity, Cinnamon, Budgie, Pantheon, MATE): the keys of
 * `org.gnome.system.proxy` as `gsettings get` prints them. Mode `none`, `manual` (http, https
 * and socks host/port, ignore-hosts) or `auto` (autoconfig-url; empty means WPAD). Only the
 * keys the mode needs are asked for; the authentication keys never are.
 */
import type { CommandRunner } from './run-command';
import { readGInt, readGString, readGStringArray, type TextRead } from './gvariant-text';
import { readProxyServer } from './proxy-server';
import { SystemSettingsError, hostPort, quoted, shownUrl, type ManualProxies, type SystemProxySettings } from './system-settings';

/** One `gsettings get <schema> <key>`: its output as printed. */
export type GsettingsGet = (schema: string, key: string) => Promise<string>;

const SCHEMA = 'org.gnome.system.proxy';
export const GNOME_LABEL = 'GNOME proxy settings';

export function gsettingsGet(run: CommandRunner): GsettingsGet {
  return (schema, key) => run('gsettings', ['get', schema, key]);
}

export async function readGnomeSettings(get: GsettingsGet): Promise<SystemProxySettings> {
  const mode = await value(get, SCHEMA, 'mode', readGString);
  switch (mode) {
    case 'none':
      return { label: GNOME_LABEL, summary: 'none', autoDetect: false, notes: [] };
    case 'auto': {
      const url = (await value(get, SCHEMA, 'autoconfig-url', readGString)).trim();
      return url === ''
        ? { label: GNOME_LABEL, summary: 'auto, no autoconfig-url (WPAD)', autoDetect: true, notes: [] }
        : { label: GNOME_LABEL, summary: `auto, autoconfig-url ${shownUrl(url)}`, autoDetect: false, pacUrl: url, notes: [] };
    }
    case 'manual':
      return readManual(get);
    default:
      throw new SystemSettingsError(`${SCHEMA} mode is ${quoted(mode)}, not none, manual or auto`);
  }
}

async function readManual(get: GsettingsGet): Promise<SystemProxySettings> {
  const [bypass, sameProxy, http, https, socks] = await Promise.all([
    value(get, SCHEMA, 'ignore-hosts', readGStringArray),
    useSameProxy(get),
    server(get, 'http', 'http', 'http-proxy'),
    server(get, 'https', 'http', 'https-proxy'),
    server(get, 'socks', 'socks5', 'socks-proxy'),
  ]);
  const manual: ManualProxies = { bypass, bypassName: 'ignore-hosts' };
  // A skipped host is said in its place among the others, so "no other proxy host set" follows it and stays true.
  const parts = ['manual'];
  let skipped = 0;
  for (const [slot, read, name] of [['http', http, 'http-proxy'], ['https', https, 'https-proxy'], ['socks', socks, 'socks-proxy']] as const) {
    if (read === undefined) continue;
    if (!read.ok) {
      parts.push(read.note);
      skipped += 1;
      continue;
    }
    manual[slot] = read.proxy;
    parts.push(`${name} ${hostPort(read.proxy)}`);
  }
  if (parts.length === 1 + skipped) parts.push(skipped === 0 ? 'no proxy host set' : 'no other proxy host set');
  // As Chromium reads it: the http proxy for every scheme (the schema's default is true).
  if (sameProxy && manual.http !== undefined) {
    manual.https = manual.http;
    parts.push('use-same-proxy (the http proxy for every scheme)');
  }
  return { label: GNOME_LABEL, summary: parts.join(', '), autoDetect: false, manual, notes: [] };
}

/** `use-same-proxy`, a key older schemas lack: missing or unreadable means false. */
async function useSameProxy(get: GsettingsGet): Promise<boolean> {
  try {
    return (await get(SCHEMA, 'use-same-proxy')).trim() === 'true';
  } catch {
    return false;
  }
}

/** A host/port pair under `org.gnome.system.proxy.<sub>`; undefined when no host is set. */
async function server(get: GsettingsGet, sub: string, protocol: 'http' | 'socks5', name: string): Promise<ReturnType<typeof readProxyServer> | undefined> {
  const schema = `${SCHEMA}.${sub}`;
  const [host, port] = await Promise.all([value(get, schema, 'host', readGString), value(get, schema, 'port', readGInt)]);
  if (host.trim() === '') return undefined;
  // Port 0 is the schema's default: the host was typed but the port never set.
  if (port === 0) return { ok: false, note: `${name} ${quoted(host)} skipped (its port is 0, so not set)` };
  if (port < 0 || port > 65535) return { ok: false, note: `${name} ${quoted(host)} skipped (its port is ${port}, not 1 to 65535)` };
  return readProxyServer(protocol, host, port, name);
}

async function value<T>(get: GsettingsGet, schema: string, key: string, read: (text: string) => TextRead<T>): Promise<T> {
  const text = await get(schema, key);
  const parsed = read(text);
  if (!parsed.ok) {
    throw new SystemSettingsError(`\`gsettings get ${schema} ${key}\` answered ${quoted(text.trim())}: ${parsed.problem}`);
  }
  return parsed.value;
}
