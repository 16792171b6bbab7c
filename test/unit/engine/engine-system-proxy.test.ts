// The engine with the OS settings readers (as the CLI and the web host start it): app:info and proxy:resolve use them.
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import type { SystemProxy } from '../../../src-main/core/proxy/system/system-proxy';

const systemProxy: SystemProxy = async () => ({
  routes: [{ kind: 'proxy', proxy: { protocol: 'http', host: 'proxy.corp', port: 8080, displayUrl: 'http://proxy.corp:8080' } }],
  steps: ['KDE proxy settings (/home/u/.config/kioslaverc): ProxyType 1 (manual), httpsProxy proxy.corp:8080', 'wss:// uses the https proxy proxy.corp:8080'],
  settingsRead: true,
});

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
});

describe('Engine with systemProxy', () => {
  it('says it has a system proxy source, and resolves auto and system with the settings', async () => {
    engine = new Engine({ host: 'web', version: '1', env: {}, systemProxy });
    expect(await engine.call('app:info', {})).toMatchObject({ ok: true, value: { host: 'web', systemProxy: true } });
    for (const mode of ['auto', 'system'] as const) {
      const result = await engine.call('proxy:resolve', { url: 'wss://echo.example/', proxy: { mode } });
      expect(result).toMatchObject({ ok: true, value: { source: 'system', candidates: [{ url: 'http://proxy.corp:8080' }] } });
    }
  });

  it('without it, system mode is still refused as before', async () => {
    engine = new Engine({ host: 'cli', version: '1', env: {} });
    const result = await engine.call('proxy:resolve', { url: 'wss://echo.example/', proxy: { mode: 'system' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'SYSTEM_PROXY_FAILED' } });
  });
});
