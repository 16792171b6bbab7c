/**
 * macOS's proxy settings as `scutil --proxy` prints them: a `<dictionary> { … }` of
 * `Key : value` lines with nested `<array>` and `<dictionary>` blocks. Read: HTTP, HTTPS and
 * SOCKS (…Enable, …Proxy, …Port), ProxyAutoConfigEnable with ProxyAutoConfigURLString,
 * ProxyAutoDiscoveryEnable (WPAD), ExceptionsList and ExcludeSimpleHostnames. The
 * per-interface `__SCOPED__` copies are not read: the top level is what applies.
 */
import type { CommandRunner } from './run-command';
import { readProxyServer } from './proxy-server';
import { SystemSettingsError, hostPort, quoted, shownUrl, type ManualProxies, type SystemProxySettings } from './system-settings';

export const MACOS_LABEL = 'macOS proxy settings (scutil --proxy)';

type ScutilValue = string | ScutilValue[] | Map<string, ScutilValue>;

export async function readMacosSettings(run: CommandRunner): Promise<SystemProxySettings> {
  return parseScutilProxy(await run('scutil', ['--proxy']));
}

export function parseScutilProxy(text: string): SystemProxySettings {
  const top = parseScutil(text);
  const flag = (key: string): boolean => scalar(top, key)?.trim() === '1';
  const notes: string[] = [];
  const parts: string[] = [];

  const manual: ManualProxies = {
    bypass: list(top, 'ExceptionsList'),
    bypassName: 'ExceptionsList',
    ...(flag('ExcludeSimpleHostnames') ? { bypassSimpleNames: true } : {}),
  };
  for (const [slot, prefix, protocol] of [['http', 'HTTP', 'http'], ['https', 'HTTPS', 'http'], ['socks', 'SOCKS', 'socks5']] as const) {
    if (!flag(`${prefix}Enable`)) continue;
    const host = scalar(top, `${prefix}Proxy`)?.trim() ?? '';
    if (host === '') {
      notes.push(`${prefix}Enable is 1 but ${prefix}Proxy is not set`);
      continue;
    }
    const portText = scalar(top, `${prefix}Port`)?.trim();
    const port = portText === undefined ? undefined : /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
    if (port !== undefined && (Number.isNaN(port) || port === 0 || port > 65535)) {
      notes.push(`${prefix}Proxy ${quoted(host)} skipped: ${prefix}Port is ${quoted(portText ?? '')}`);
      continue;
    }
    const read = readProxyServer(protocol, host, port, `${prefix}Proxy`);
    if (!read.ok) {
      notes.push(read.note);
      continue;
    }
    manual[slot] = read.proxy;
    parts.push(`${prefix}Proxy ${hostPort(read.proxy)}`);
  }

  let pacUrl: string | undefined;
  if (flag('ProxyAutoConfigEnable')) {
    pacUrl = scalar(top, 'ProxyAutoConfigURLString')?.trim();
    if (pacUrl === undefined || pacUrl === '') {
      notes.push('ProxyAutoConfigEnable is 1 but ProxyAutoConfigURLString is not set');
      pacUrl = undefined;
    } else {
      parts.unshift(`ProxyAutoConfigURLString ${shownUrl(pacUrl)}`);
    }
  }
  const autoDetect = flag('ProxyAutoDiscoveryEnable');
  if (autoDetect) parts.unshift('ProxyAutoDiscoveryEnable');
  const hasManual = manual.http !== undefined || manual.https !== undefined || manual.socks !== undefined;
  return {
    label: MACOS_LABEL,
    summary: parts.length === 0 ? 'no proxy enabled' : parts.join(', '),
    autoDetect,
    ...(pacUrl !== undefined ? { pacUrl } : {}),
    ...(hasManual ? { manual } : {}),
    notes,
  };
}

function scalar(dictionary: Map<string, ScutilValue>, key: string): string | undefined {
  const value = dictionary.get(key);
  return typeof value === 'string' ? value : undefined;
}

function list(dictionary: Map<string, ScutilValue>, key: string): string[] {
  const value = dictionary.get(key);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** The top-level dictionary; throws SystemSettingsError naming the line that is not scutil's. */
function parseScutil(text: string): Map<string, ScutilValue> {
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
  if (lines[0] !== '<dictionary> {') {
    throw new SystemSettingsError(`\`scutil --proxy\` printed ${quoted(lines[0] ?? '')} where a <dictionary> should start`);
  }
  const top = new Map<string, ScutilValue>();
  const stack: (Map<string, ScutilValue> | ScutilValue[])[] = [top];
  for (let index = 1; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const container = stack[stack.length - 1];
    if (container === undefined) throw new SystemSettingsError(`\`scutil --proxy\` printed more after its dictionary ended (line ${index + 1})`);
    if (line === '}') {
      stack.pop();
      continue;
    }
    const separator = line.indexOf(' : ');
    if (separator <= 0) throw new SystemSettingsError(`\`scutil --proxy\` line ${index + 1} is not "Key : value": ${quoted(line)}`);
    const key = line.slice(0, separator).trim();
    const rest = line.slice(separator + 3).trim();
    let value: ScutilValue = rest;
    if (rest === '<dictionary> {') value = new Map<string, ScutilValue>();
    else if (rest === '<array> {') value = [];
    if (Array.isArray(container)) container.push(value);
    else container.set(key, value);
    if (typeof value !== 'string') stack.push(value);
  }
  if (stack.length !== 0) throw new SystemSettingsError('`scutil --proxy` output ends inside a block (a "}" is missing)');
  return top;
}
