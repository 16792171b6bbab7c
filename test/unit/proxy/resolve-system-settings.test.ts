// resolveProxy with the OS settings readers (the CLI and the web host): the system mode, and auto's order (variables, then settings, then DIRECT).
import { describe, expect, it } from 'vitest';
import { NetFailure } from '../../../src-main/core/errors/net-failure';
import { proxyDecisionSchema, type ProxySetting } from '../../../src-main/shared/model';
import { resolveProxy, type ResolveEnvironment } from '../../../src-main/core/proxy/resolve';
import type { SystemProxy, SystemProxyQuery } from '../../../src-main/core/proxy/system/system-proxy';
import type { SystemRoutes } from '../../../src-main/core/proxy/system/settings-routes';

const MANUAL: SystemRoutes = {
  routes: [{ kind: 'proxy', proxy: { protocol: 'http', host: 'proxy.corp', port: 8080, displayUrl: 'http://proxy.corp:8080' } }],
  steps: ['GNOME proxy settings: manual, https-proxy proxy.corp:8080', 'wss:// uses the https proxy proxy.corp:8080'],
  settingsRead: true,
};

function settings(answer: SystemRoutes | Error, seen: SystemProxyQuery[] = []): SystemProxy {
  return async (query) => {
    seen.push(query);
    if (answer instanceof Error) throw answer;
    return answer;
  };
}

async function summary(setting: ProxySetting, environment: ResolveEnvironment, url = 'wss://u:pw@echo.example/chat'): Promise<{ source: string; urls: string[]; reason: string }> {
  const { decision } = await resolveProxy(url, setting, undefined, environment);
  expect(proxyDecisionSchema.parse(decision)).toEqual(decision);
  return { source: decision.source, urls: decision.candidates.map((c) => c.url), reason: decision.reason };
}

describe('resolveProxy with the OS settings readers', () => {
  it('system mode: the settings decide, every step in the reason; the query carries the PAC view of the URL', async () => {
    const seen: SystemProxyQuery[] = [];
    expect(await summary({ mode: 'system' }, { env: { HTTPS_PROXY: 'http://env:1' }, systemProxy: settings(MANUAL, seen), pacTimeoutMs: 4000 })).toEqual({
      source: 'system',
      urls: ['http://proxy.corp:8080'],
      reason: 'GNOME proxy settings: manual, https-proxy proxy.corp:8080; wss:// uses the https proxy proxy.corp:8080',
    });
    expect(seen.map((query) => ({ pacUrl: query.pacUrl, pacHost: query.pacHost, timeoutMs: query.timeoutMs, target: query.target.href }))).toEqual([
      { pacUrl: 'https://echo.example/', pacHost: 'echo.example', timeoutMs: 4000, target: 'wss://u:pw@echo.example/chat' },
    ]);
  });

  it('system mode: settings that fail are the failure (SYSTEM_PROXY_FAILED, or a PAC code), never a crash', async () => {
    const failed = NetFailure.of('resolve', 'SYSTEM_PROXY_FAILED', {}, { message: 'The GNOME proxy settings could not be read: x.' });
    await expect(resolveProxy('wss://h/', { mode: 'system' }, undefined, { env: {}, systemProxy: settings(failed) })).rejects.toBe(failed);
    const bug = await resolveProxy('wss://h/', { mode: 'system' }, undefined, { env: {}, systemProxy: settings(new TypeError('oops')) }).catch((error: unknown) => error);
    expect(bug).toBeInstanceOf(NetFailure);
    expect(bug instanceof NetFailure ? [bug.netError.code, bug.message] : []).toEqual(['SYSTEM_PROXY_FAILED', 'The system proxy settings could not be read: oops.']);
  });

  it('system mode: with nothing to read, DIRECT and why', async () => {
    const none: SystemRoutes = { routes: [{ kind: 'direct' }], steps: ['no desktop proxy settings to read (XDG_CURRENT_DESKTOP is not set)'], settingsRead: false };
    expect(await summary({ mode: 'system' }, { env: {}, systemProxy: settings(none) })).toEqual({ source: 'system', urls: ['direct'], reason: 'no desktop proxy settings to read (XDG_CURRENT_DESKTOP is not set)' });
  });

  it('auto: a proxy variable decides first, and the settings are not read', async () => {
    const seen: SystemProxyQuery[] = [];
    expect(await summary({ mode: 'auto' }, { env: { HTTPS_PROXY: 'http://env:1' }, systemProxy: settings(MANUAL, seen) })).toEqual({ source: 'env', urls: ['http://env:1'], reason: 'HTTPS_PROXY is set' });
    expect(await summary({ mode: 'auto' }, { env: { HTTPS_PROXY: 'http://env:1', NO_PROXY: 'echo.example' }, systemProxy: settings(MANUAL, seen) })).toEqual({
      source: 'env',
      urls: ['direct'],
      reason: 'NO_PROXY entry `echo.example` matched, so HTTPS_PROXY is not used',
    });
    expect(seen).toEqual([]);
  });

  it('auto: without a variable, the settings decide', async () => {
    expect(await summary({ mode: 'auto' }, { env: { HTTP_PROXY: 'http://only-for-ws:1' }, systemProxy: settings(MANUAL) })).toEqual({
      source: 'system',
      urls: ['http://proxy.corp:8080'],
      reason: 'no proxy variable is set for wss://; GNOME proxy settings: manual, https-proxy proxy.corp:8080; wss:// uses the https proxy proxy.corp:8080',
    });
  });

  it('auto: with no settings to read, DIRECT as before, and why', async () => {
    const none: SystemRoutes = { routes: [{ kind: 'direct' }], steps: ['no desktop proxy settings to read (XDG_CURRENT_DESKTOP is not set)'], settingsRead: false };
    expect(await summary({ mode: 'auto' }, { env: {}, systemProxy: settings(none) })).toEqual({
      source: 'env',
      urls: ['direct'],
      reason: 'no proxy variable is set for wss://; no desktop proxy settings to read (XDG_CURRENT_DESKTOP is not set)',
    });
  });

  it('auto: settings that cannot be read or used do not stop the connection: DIRECT, and the reason says why', async () => {
    const failed = NetFailure.of('resolve', 'PAC_FETCH_FAILED', {}, { message: 'The PAC file http://wpad.corp.example/proxy.pac could not be loaded: the server answered 404 Not Found.' });
    expect(await summary({ mode: 'auto' }, { env: {}, systemProxy: settings(failed) })).toEqual({
      source: 'system',
      urls: ['direct'],
      reason: 'no proxy variable is set for wss://; The PAC file http://wpad.corp.example/proxy.pac could not be loaded: the server answered 404 Not Found; DIRECT',
    });
  });

  it("Chromium's resolver, where the host has one, decides; the readers only add what the settings say", async () => {
    const seen: SystemProxyQuery[] = [];
    const described: SystemRoutes = { routes: [{ kind: 'direct' }], steps: ['GNOME proxy settings: manual, https-proxy proxy.corp:8080'], settingsRead: true };
    const label = { systemLabel: 'system settings (Chromium)' };
    const environment: ResolveEnvironment = { env: {}, ...label, systemResolver: async () => 'PROXY chromium:1', systemProxy: settings(described, seen) };
    expect(await summary({ mode: 'system' }, environment)).toEqual({
      source: 'system',
      urls: ['http://chromium:1'],
      reason: 'system settings (Chromium) returned "PROXY chromium:1"; GNOME proxy settings: manual, https-proxy proxy.corp:8080',
    });
    expect((await summary({ mode: 'auto' }, environment)).reason).toBe('system settings (Chromium) returned "PROXY chromium:1"; GNOME proxy settings: manual, https-proxy proxy.corp:8080');
    const direct: ResolveEnvironment = { env: { HTTPS_PROXY: 'http://env:1' }, ...label, systemResolver: async () => 'DIRECT', systemProxy: settings(described) };
    expect((await summary({ mode: 'auto' }, direct)).reason).toBe('system settings (Chromium) say DIRECT; GNOME proxy settings: manual, https-proxy proxy.corp:8080; HTTPS_PROXY is set');
    expect(seen.every((query) => query.settingsOnly === true)).toBe(true);
    expect(seen).toHaveLength(2);
  });

  it("beside Chromium's resolver, settings that cannot be read or that do not exist add nothing", async () => {
    const failed = NetFailure.of('resolve', 'SYSTEM_PROXY_FAILED', {}, { message: 'The GNOME proxy settings could not be read: x.' });
    const none: SystemRoutes = { routes: [{ kind: 'direct' }], steps: ['no desktop proxy settings to read (XDG_CURRENT_DESKTOP is not set)'], settingsRead: false };
    for (const systemProxy of [settings(failed), settings(none), settings(new TypeError('bug'))]) {
      expect((await summary({ mode: 'system' }, { env: {}, systemResolver: async () => 'PROXY chromium:1', systemProxy })).reason).toBe('system settings returned "PROXY chromium:1"');
    }
  });

  it('proxy credentials go to a proxy the settings chose only on a challenge', async () => {
    const { routes } = await resolveProxy('wss://h/', { mode: 'system' }, { username: 'alice', password: 'pw' }, { env: {}, systemProxy: settings(MANUAL) });
    expect(routes[0]).toMatchObject({ kind: 'proxy', proxy: { username: 'alice', password: 'pw', credentialsOnChallenge: true } });
    // The settings' own route object is not changed.
    expect(MANUAL.routes[0]).not.toHaveProperty('proxy.username');
  });
});
