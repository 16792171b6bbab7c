// The system proxy source in the desktop app: Chromium's resolveProxy, asked about http(s) URLs.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { createSystemResolver, lookupUrl, SYSTEM_PROXY_LABEL } from '../../../src-main/electron/system-proxy';

describe('system proxy: the URL Chromium is asked about', () => {
  it.each([
    ['ws://echo.example/socket?x=1', 'http://echo.example/socket?x=1'],
    ['wss://echo.example/socket', 'https://echo.example/socket'],
    ['wss://echo.example:8443/', 'https://echo.example:8443/'],
    ['ws://user:secret@echo.example/#frag', 'http://echo.example/'],
    ['https://echo.example/', 'https://echo.example/'],
    ['ws://[::1]:9000/', 'http://[::1]:9000/'],
  ])('%s → %s', (target, expected) => {
    expect(lookupUrl(target)).toBe(expected);
  });

  it.each(['ftp://echo.example/', 'file:///etc/passwd', 'not a url'])('refuses %s', (target) => {
    expect(() => lookupUrl(target)).toThrow();
  });
});

describe('system proxy: the resolver', () => {
  it("passes the mapped URL to the session's resolveProxy and returns its answer as is", async () => {
    const resolveProxy = vi.fn(async (_url: string) => 'PROXY proxy.corp:3128; DIRECT');
    const resolver = createSystemResolver({ resolveProxy });
    await expect(resolver('wss://echo.example/socket')).resolves.toBe('PROXY proxy.corp:3128; DIRECT');
    expect(resolveProxy).toHaveBeenCalledWith('https://echo.example/socket');
  });

  it('rejects (never hangs) when the URL cannot be looked up', async () => {
    const resolveProxy = vi.fn(async () => 'DIRECT');
    await expect(createSystemResolver({ resolveProxy })('gopher://x/')).rejects.toThrow(TypeError);
    expect(resolveProxy).not.toHaveBeenCalled();
  });
});

describe('system proxy: through the engine', () => {
  let engine: Engine | undefined;
  afterEach(async () => engine?.dispose());

  function engineWith(answer: () => Promise<string>): Engine {
    engine = new Engine({ host: 'electron', version: 'test', env: { HTTPS_PROXY: 'http://env-proxy:1' }, systemResolver: createSystemResolver({ resolveProxy: answer }), systemLabel: SYSTEM_PROXY_LABEL });
    return engine;
  }

  it('says the decision came from the system settings and quotes their answer', async () => {
    const result = await engineWith(async () => 'PROXY proxy.corp:3128; DIRECT').call('proxy:resolve', { url: 'wss://echo.example/', proxy: { mode: 'system' } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.source).toBe('system');
    expect(result.value.reason).toBe('system settings (Chromium) returned "PROXY proxy.corp:3128; DIRECT"');
    expect(result.value.candidates.map((candidate) => candidate.url)).toEqual(['http://proxy.corp:3128', 'direct']);
  });

  it('in auto mode, a system answer of DIRECT falls through to the environment and says so', async () => {
    const result = await engineWith(async () => 'DIRECT').call('proxy:resolve', { url: 'wss://echo.example/', proxy: { mode: 'auto' } });
    expect(result).toMatchObject({ ok: true, value: { source: 'env', reason: 'system settings (Chromium) say DIRECT; HTTPS_PROXY is set' } });
  });

  it('a garbage answer is a SYSTEM_PROXY_FAILED error, not a crash', async () => {
    const result = await engineWith(async () => 'PROXY').call('proxy:resolve', { url: 'wss://echo.example/', proxy: { mode: 'system' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'SYSTEM_PROXY_FAILED' } });
  });

  it('app:info reports that a system resolver is present', async () => {
    const result = await engineWith(async () => 'DIRECT').call('app:info', {});
    expect(result).toMatchObject({ ok: true, value: { host: 'electron', systemProxy: true } });
  });
});
