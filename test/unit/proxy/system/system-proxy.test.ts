// The system proxy outside Electron: which reader for which platform and desktop, and the routes and steps from recorded settings.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NetFailure } from '../../../../src-main/core/errors/net-failure';
import type { PacEvaluation } from '../../../../src-main/core/proxy/pac-script';
import { routeToCandidate } from '../../../../src-main/core/proxy/proxy-endpoint';
import type { CommandRunner } from '../../../../src-main/core/proxy/system/run-command';
import { SystemSettingsError } from '../../../../src-main/core/proxy/system/system-settings';
import { chooseReader, createSystemProxy, type SystemProxyOptions } from '../../../../src-main/core/proxy/system/system-proxy';
import { ManualClock } from '../../../support/manual-clock';
import { fixture } from './fixtures';

/** Answers `gsettings get`, `scutil --proxy` and `reg query` from recordings. */
function recordedRunner(outputs: { gsettings?: string; scutil?: string; reg?: string }, calls: string[] = []): CommandRunner {
  const gsettings = new Map<string, string>();
  for (const line of (outputs.gsettings ?? '').split('\n')) {
    const match = /^(\S+) (\S+) (.*)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined && match[3] !== undefined) gsettings.set(`${match[1]} ${match[2]}`, match[3]);
  }
  return async (file, args) => {
    calls.push([file, ...args].join(' '));
    if (file === 'gsettings') {
      const value = gsettings.get(`${args[1]} ${args[2]}`);
      if (value !== undefined) return `${value}\n`;
    }
    if (file === 'scutil' && outputs.scutil !== undefined) return outputs.scutil;
    if (file === 'reg' && outputs.reg !== undefined) return outputs.reg;
    throw new SystemSettingsError(`\`${file} ${args.join(' ')}\` could not be run: the program is not installed`);
  };
}

const PAC: PacEvaluation = { answer: 'PROXY pac-proxy.corp:3128; DIRECT', routes: [], notes: [], origin: '' };

function options(over: Partial<SystemProxyOptions>): SystemProxyOptions {
  return {
    env: {},
    platform: 'linux',
    wpad: { readResolvConf: async () => 'search corp.example\n', lookup: () => Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' })) },
    loadPac: async (url) => ({
      ...PAC,
      // As the PAC loader names it: without credentials.
      origin: url.replace(/\/\/[^@/]*@/, '//'),
      routes: [{ kind: 'proxy', proxy: { protocol: 'http', host: 'pac-proxy.corp', port: 3128, displayUrl: 'http://pac-proxy.corp:3128' } }, { kind: 'direct' }],
    }),
    ...over,
  };
}

async function ask(opts: SystemProxyOptions, url = 'wss://echo.example/chat'): Promise<{ urls: string[]; reason: string; settingsRead: boolean }> {
  const target = new URL(url);
  const result = await createSystemProxy(opts)({ target, pacUrl: 'https://echo.example/', pacHost: target.hostname, timeoutMs: 5000 });
  return { urls: result.routes.map((route) => routeToCandidate(route).url), reason: result.steps.join('; '), settingsRead: result.settingsRead };
}

const GNOME = { XDG_CURRENT_DESKTOP: 'ubuntu:GNOME' };

describe('chooseReader', () => {
  it.each<[NodeJS.Platform, Record<string, string>, string]>([
    ['linux', { XDG_CURRENT_DESKTOP: 'GNOME' }, 'gnome'],
    ['linux', { XDG_CURRENT_DESKTOP: 'ubuntu:GNOME' }, 'gnome'],
    ['linux', { XDG_CURRENT_DESKTOP: 'X-Cinnamon' }, 'gnome'],
    ['linux', { XDG_CURRENT_DESKTOP: 'Unity' }, 'gnome'],
    ['linux', { XDG_CURRENT_DESKTOP: 'KDE' }, 'kde'],
    ['linux', { KDE_FULL_SESSION: 'true' }, 'kde'],
    ['linux', { DESKTOP_SESSION: 'plasma' }, 'kde'],
    ['linux', { DESKTOP_SESSION: 'gnome' }, 'gnome'],
    ['linux', {}, 'none'],
    ['linux', { XDG_CURRENT_DESKTOP: 'XFCE' }, 'none'],
    ['freebsd', { XDG_CURRENT_DESKTOP: 'KDE' }, 'kde'],
    ['darwin', { XDG_CURRENT_DESKTOP: 'KDE' }, 'macos'],
    ['win32', {}, 'windows'],
    ['aix', {}, 'none'],
  ])('%s with %j reads %s', (platform, env, kind) => {
    expect(chooseReader(platform, env).kind).toBe(kind);
  });

  it('says why there is nothing to read', () => {
    expect(chooseReader('linux', {})).toEqual({ kind: 'none', why: 'no desktop proxy settings to read (XDG_CURRENT_DESKTOP is not set)' });
    expect(chooseReader('linux', { XDG_CURRENT_DESKTOP: 'XFCE' })).toEqual({ kind: 'none', why: 'no desktop proxy settings to read (XDG_CURRENT_DESKTOP "XFCE" is neither GNOME nor KDE)' });
  });
});

describe('createSystemProxy: steps and routes', () => {
  it('GNOME manual: the https proxy for wss://, the http proxy for ws://', async () => {
    const run = recordedRunner({ gsettings: fixture('gnome-manual.txt') });
    expect(await ask(options({ env: GNOME, run }))).toEqual({
      urls: ['http://proxy.corp:8080'],
      reason: 'GNOME proxy settings: manual, http-proxy http-proxy.corp:3128, https-proxy proxy.corp:8080, socks-proxy socks.corp:1080; wss:// uses the https proxy proxy.corp:8080',
      settingsRead: true,
    });
    expect((await ask(options({ env: GNOME, run }), 'ws://echo.example/')).urls).toEqual(['http://http-proxy.corp:3128']);
  });

  it('GNOME manual: ignore-hosts sends a host straight and says which entry matched', async () => {
    const run = recordedRunner({ gsettings: fixture('gnome-manual.txt') });
    expect(await ask(options({ env: GNOME, run }), 'wss://build.corp.example/')).toMatchObject({ urls: ['direct'], reason: expect.stringMatching(/; ignore-hosts entry `\*\.corp\.example` matched, so DIRECT$/) });
    expect((await ask(options({ env: GNOME, run }), 'ws://10.9.8.7:8080/')).urls).toEqual(['http://http-proxy.corp:3128']);
  });

  it.each(['ws://127.0.0.1:8080/', 'wss://localhost/', 'wss://app.localhost/', 'ws://[::1]:9000/'])('GNOME manual never sends %s (this machine) through the proxy, as Chromium', async (url) => {
    const run = recordedRunner({ gsettings: fixture('gnome-socks-only.txt') });
    expect(await ask(options({ env: GNOME, run }), url)).toMatchObject({ urls: ['direct'], reason: expect.stringMatching(/ is this machine \(loopback\), so DIRECT$/) });
  });

  it('GNOME manual with only a SOCKS host uses it for both schemes', async () => {
    const run = recordedRunner({ gsettings: fixture('gnome-socks-only.txt') });
    expect(await ask(options({ env: GNOME, run }))).toMatchObject({ urls: ['socks5://socks.corp:1080'], reason: expect.stringMatching(/wss:\/\/ uses the SOCKS proxy socks.corp:1080$/) });
  });

  it('GNOME auto with a URL runs that PAC file', async () => {
    const run = recordedRunner({ gsettings: fixture('gnome-auto.txt') });
    expect(await ask(options({ env: GNOME, run }))).toEqual({
      urls: ['http://pac-proxy.corp:3128', 'direct'],
      reason: 'GNOME proxy settings: auto, autoconfig-url http://wpad.corp.example/proxy.pac; PAC returned "PROXY pac-proxy.corp:3128; DIRECT" (http://wpad.corp.example/proxy.pac)',
      settingsRead: true,
    });
  });

  it('GNOME auto without a URL looks for WPAD, and says when there is none', async () => {
    const listing = fixture('gnome-auto.txt').replace(/autoconfig-url '.*'/, "autoconfig-url ''");
    const run = recordedRunner({ gsettings: listing });
    expect(await ask(options({ env: GNOME, run }))).toEqual({
      urls: ['direct'],
      reason: 'GNOME proxy settings: auto, no autoconfig-url (WPAD); WPAD: no wpad host found (wpad.corp.example (not found)); DIRECT',
      settingsRead: true,
    });
    const found = await ask(options({ env: GNOME, run, wpad: { readResolvConf: async () => 'search corp.example\n', lookup: async () => '10.0.0.8' } }));
    expect(found.reason).toBe('GNOME proxy settings: auto, no autoconfig-url (WPAD); WPAD: found http://wpad.corp.example/wpad.dat; PAC returned "PROXY pac-proxy.corp:3128; DIRECT" (http://wpad.corp.example/wpad.dat)');
  });

  it('GNOME none is DIRECT', async () => {
    const run = recordedRunner({ gsettings: fixture('gnome-none.txt') });
    expect(await ask(options({ env: GNOME, run }))).toEqual({ urls: ['direct'], reason: 'GNOME proxy settings: none; DIRECT', settingsRead: true });
  });

  it('KDE reversed exceptions: only the listed hosts use the proxy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kde-'));
    try {
      writeFileSync(join(dir, 'kioslaverc'), fixture('kioslaverc-manual').replace('ReversedException=false', 'ReversedException=true'));
      const opts = options({ env: { KDE_FULL_SESSION: 'true', XDG_CONFIG_HOME: dir } });
      expect(await ask(opts, 'wss://echo.example/')).toMatchObject({ urls: ['direct'], reason: expect.stringMatching(/; echo\.example is not in NoProxyFor \(ReversedException\), so DIRECT$/) });
      expect(await ask(opts, 'wss://a.corp.example/')).toMatchObject({
        urls: ['http://proxy.corp:8080'],
        reason: expect.stringMatching(/NoProxyFor entry `\.corp\.example` matched \(ReversedException: it uses the proxy\); wss:\/\/ uses the https proxy proxy\.corp:8080$/),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('macOS: ExcludeSimpleHostnames sends a name without a dot straight; the exceptions and proxies apply', async () => {
    const run = recordedRunner({ scutil: fixture('scutil-manual.txt') });
    const opts = options({ platform: 'darwin', run });
    expect((await ask(opts, 'wss://intranet/')).reason).toMatch(/intranet has no dot and names without a dot go straight, so DIRECT$/);
    expect((await ask(opts, 'wss://printer.local/')).reason).toMatch(/ExceptionsList entry `\*\.local` matched, so DIRECT$/);
    expect((await ask(opts, 'wss://echo.example/')).urls).toEqual(['http://proxy.corp:8080']);
  });

  it('macOS: auto-discovery first, then the PAC URL when no wpad is found', async () => {
    const run = recordedRunner({ scutil: fixture('scutil-auto.txt') });
    expect((await ask(options({ platform: 'darwin', run }))).reason).toBe(
      'macOS proxy settings (scutil --proxy): ProxyAutoDiscoveryEnable, ProxyAutoConfigURLString http://wpad.corp.example/proxy.pac; WPAD: no wpad host found (wpad.corp.example (not found)); PAC returned "PROXY pac-proxy.corp:3128; DIRECT" (http://wpad.corp.example/proxy.pac)',
    );
  });

  it('Windows: <local> and wildcards in ProxyOverride; AutoDetect skips WPAD and says so', async () => {
    const perScheme = options({ platform: 'win32', run: recordedRunner({ reg: fixture('reg-per-scheme.txt') }) });
    expect((await ask(perScheme, 'wss://fileserver/')).reason).toMatch(/fileserver has no dot .*, so DIRECT$/);
    expect((await ask(perScheme, 'ws://10.1.2.3/')).reason).toMatch(/ProxyOverride entry `10\.\*` matched, so DIRECT$/);
    expect((await ask(perScheme, 'ws://echo.example/')).urls).toEqual(['http://http-proxy.corp:3128']);
    const auto = await ask(options({ platform: 'win32', run: recordedRunner({ reg: fixture('reg-auto.txt') }) }));
    expect(auto.reason).toBe(
      'Windows Internet Settings: AutoDetect, AutoConfigURL http://wpad.corp.example/proxy.pac, ProxyServer set but ProxyEnable is 0; WPAD: not tried on Windows (Tunnelscope reads DNS search domains only from /etc/resolv.conf); PAC returned "PROXY pac-proxy.corp:3128; DIRECT" (http://wpad.corp.example/proxy.pac)',
    );
  });

  it('no desktop settings: DIRECT, settingsRead false, and nothing is run', async () => {
    const calls: string[] = [];
    expect(await ask(options({ run: recordedRunner({}, calls) }))).toEqual({ urls: ['direct'], reason: 'no desktop proxy settings to read (XDG_CURRENT_DESKTOP is not set)', settingsRead: false });
    expect(calls).toEqual([]);
  });
});

describe('createSystemProxy: failures', () => {
  async function failure(promise: Promise<unknown>): Promise<NetFailure> {
    const caught = await promise.then(() => undefined, (error: unknown) => error);
    if (caught instanceof NetFailure) return caught;
    throw new Error(`expected a NetFailure, got ${String(caught)}`);
  }
  const query = { target: new URL('wss://h/'), pacUrl: 'https://h/', pacHost: 'h', timeoutMs: 3000 };

  it('settings that cannot be read are SYSTEM_PROXY_FAILED naming the settings and the problem', async () => {
    const missing = await failure(createSystemProxy(options({ env: GNOME, run: recordedRunner({}) }))(query));
    expect(missing.netError.code).toBe('SYSTEM_PROXY_FAILED');
    expect(missing.message).toBe('The GNOME proxy settings could not be read: `gsettings get org.gnome.system.proxy mode` could not be run: the program is not installed.');
    const garbled = await failure(createSystemProxy(options({ env: GNOME, run: recordedRunner({ gsettings: 'org.gnome.system.proxy mode <garbage>' }) }))(query));
    expect(garbled.message).toMatch(/^The GNOME proxy settings could not be read: `gsettings get org.gnome.system.proxy mode` answered "<garbage>": not a quoted string\.$/);
    const scutil = await failure(createSystemProxy(options({ platform: 'darwin', run: recordedRunner({ scutil: 'junk' }) }))(query));
    expect(scutil.message).toMatch(/^The macOS proxy settings \(scutil --proxy\) could not be read: `scutil --proxy` printed "junk"/);
  });

  it('a PAC URL that fails passes on its own failure', async () => {
    const loadPac = (): Promise<PacEvaluation> => Promise.reject(NetFailure.of('resolve', 'PAC_FETCH_FAILED', {}, { message: 'The PAC file http://wpad.corp.example/proxy.pac could not be loaded: the server answered 404 Not Found.' }));
    const error = await failure(createSystemProxy(options({ env: GNOME, run: recordedRunner({ gsettings: fixture('gnome-auto.txt') }), loadPac }))(query));
    expect(error.netError.code).toBe('PAC_FETCH_FAILED');
  });

  it('settings that never answer end at the one deadline (fake time)', async () => {
    const clock = new ManualClock();
    const pending = failure(createSystemProxy(options({ env: GNOME, clock, run: () => new Promise<string>(() => undefined) }))(query));
    clock.advance(3000);
    const error = await pending;
    expect(error.netError.code).toBe('SYSTEM_PROXY_FAILED');
    expect(error.message).toBe('The system proxy settings could not be read and applied within 3000 ms.');
  });
});

describe('createSystemProxy: settings only (beside Chromium in the desktop app)', () => {
  it('reads and describes the settings, and runs no WPAD and no PAC', async () => {
    const loaded: string[] = [];
    const looked: string[] = [];
    const opts = options({
      platform: 'darwin',
      run: recordedRunner({ scutil: fixture('scutil-auto.txt') }),
      wpad: { readResolvConf: async () => 'search corp.example\n', lookup: async (name) => { looked.push(name); return '10.0.0.8'; } },
      loadPac: (url) => {
        loaded.push(url);
        return Promise.reject(new Error('not expected'));
      },
    });
    const target = new URL('wss://echo.example/');
    const result = await createSystemProxy(opts)({ target, pacUrl: 'https://echo.example/', pacHost: 'echo.example', timeoutMs: 5000, settingsOnly: true });
    expect(result.steps).toEqual(['macOS proxy settings (scutil --proxy): ProxyAutoDiscoveryEnable, ProxyAutoConfigURLString http://wpad.corp.example/proxy.pac']);
    expect([loaded, looked]).toEqual([[], []]);
  });
});

describe('credentials in the settings never reach a reason or a message', () => {
  it('a PAC URL or a proxy with user:password@ is shown with ***@', async () => {
    const gnome = recordedRunner({ gsettings: fixture('gnome-auto.txt').replace('http://wpad.corp.example/proxy.pac', 'http://bob:hunter2@wpad.corp.example/proxy.pac') });
    const auto = await ask(options({ env: GNOME, run: gnome }));
    expect(auto.reason).toContain('autoconfig-url http://***@wpad.corp.example/proxy.pac');
    expect(auto.reason).not.toContain('hunter2');
    const windows = recordedRunner({ reg: '\r\nHKEY_CURRENT_USER\\Software\r\n    ProxyEnable    REG_DWORD    0x1\r\n    ProxyServer    REG_SZ    https=bob:hunter2@bad host:1;gopher=bob:hunter2@g:1\r\n\r\n' });
    const notes = await ask(options({ platform: 'win32', run: windows }));
    expect(notes.reason).toContain('***@');
    expect(notes.reason).not.toContain('hunter2');
    const scutil = recordedRunner({ scutil: '<dictionary> {\n  HTTPProxy http://bob:hunter2@proxy.corp\n}\n' });
    const error = await createSystemProxy(options({ platform: 'darwin', run: scutil }))({ target: new URL('wss://h/'), pacUrl: 'https://h/', pacHost: 'h', timeoutMs: 3000 }).catch((caught: unknown) => caught);
    expect(error instanceof Error ? error.message : '').toContain('***@proxy.corp');
    expect(error instanceof Error ? error.message : 'hunter2').not.toContain('hunter2');
  });
});

describe('createSystemProxy: a PAC URL that fails', () => {
  const failing = (): Promise<PacEvaluation> =>
    Promise.reject(NetFailure.of('resolve', 'PAC_FETCH_FAILED', {}, { message: 'The PAC file http://wpad.corp.example/proxy.pac could not be loaded: the server answered 404 Not Found.' }));

  it('falls back to the fixed proxies when the settings have them (Windows: AutoConfigURL and ProxyServer), as Chromium', async () => {
    const reg = `${fixture('reg-single.txt').trimEnd()}\r\n    AutoConfigURL    REG_SZ    http://wpad.corp.example/proxy.pac\r\n\r\n`;
    const result = await ask(options({ platform: 'win32', run: recordedRunner({ reg }), loadPac: failing }));
    expect(result.urls).toEqual(['http://proxy.corp:8080']);
    expect(result.reason).toContain('; the PAC file could not be used (The PAC file http://wpad.corp.example/proxy.pac could not be loaded: the server answered 404 Not Found), so the fixed proxies apply; wss:// uses the https proxy proxy.corp:8080');
  });
});
