import { afterAll, describe, expect, it, vi } from 'vitest';
import type { ProxySetting } from '../../../src-main/shared/model';
import { proxyDecisionSchema } from '../../../src-main/shared/model';
import { NetFailure } from '../../../src-main/core/errors/net-failure';
import { disposePacWorkers } from '../../../src-main/core/proxy/pac-script';
import { resolveProxy, resolverUrl, type ResolveEnvironment, type ResolvedRoutes } from '../../../src-main/core/proxy/resolve';

// PAC cases start a worker thread; stop the idle one.
afterAll(() => disposePacWorkers());

const SECRET = 'hunter2';
const NO_ENV: ResolveEnvironment = { env: {} };

function summary(resolved: ResolvedRoutes): { source: string; urls: string[]; reason: string } {
  const { decision } = resolved;
  // Every decision is a valid contract value.
  expect(proxyDecisionSchema.parse(decision)).toEqual(decision);
  return { source: decision.source, urls: decision.candidates.map((c) => c.url), reason: decision.reason };
}

async function failure(promise: Promise<unknown>): Promise<NetFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof NetFailure) return error;
    throw error;
  }
  throw new Error('expected a NetFailure');
}

function fakeSystem(answer: string, seen: string[] = []): (url: string) => Promise<string> {
  return (url) => {
    seen.push(url);
    return Promise.resolve(answer);
  };
}

describe('resolveProxy: modes', () => {
  it.each<[string, ProxySetting, ResolveEnvironment, { source: string; urls: string[]; reason: string }]>([
    ['none', { mode: 'none' }, { env: { HTTPS_PROXY: 'http://p:1' } }, { source: 'none', urls: ['direct'], reason: 'proxy disabled for this connection' }],
    ['manual', { mode: 'manual', url: 'http://m:3128' }, { env: { HTTPS_PROXY: 'http://p:1' } }, { source: 'manual', urls: ['http://m:3128'], reason: 'set by hand' }],
    ['manual socks', { mode: 'manual', url: 'socks5://s' }, NO_ENV, { source: 'manual', urls: ['socks5://s:1080'], reason: 'set by hand' }],
    ['env', { mode: 'env' }, { env: { HTTPS_PROXY: 'http://p:1' } }, { source: 'env', urls: ['http://p:1'], reason: 'HTTPS_PROXY is set' }],
    ['env, nothing set', { mode: 'env' }, NO_ENV, { source: 'env', urls: ['direct'], reason: 'no proxy variable is set for wss://' }],
    ['env, NO_PROXY', { mode: 'env' }, { env: { HTTPS_PROXY: 'http://p:1', NO_PROXY: '.corp' } }, { source: 'env', urls: ['http://p:1'], reason: 'HTTPS_PROXY is set' }],
    ['system', { mode: 'system' }, { env: {}, systemResolver: fakeSystem('PROXY a:3128; DIRECT') }, { source: 'system', urls: ['http://a:3128', 'direct'], reason: 'system settings returned "PROXY a:3128; DIRECT"' }],
    ['system DIRECT', { mode: 'system' }, { env: { HTTPS_PROXY: 'http://p:1' }, systemResolver: fakeSystem('DIRECT') }, { source: 'system', urls: ['direct'], reason: 'system settings returned "DIRECT"' }],
    ['system with a note', { mode: 'system' }, { env: {}, systemResolver: fakeSystem('QUIC q:443; HTTPS h:443') }, { source: 'system', urls: ['https://h:443'], reason: 'system settings returned "QUIC q:443; HTTPS h:443"; skipped "QUIC q:443" (QUIC proxies are not supported)' }],
    ['auto: system names a proxy', { mode: 'auto' }, { env: { HTTPS_PROXY: 'http://p:1' }, systemResolver: fakeSystem('PROXY a:1') }, { source: 'system', urls: ['http://a:1'], reason: 'system settings returned "PROXY a:1"' }],
    ['auto: system DIRECT, env set', { mode: 'auto' }, { env: { HTTPS_PROXY: 'http://p:1' }, systemResolver: fakeSystem('DIRECT') }, { source: 'env', urls: ['http://p:1'], reason: 'system settings say DIRECT; HTTPS_PROXY is set' }],
    ['auto: system empty, env set', { mode: 'auto' }, { env: { HTTPS_PROXY: 'http://p:1' }, systemResolver: fakeSystem('') }, { source: 'env', urls: ['http://p:1'], reason: 'system settings say DIRECT; HTTPS_PROXY is set' }],
    ['auto: system DIRECT, nothing set', { mode: 'auto' }, { env: {}, systemResolver: fakeSystem('DIRECT') }, { source: 'env', urls: ['direct'], reason: 'system settings say DIRECT; no proxy variable is set for wss://' }],
    ['auto: system DIRECT, NO_PROXY', { mode: 'auto' }, { env: { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'echo.example' }, systemResolver: fakeSystem('DIRECT') }, { source: 'env', urls: ['direct'], reason: 'system settings say DIRECT; NO_PROXY entry `echo.example` matched, so HTTPS_PROXY is not used' }],
    ['auto: no system resolver', { mode: 'auto' }, { env: { https_proxy: 'http://p:1' } }, { source: 'env', urls: ['http://p:1'], reason: 'https_proxy is set' }],
    ['auto: nothing at all', { mode: 'auto' }, NO_ENV, { source: 'env', urls: ['direct'], reason: 'no proxy variable is set for wss://' }],
  ])('%s', async (_name, setting, environment, expected) => {
    expect(summary(await resolveProxy('wss://echo.example/chat', setting, undefined, environment))).toEqual(expected);
  });

  it('runs an inline PAC script', async () => {
    const setting: ProxySetting = {
      mode: 'pac',
      source: { kind: 'script', script: 'function FindProxyForURL(url, host) { return "PROXY pac:8080; DIRECT"; }' },
    };
    expect(summary(await resolveProxy('wss://echo.example/', setting, undefined, NO_ENV))).toEqual({
      source: 'pac',
      urls: ['http://pac:8080', 'direct'],
      reason: 'PAC returned "PROXY pac:8080; DIRECT" (inline script)',
    });
  });

  it.each([
    ['wss://u:pw@echo.example:8443/path?q=1#f', 'https://echo.example:8443/', 'echo.example'],
    ['ws://echo.example/path?q=1#f', 'http://echo.example/path?q=1', 'echo.example'],
    ['ws://[::1]:9000/x', 'http://[::1]:9000/x', '::1'],
  ])('gives the PAC script for %s the URL %s and host %s, as browsers do', async (target, url, host) => {
    const script = `function FindProxyForURL(url, host) {
      return url === ${JSON.stringify(url)} && host === ${JSON.stringify(host)} ? "PROXY right:1" : "PROXY wrong:1";
    }`;
    const setting: ProxySetting = { mode: 'pac', source: { kind: 'script', script } };
    expect(summary(await resolveProxy(target, setting, undefined, NO_ENV)).urls).toEqual(['http://right:1']);
  });

  it('gives the system resolver the same URL', async () => {
    const seen: string[] = [];
    await resolveProxy('wss://u:pw@echo.example/path?q', { mode: 'system' }, undefined, { env: {}, systemResolver: fakeSystem('DIRECT', seen) });
    await resolveProxy('ws://echo.example/path?q', { mode: 'auto' }, undefined, { env: {}, systemResolver: fakeSystem('DIRECT', seen) });
    expect(seen).toEqual(['https://echo.example/', 'http://echo.example/path?q']);
  });
});

describe('resolveProxy: failures', () => {
  it.each<[string, ProxySetting, ResolveEnvironment, string, string]>([
    ['manual with a bad URL', { mode: 'manual', url: 'ftp://m:21' }, NO_ENV, 'PROXY_URL_INVALID', 'ftp:// is not a proxy scheme'],
    ['manual with a path', { mode: 'manual', url: 'http://m:1/x' }, NO_ENV, 'PROXY_URL_INVALID', 'has no path'],
    ['env with a bad value', { mode: 'env' }, { env: { HTTPS_PROXY: 'http://p:0' } }, 'PROXY_URL_INVALID', 'HTTPS_PROXY'],
    ['auto with a bad env value', { mode: 'auto' }, { env: { HTTPS_PROXY: 'http://p:0' } }, 'PROXY_URL_INVALID', 'HTTPS_PROXY'],
    ['system without a resolver', { mode: 'system' }, { env: { HTTPS_PROXY: 'http://p:1' } }, 'SYSTEM_PROXY_FAILED', 'This host has no system proxy resolver'],
    ['system that rejects', { mode: 'system' }, { env: {}, systemResolver: () => Promise.reject(new Error('dbus is down')) }, 'SYSTEM_PROXY_FAILED', 'dbus is down'],
    ['system that throws', { mode: 'system' }, { env: {}, systemResolver: () => { throw new Error('no session'); } }, 'SYSTEM_PROXY_FAILED', 'no session'],
    ['system that answers garbage', { mode: 'system' }, { env: {}, systemResolver: fakeSystem('<html>') }, 'SYSTEM_PROXY_FAILED', 'not a proxy list'],
    ['system that answers a non-string', { mode: 'system' }, { env: {}, systemResolver: () => Promise.resolve(JSON.parse('{"a":1}')) }, 'SYSTEM_PROXY_FAILED', 'an object, not a string'],
    ['PAC that throws', { mode: 'pac', source: { kind: 'script', script: 'function FindProxyForURL(u, h) { throw new Error("nope"); }' } }, NO_ENV, 'PAC_EVALUATION_FAILED', 'nope'],
    ['PAC with a syntax error', { mode: 'pac', source: { kind: 'script', script: 'function FindProxyForURL(u, h) {' } }, NO_ENV, 'PAC_INVALID', 'Unexpected end of input'],
  ])('%s', async (_name, setting, environment, code, text) => {
    const error = await failure(resolveProxy('wss://echo.example/', setting, undefined, environment));
    expect(error.netError.stage).toBe('resolve');
    expect(error.netError.code).toBe(code);
    expect(error.netError.message).toContain(text);
  });

  it('keeps the system error message as causeMessage', async () => {
    const error = await failure(
      resolveProxy('wss://h/', { mode: 'system' }, undefined, { env: {}, systemResolver: () => Promise.reject(new Error('dbus is down')) }),
    );
    expect(error.netError.details.causeMessage).toBe('dbus is down');
  });

  it('gives up on a system resolver that never answers, at the deadline (fake time)', async () => {
    vi.useFakeTimers();
    try {
      const resolving = failure(
        resolveProxy('wss://h/', { mode: 'system' }, undefined, { env: {}, systemResolver: () => new Promise<string>(() => undefined), pacTimeoutMs: 300 }),
      );
      await vi.advanceTimersByTimeAsync(300);
      const error = await resolving;
      expect(error.netError.code).toBe('SYSTEM_PROXY_FAILED');
      expect(error.netError.details.timeoutMs).toBe(300);
    } finally {
      vi.useRealTimers();
    }
  });

  it.each<[string, ResolveEnvironment['systemResolver'], string]>([
    ['rejects', () => Promise.reject(new Error('dbus is down')), 'system settings could not be used (The system proxy settings could not be read: dbus is down.); HTTPS_PROXY is set'],
    ['answers garbage', fakeSystem('PROXY'), 'system settings could not be used (The system proxy settings returned something that is not a proxy list: "PROXY": PROXY needs exactly one host:port.); HTTPS_PROXY is set'],
  ])('auto mode falls back to the environment when the system resolver %s', async (_name, systemResolver, reason) => {
    const resolved = await resolveProxy('wss://h/', { mode: 'auto' }, undefined, { env: { HTTPS_PROXY: 'http://p:1' }, systemResolver });
    expect(summary(resolved)).toEqual({ source: 'env', urls: ['http://p:1'], reason });
  });

  it('rejects a target that is not ws:// or wss:// as a caller bug', async () => {
    await expect(resolveProxy('http://h/', { mode: 'none' }, undefined, NO_ENV)).rejects.toBeInstanceOf(TypeError);
  });
});

describe('resolveProxy: credentials', () => {
  const auth = { username: 'opt-user', password: 'opt-pass' };

  it.each<[string, ProxySetting, { username: string; password: string } | undefined, ResolveEnvironment, string | undefined, string | undefined]>([
    // name, setting, proxyAuth, environment, expected username, expected password
    ['manual fields win over the URL and proxyAuth', { mode: 'manual', url: 'http://url-user:url-pass@m:1', username: 'field-user', password: 'field-pass' }, auth, NO_ENV, 'field-user', 'field-pass'],
    ['manual field without password', { mode: 'manual', url: 'http://m:1', username: 'field-user' }, auth, NO_ENV, 'field-user', ''],
    ['an empty manual field does not count', { mode: 'manual', url: 'http://url-user:url-pass@m:1', username: '', password: '' }, auth, NO_ENV, 'url-user', 'url-pass'],
    ['the URL wins over proxyAuth', { mode: 'manual', url: 'http://url-user:url-pass@m:1' }, auth, NO_ENV, 'url-user', 'url-pass'],
    ['proxyAuth for a manual URL without credentials', { mode: 'manual', url: 'http://m:1' }, auth, NO_ENV, 'opt-user', 'opt-pass'],
    ['nothing at all', { mode: 'manual', url: 'http://m:1' }, undefined, NO_ENV, undefined, undefined],
    ['an empty proxyAuth user does not count', { mode: 'manual', url: 'http://m:1' }, { username: '', password: 'x' }, NO_ENV, undefined, undefined],
    ['env URL credentials win over proxyAuth', { mode: 'env' }, auth, { env: { HTTPS_PROXY: 'http://env-user:env-pass@p:1' } }, 'env-user', 'env-pass'],
    ['proxyAuth for an env proxy', { mode: 'env' }, auth, { env: { HTTPS_PROXY: 'http://p:1' } }, 'opt-user', 'opt-pass'],
    ['proxyAuth for a system proxy', { mode: 'system' }, auth, { env: {}, systemResolver: fakeSystem('PROXY s:1') }, 'opt-user', 'opt-pass'],
    ['proxyAuth for an auto proxy', { mode: 'auto' }, auth, { env: { HTTPS_PROXY: 'http://p:1' } }, 'opt-user', 'opt-pass'],
    ['proxyAuth for a PAC proxy', { mode: 'pac', source: { kind: 'script', script: 'function FindProxyForURL(u, h) { return "PROXY c:1"; }' } }, auth, NO_ENV, 'opt-user', 'opt-pass'],
  ])('%s', async (_name, setting, proxyAuth, environment, username, password) => {
    const resolved = await resolveProxy('wss://h/', setting, proxyAuth, environment);
    const route = resolved.routes[0];
    expect(route?.kind).toBe('proxy');
    if (route?.kind !== 'proxy') return;
    expect(route.proxy.username).toBe(username);
    expect(route.proxy.password).toBe(password);
    expect(resolved.decision.candidates[0]?.hasCredentials).toBe(username !== undefined);
  });

  it('applies proxyAuth to every proxy of a list, never to DIRECT, to be sent when asked', async () => {
    const resolved = await resolveProxy('wss://h/', { mode: 'system' }, auth, { env: {}, systemResolver: fakeSystem('PROXY a:1; SOCKS5 b:2; DIRECT') });
    const asked = { username: 'opt-user', password: 'opt-pass', credentialsOnChallenge: true };
    expect(resolved.routes).toEqual([
      { kind: 'proxy', proxy: { protocol: 'http', host: 'a', port: 1, displayUrl: 'http://a:1', ...asked } },
      { kind: 'proxy', proxy: { protocol: 'socks5', host: 'b', port: 2, displayUrl: 'socks5://b:2', ...asked } },
      { kind: 'direct' },
    ]);
    expect(resolved.decision.candidates.map((c) => c.hasCredentials)).toEqual([true, true, false]);
  });

  it('carries the NTLM domain with whichever credentials each proxy gets, never to DIRECT', async () => {
    const withDomain = { ...auth, domain: 'CORP' };
    const listed = await resolveProxy('wss://h/', { mode: 'system' }, withDomain, { env: {}, systemResolver: fakeSystem('PROXY a:1; DIRECT') });
    expect(listed.routes).toEqual([
      { kind: 'proxy', proxy: { protocol: 'http', host: 'a', port: 1, displayUrl: 'http://a:1', username: 'opt-user', password: 'opt-pass', domain: 'CORP', credentialsOnChallenge: true } },
      { kind: 'direct' },
    ]);
    // A manual proxy's own user name (its fields or its URL) takes the domain too; an empty domain is none.
    const fields = await resolveProxy('wss://h/', { mode: 'manual', url: 'http://m:1', username: 'alice', password: 'pw' }, withDomain, NO_ENV);
    expect(fields.routes[0]).toMatchObject({ proxy: { username: 'alice', domain: 'CORP' } });
    const empty = await resolveProxy('wss://h/', { mode: 'manual', url: 'http://m:1' }, { ...auth, domain: '' }, NO_ENV);
    expect(empty.routes[0]).toEqual({ kind: 'proxy', proxy: expect.not.objectContaining({ domain: expect.anything() }) });
  });

  it('sends proxyAuth with the first CONNECT to a proxy set by hand', async () => {
    const resolved = await resolveProxy('wss://h/', { mode: 'manual', url: 'http://m:1' }, auth, NO_ENV);
    expect(resolved.routes).toEqual([
      { kind: 'proxy', proxy: { protocol: 'http', host: 'm', port: 1, displayUrl: 'http://m:1', username: 'opt-user', password: 'opt-pass' } },
    ]);
  });

  it('sends credentials of the proxy URL itself with the first CONNECT, in any mode', async () => {
    const resolved = await resolveProxy('wss://h/', { mode: 'env' }, auth, { env: { HTTPS_PROXY: 'http://alice:pw@p:1' } });
    expect(resolved.routes[0]).toEqual({ kind: 'proxy', proxy: expect.not.objectContaining({ credentialsOnChallenge: true }) });
    expect(resolved.routes[0]).toMatchObject({ proxy: { username: 'alice', password: 'pw' } });
  });

  it.each<[string, ProxySetting, ResolveEnvironment]>([
    ['manual URL', { mode: 'manual', url: `http://alice:${SECRET}@m:1` }, NO_ENV],
    ['manual fields', { mode: 'manual', url: 'http://m:1', username: 'alice', password: SECRET }, NO_ENV],
    ['env URL', { mode: 'env' }, { env: { HTTPS_PROXY: `http://alice:${SECRET}@p:1` } }],
    ['auto env URL', { mode: 'auto' }, { env: { https_proxy: `socks5://alice:${SECRET}@p:1` }, systemResolver: fakeSystem('DIRECT') }],
    ['system', { mode: 'system' }, { env: {}, systemResolver: fakeSystem('PROXY s:1') }],
    ['PAC', { mode: 'pac', source: { kind: 'script', script: 'function FindProxyForURL(u, h) { return "PROXY c:1; DIRECT"; }' } }, NO_ENV],
  ])('no credential appears in the decision JSON (%s)', async (_name, setting, environment) => {
    const resolved = await resolveProxy('wss://h/', setting, { username: 'opt-user', password: SECRET }, environment);
    const json = JSON.stringify(resolved.decision);
    expect(json).not.toContain(SECRET);
    expect(json).not.toContain('alice');
    expect(json).not.toContain('opt-user');
    expect(resolved.decision.candidates[0]?.hasCredentials).toBe(true);
  });

  it('no credential appears in an error either', async () => {
    const error = await failure(resolveProxy('wss://h/', { mode: 'manual', url: `gopher://alice:${SECRET}@m:1` }, undefined, NO_ENV));
    expect(JSON.stringify(error.netError)).not.toContain(SECRET);
  });
});

describe('resolverUrl', () => {
  it.each([
    ['ws://h/', 'http://h/'],
    ['ws://h:80/', 'http://h/'],
    ['ws://h:8080/a/b?c=d#e', 'http://h:8080/a/b?c=d'],
    ['wss://h/a?b', 'https://h/'],
    ['wss://h:443/', 'https://h/'],
    ['wss://u:p@h:8443/', 'https://h:8443/'],
  ])('%s → %s', (target, expected) => {
    expect(resolverUrl(new URL(target))).toBe(expected);
  });
});
