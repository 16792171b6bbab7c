import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import { EXAMPLE_URL, useSessionsStore } from '../../../src-renderer/src/stores/sessions-store';
import { createFakeBridge, type FakeBridge } from './fake-bridge';

let fake: FakeBridge;

beforeEach(() => {
  setActivePinia(createPinia());
  fake = createFakeBridge();
  setBridge(fake.bridge);
});

function openArgs(index = -1): unknown {
  const opens = fake.calls.filter((c) => c.name === 'session:open');
  return opens.at(index)?.arg;
}

describe('sessions store: retry actions', () => {
  it('retryWith patches the draft and opens a new session, disposing the failed one', async () => {
    const store = useSessionsStore();
    const tab = store.newTab();
    tab.draft.url = 'wss://echo.test/';
    await store.connect(tab.id);
    expect(tab.sessionId).toBe('s1');
    await store.retryWith(tab.id, { origin: 'https://app.test' });
    expect(tab.draft.origin).toBe('https://app.test');
    expect(tab.sessionId).toBe('s2');
    expect(openArgs()).toMatchObject({ options: { origin: 'https://app.test' } });
    expect(fake.calls).toContainEqual({ name: 'session:dispose', arg: { sessionId: 's1' } });
  });

  it('retryWithProxyCredentials sends them as the manual proxy\'s credentials', async () => {
    const store = useSessionsStore();
    const tab = store.newTab();
    tab.draft.url = 'wss://echo.test/';
    tab.draft.proxyMode = 'manual';
    tab.draft.proxyUrl = 'http://proxy.test:3128';
    await store.retryWithProxyCredentials(tab.id, 'alice', 's3cret');
    expect(tab.draft.proxyUsername).toBe('alice');
    expect(openArgs()).toMatchObject({
      options: { proxy: { mode: 'manual', url: 'http://proxy.test:3128', username: 'alice', password: 's3cret' } },
    });
  });

  it('retryWithProxyCredentials sends them as proxyAuth in Auto mode', async () => {
    const store = useSessionsStore();
    const tab = store.newTab();
    tab.draft.url = 'wss://echo.test/';
    await store.retryWithProxyCredentials(tab.id, 'bob', 'pw');
    expect(openArgs()).toMatchObject({ options: { proxy: { mode: 'auto' }, proxyAuth: { username: 'bob', password: 'pw' } } });
  });

  it('trustCaFile adds the server CA once and retries', async () => {
    const store = useSessionsStore();
    const tab = store.newTab();
    tab.draft.url = 'wss://echo.test/';
    expect(await store.trustCaFile(tab.id, '  /etc/corp-root.pem ', 'server')).toBe(true);
    expect(await store.trustCaFile(tab.id, '/etc/corp-root.pem', 'server')).toBe(true);
    expect(tab.draft.caFiles).toEqual(['/etc/corp-root.pem']);
    expect(openArgs()).toMatchObject({ options: { tls: { caFiles: ['/etc/corp-root.pem'] }, proxyCaFiles: [] } });
  });

  it('trustCaFile with the proxy scope fills the proxy CA files', async () => {
    const store = useSessionsStore();
    const tab = store.newTab();
    tab.draft.url = 'wss://echo.test/';
    await store.trustCaFile(tab.id, '/etc/proxy-ca.pem', 'proxy');
    expect(tab.draft.proxyCaFiles).toEqual(['/etc/proxy-ca.pem']);
    expect(tab.draft.caFiles).toEqual([]);
    expect(openArgs()).toMatchObject({ options: { proxyCaFiles: ['/etc/proxy-ca.pem'], tls: { caFiles: [] } } });
  });

  it('trustCaFile refuses an empty path without connecting', async () => {
    const store = useSessionsStore();
    const tab = store.newTab();
    expect(await store.trustCaFile(tab.id, '   ', 'server')).toBe(false);
    expect(fake.calls).toHaveLength(0);
  });

  it('connectInsecure turns verification off and retries', async () => {
    const store = useSessionsStore();
    const tab = store.newTab();
    tab.draft.url = 'wss://expired.test/';
    await store.connectInsecure(tab.id);
    expect(tab.draft.insecure).toBe(true);
    expect(openArgs()).toMatchObject({ options: { tls: { insecure: true } } });
  });
});

describe('sessions store: command problems', () => {
  it('records the command and path, and strips them from the message', async () => {
    const store = useSessionsStore();
    fake.answer('session:open', () => ({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: 'session:open: options.headers.0.name: a header name may contain only letters', path: 'options.headers.0.name' },
    }));
    const tab = store.newTab();
    tab.draft.url = 'wss://echo.test/';
    await store.connect(tab.id);
    expect(tab.commandError).toContain('session:open: options.headers.0.name');
    expect(tab.commandProblem).toEqual({
      command: 'session:open',
      message: 'a header name may contain only letters',
      path: 'options.headers.0.name',
    });
    fake.answer('session:open', () => ({ ok: true, value: { sessionId: 'ok1' } }));
    await store.connect(tab.id);
    expect(tab.commandProblem).toBeNull();
    expect(tab.commandError).toBeNull();
  });
});

describe('sessions store: tabs', () => {
  it('closing the active tab selects its right neighbour, else the left one', async () => {
    const store = useSessionsStore();
    const a = store.newTab();
    const b = store.newTab();
    const c = store.newTab();
    store.selectTab(b.id);
    await store.closeTab(b.id);
    expect(store.activeTabId).toBe(c.id);
    await store.closeTab(c.id);
    expect(store.activeTabId).toBe(a.id);
    await store.closeTab(a.id);
    expect(store.activeTabId).toBeNull();
  });

  it('selectRelativeTab wraps around both ways', () => {
    const store = useSessionsStore();
    const a = store.newTab();
    const b = store.newTab();
    store.selectRelativeTab(1);
    expect(store.activeTabId).toBe(a.id);
    store.selectRelativeTab(-1);
    expect(store.activeTabId).toBe(b.id);
  });

  it('sessionOf finds the tab\'s session view', async () => {
    const store = useSessionsStore();
    const tab = store.newTab();
    expect(store.sessionOf(tab.id)).toBeNull();
    tab.draft.url = 'ws://echo.test/';
    await store.connect(tab.id);
    expect(store.sessionOf(tab.id)?.id).toBe('s1');
  });
});

describe('sessions store: proxy preview', () => {
  it('asks about an example URL while the URL field is empty', async () => {
    const store = useSessionsStore();
    const tab = store.newTab();
    await store.previewProxy(tab.id);
    expect(fake.calls[0]).toMatchObject({ name: 'proxy:resolve', arg: { url: EXAMPLE_URL, proxy: { mode: 'auto' } } });
    expect(tab.preview).toMatchObject({ example: true, forUrl: EXAMPLE_URL, pending: false });
    expect(tab.preview.decision?.reason).toBe('HTTPS_PROXY is set');
  });

  it('does not ask while a manual proxy has no address', async () => {
    const store = useSessionsStore();
    const tab = store.newTab();
    tab.draft.url = 'wss://echo.test/';
    tab.draft.proxyMode = 'manual';
    await store.previewProxy(tab.id);
    expect(fake.calls).toHaveLength(0);
    expect(tab.preview.decision).toBeNull();
  });

  it('drops an older answer that arrives after a newer one', async () => {
    const store = useSessionsStore();
    const tab = store.newTab();
    const pending: (() => void)[] = [];
    // Answer each resolve only when the test says so, in the order it chooses.
    const original = fake.bridge['proxy:resolve'];
    fake.bridge['proxy:resolve'] = (arg) =>
      new Promise<Awaited<ReturnType<typeof original>>>((resolve) => {
        pending.push(() => void original(arg).then(resolve));
      });
    tab.draft.url = 'wss://first.test/';
    const first = store.previewProxy(tab.id);
    tab.draft.url = 'wss://second.test/';
    const second = store.previewProxy(tab.id);
    pending[1]?.();
    await second;
    pending[0]?.();
    await first;
    expect(tab.preview.forUrl).toBe('wss://second.test/');
  });

  it('shows a resolve failure without the command prefix', async () => {
    const store = useSessionsStore();
    fake.answer('proxy:resolve', () => ({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'proxy:resolve: proxy.url: bad proxy', path: 'proxy.url' } }));
    const tab = store.newTab();
    tab.draft.url = 'wss://echo.test/';
    await store.previewProxy(tab.id);
    expect(tab.preview.error).toBe('bad proxy');
  });
});
