/**
 * From OS proxy settings to the routes for one connection, in the order browsers try the
 * methods: WPAD (when the settings ask for auto-detection and a wpad.dat is found), then the
 * PAC URL (falling back to the fixed proxies when it fails), then the fixed proxies with their
 * bypass list, then DIRECT. Every step says what it found, so the decision reads like "GNOME
 * proxy settings: manual, https-proxy proxy.corp:8080; wss:// uses the https proxy
 * proxy.corp:8080".
 */
import { isIP } from 'node:net';
import { NetFailure } from '../../errors/net-failure';
import { quotePacAnswer } from '../pac-answer';
import type { PacEvaluation } from '../pac-script';
import type { Route } from '../proxy-endpoint';
import { findBypassEntry } from './bypass-rules';
import type { WpadResult } from './wpad';
import { hostPort, type ManualProxies, type SystemProxySettings } from './system-settings';

export interface SystemRoutes {
  routes: Route[];
  /** Each step in words, in order. */
  steps: string[];
  /** false when this platform or desktop has no settings to read (the routes are DIRECT). */
  settingsRead: boolean;
}

export interface SettingsRouteDeps {
  findWpad: () => Promise<WpadResult>;
  /** Loads and runs the PAC URL for the target; throws NetFailure (PAC_*). */
  loadPac: (url: string) => Promise<PacEvaluation>;
}

/** `target` is the ws:// or wss:// URL. A PAC URL that fails throws its NetFailure. */
export async function routesFromSettings(settings: SystemProxySettings, target: URL, deps: SettingsRouteDeps): Promise<SystemRoutes> {
  const steps = [`${settings.label}: ${settings.summary}`, ...settings.notes];
  if (settings.autoDetect) {
    const wpad = await deps.findWpad();
    steps.push(...wpad.steps);
    if (wpad.found) return { routes: wpad.evaluation.routes, steps: [...steps, pacStep(wpad.evaluation)], settingsRead: true };
  }
  if (settings.pacUrl !== undefined) {
    try {
      const evaluation = await deps.loadPac(settings.pacUrl);
      return { routes: evaluation.routes, steps: [...steps, pacStep(evaluation)], settingsRead: true };
    } catch (error) {
      // As Chromium: a PAC file that fails falls back to the fixed proxies when there are any.
      if (!(error instanceof NetFailure) || settings.manual === undefined) throw error;
      steps.push(`the PAC file could not be used (${error.message.replace(/\.$/, '')}), so the fixed proxies apply`);
    }
  }
  if (settings.manual !== undefined) return manualRoute(settings.manual, target, steps);
  return { routes: [{ kind: 'direct' }], steps: [...steps, 'DIRECT'], settingsRead: true };
}

function pacStep(evaluation: PacEvaluation): string {
  const notes = evaluation.notes.length === 0 ? '' : `; ${evaluation.notes.join('; ')}`;
  return `PAC returned ${quotePacAnswer(evaluation.answer)} (${evaluation.origin})${notes}`;
}

function manualRoute(manual: ManualProxies, target: URL, steps: string[]): SystemRoutes {
  const secure = target.protocol === 'wss:';
  const scheme = secure ? 'wss://' : 'ws://';
  const own = secure ? manual.https : manual.http;
  const proxy = own ?? manual.socks;
  const direct = (why: string): SystemRoutes => ({ routes: [{ kind: 'direct' }], steps: [...steps, why], settingsRead: true });
  if (proxy === undefined) return direct(`no proxy set for ${scheme}, so DIRECT`);

  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number.parseInt(target.port, 10) || (secure ? 443 : 80);
  // As Chromium does: the machine itself is never reached through the system's proxy.
  if (isLoopback(host)) return direct(`${host} is this machine (loopback), so DIRECT`);
  const entry = findBypassEntry(manual.bypass, host, port);
  if (manual.reversed === true) {
    if (entry === undefined) return direct(`${host} is not in ${manual.bypassName} (ReversedException), so DIRECT`);
    steps.push(`${manual.bypassName} entry \`${entry}\` matched (ReversedException: it uses the proxy)`);
  } else if (entry !== undefined) {
    return direct(`${manual.bypassName} entry \`${entry}\` matched, so DIRECT`);
  } else if (manual.bypassSimpleNames === true && !host.includes('.') && !host.includes(':')) {
    return direct(`${host} has no dot and names without a dot go straight, so DIRECT`);
  }
  const which = own !== undefined ? (secure ? 'the https proxy' : 'the http proxy') : 'the SOCKS proxy';
  return { routes: [{ kind: 'proxy', proxy: { ...proxy } }], steps: [...steps, `${scheme} uses ${which} ${hostPort(proxy)}`], settingsRead: true };
}

function isLoopback(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  return name === '::1' || name === '0:0:0:0:0:0:0:1';
}
