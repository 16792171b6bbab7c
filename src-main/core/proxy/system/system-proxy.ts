/**
 * The "system" proxy source outside Electron (the CLI and the web host): picks the reader for
 * the platform and desktop (GNOME, KDE, macOS, Windows), reads the settings, and turns them
 * into routes with every step in words. Electron uses Chromium's resolver instead.
 */
import { homedir } from 'node:os';
import { NetFailure } from '../../errors/net-failure';
import type { Clock } from '../../net/clock';
import { Deadline, raceDeadline } from '../../net/deadline';
import { evaluatePac, type PacEvaluation } from '../pac-script';
import { GNOME_LABEL, gsettingsGet, readGnomeSettings } from './gnome-settings';
import { kioslavercPath, readKdeSettings } from './kde-settings';
import { MACOS_LABEL, readMacosSettings } from './macos-scutil';
import { commandRunner, type CommandRunner } from './run-command';
import { routesFromSettings, type SystemRoutes } from './settings-routes';
import { SystemSettingsError, quoted, type SystemProxySettings } from './system-settings';
import { WINDOWS_LABEL, readWindowsSettings } from './windows-internet-settings';
import { findWpad, realWpadLookups, type WpadDeps } from './wpad';

type EnvTable = Readonly<Record<string, string | undefined>>;

export interface SystemProxyQuery {
  /** The ws:// or wss:// URL. */
  target: URL;
  /** What a PAC script is asked about (resolve.ts: resolverUrl / the bare host). */
  pacUrl: string;
  pacHost: string;
  /** One deadline for reading the settings, WPAD and any PAC file. */
  timeoutMs: number;
  /** Only read and describe the settings (no WPAD, no PAC): the desktop app's Chromium
   *  resolver decides, and these steps only show what the settings say. */
  settingsOnly?: boolean;
}

/** Throws NetFailure (stage resolve): SYSTEM_PROXY_FAILED, or the PAC_* code of a PAC URL. */
export type SystemProxy = (query: SystemProxyQuery) => Promise<SystemRoutes>;

export type SettingsReader =
  | { kind: 'gnome' | 'kde' | 'macos' | 'windows' }
  | { kind: 'none'; why: string };

export interface SystemProxyOptions {
  env: EnvTable;
  platform?: NodeJS.Platform;
  home?: string;
  /** Runs gsettings / scutil / reg (tests: recorded outputs). */
  run?: CommandRunner;
  wpad?: Partial<Pick<WpadDeps, 'readResolvConf' | 'lookup' | 'lookupTimeoutMs'>>;
  /** Loads and runs a PAC URL (tests: a local server in place of wpad.<domain>). */
  loadPac?: (url: string, query: SystemProxyQuery, deadline: Deadline) => Promise<PacEvaluation>;
  clock?: Clock;
}

const GNOME_DESKTOPS = ['gnome', 'unity', 'cinnamon', 'x-cinnamon', 'budgie', 'pantheon', 'mate', 'gnome-classic', 'gnome-flashback'];

/** Which settings this platform and desktop keep its proxy in. */
export function chooseReader(platform: NodeJS.Platform, env: EnvTable): SettingsReader {
  if (platform === 'darwin') return { kind: 'macos' };
  if (platform === 'win32') return { kind: 'windows' };
  if (platform !== 'linux' && !platform.endsWith('bsd')) return { kind: 'none', why: `no system proxy settings are read on ${platform}` };
  const desktops = (env.XDG_CURRENT_DESKTOP ?? '').toLowerCase().split(':').map((part) => part.trim()).filter((part) => part !== '');
  const session = (env.DESKTOP_SESSION ?? '').toLowerCase();
  if (env.KDE_FULL_SESSION === 'true' || desktops.includes('kde') || /kde|plasma/.test(session)) return { kind: 'kde' };
  if (desktops.some((desktop) => GNOME_DESKTOPS.includes(desktop)) || (desktops.length === 0 && /gnome|ubuntu|cinnamon/.test(session))) {
    return { kind: 'gnome' };
  }
  const named = env.XDG_CURRENT_DESKTOP;
  return {
    kind: 'none',
    why: named === undefined || named.trim() === ''
      ? 'no desktop proxy settings to read (XDG_CURRENT_DESKTOP is not set)'
      : `no desktop proxy settings to read (XDG_CURRENT_DESKTOP ${quoted(named, 60)} is neither GNOME nor KDE)`,
  };
}

export function createSystemProxy(options: SystemProxyOptions): SystemProxy {
  const platform = options.platform ?? process.platform;
  const run = options.run ?? commandRunner(options.env);
  const loadPac = options.loadPac ?? defaultLoadPac;
  return async (query) => {
    const deadline = new Deadline(query.timeoutMs, undefined, options.clock);
    const work = async (): Promise<SystemRoutes> => {
      const reader = chooseReader(platform, options.env);
      if (reader.kind === 'none') return { routes: [{ kind: 'direct' }], steps: [reader.why], settingsRead: false };
      const settings = await readSettings(reader.kind, run, options);
      if (query.settingsOnly === true) {
        return { routes: [{ kind: 'direct' }], steps: [`${settings.label}: ${settings.summary}`, ...settings.notes], settingsRead: true };
      }
      return routesFromSettings(settings, query.target, {
        loadPac: (url) => loadPac(url, query, deadline),
        findWpad: () =>
          findWpad({
            platform,
            readResolvConf: options.wpad?.readResolvConf ?? realWpadLookups.readResolvConf,
            lookup: options.wpad?.lookup ?? realWpadLookups.lookup,
            loadPac: (url) => loadPac(url, query, deadline),
            ...(options.clock ? { clock: options.clock } : {}),
            ...(options.wpad?.lookupTimeoutMs !== undefined ? { lookupTimeoutMs: options.wpad.lookupTimeoutMs } : {}),
          }),
      });
    };
    return raceDeadline(work(), deadline, () =>
      NetFailure.of('resolve', 'SYSTEM_PROXY_FAILED', { timeoutMs: query.timeoutMs }, {
        message: `The system proxy settings could not be read and applied within ${query.timeoutMs} ms.`,
      }),
    );
  };
}

async function readSettings(kind: 'gnome' | 'kde' | 'macos' | 'windows', run: CommandRunner, options: SystemProxyOptions): Promise<SystemProxySettings> {
  const kdePath = kioslavercPath(options.env, options.home ?? options.env.HOME ?? homedir());
  const label = { gnome: GNOME_LABEL, kde: `KDE proxy settings (${kdePath})`, macos: MACOS_LABEL, windows: WINDOWS_LABEL }[kind];
  try {
    switch (kind) {
      case 'gnome':
        return await readGnomeSettings(gsettingsGet(run));
      case 'kde':
        return await readKdeSettings(kdePath, options.env);
      case 'macos':
        return await readMacosSettings(run);
      case 'windows':
        return await readWindowsSettings(run);
    }
  } catch (error) {
    if (!(error instanceof SystemSettingsError)) throw error;
    throw NetFailure.of('resolve', 'SYSTEM_PROXY_FAILED', { causeMessage: error.message }, {
      message: `The ${label} could not be read: ${error.message}.`,
    });
  }
}

function defaultLoadPac(url: string, query: SystemProxyQuery, deadline: Deadline): Promise<PacEvaluation> {
  // What is left of the one deadline, at least 1 ms (evaluatePac needs a positive one).
  return evaluatePac({ kind: 'url', url }, query.pacUrl, query.pacHost, Math.max(1, deadline.remaining()));
}
