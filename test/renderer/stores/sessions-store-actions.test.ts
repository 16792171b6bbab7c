import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import { useTabsStore, EXAMPLE_URL } from '../../../src-renderer/src/stores/tabs-store';
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
    const tabStore = useTabsStore();
    const tab = tabStore.newTab();
    tab.draft.url = 'wss://echo.test/';
    await tabStore.connect(tab.id);
    expect(tab.sessionId).toBe('s1');
    await tabStore.retryWith(tab.id, { origin: 'https://app.test' });
    expect(tab.draft.origin).toBe('https://app.test');
    expect(tab.sessionId).toBe('s2');
    expect(openArgs()).toMatchObject({ options: { origin: 'https://app.test' } });
    expect(fake.calls).toContainEqual({ name: 'session:dispose', arg: { sessionId: 's1' } });
  });

  it('retryWithProxyCredentials sends them as the manual proxy\'s credentials', async () => {
    const tabStore = useTabsStore();
    const tab = tabStore.newTab();
    tab.draft.url = 'wss://echo.test/';
    tab.draft.proxyMode = 'manual';
    tab.draft.proxyUrl = 'http://proxy.test:3128';
    await tabStore.retryWithProxyCredentials(tab.id, 'alice', 's3cret');
    expect(tab.draft.proxyUsername).toBe('alice');
    expect(openArgs()).toMatchObject({
      options: { proxy: { mode: 'manual', url: 'http://proxy.test:3128', username: 'alice', password: 's3cret' } },
    });
  });

  it('retryWithProxyCredentials sends them as proxyAuth in Auto mode', async () => {
    const tabStore = useTabsStore();
    const tab = tabStore.newTab();
    tab.draft.url = 'wss://echo.test/';
    await tabStore.retryWithProxyCredentials(tab.id, 'bob', 'pw');
    expect(openArgs()).toMatchObject({ options: { proxy: { mode: 'auto' }, proxyAuth: { username: 'bob', password: 'pw' } } });
  });

  it('trustCaFile adds the server CA once and retries', async () => {
    const tabStore = useTabsStore();
    const tab = tabStore.newTab();
    tab.draft.url = 'wss://echo.test/';
    expect(await tabStore.trustCaFile(tab.id, '  /etc/corp-root.pem ', 'server')).toBe(true);
    expect(await tabStore.trustCaFile(tab.id, '/etc/corp-root.pem', 'server')).toBe(true);
    expect(tab.draft.caFiles).toEqual(['/etc/corp-root.pem']);
    expect(openArgs()).toMatchObject({ options: { tls: { caFiles: ['/etc/corp-root.pem'] }, proxyCaFiles: [] } });
  });

  it('trustCaFile with the proxy scope fills the proxy CA files', async () => {
    const tabStore = useTabsStore();
    const tab = tabStore.newTab();
    tab.draft.url = 'wss://echo.test/';
    await tabStore.trustCaFile(tab.id, '/etc/proxy-ca.pem', 'proxy');
    expect(tab.draft.proxyCaFiles).toEqual(['/etc/proxy-ca.pem']);
    expect(tab.draft.caFiles).toEqual([]);
    expect(openArgs()).toMatchObject({ options: { proxyCaFiles: ['/etc/proxy-ca.pem'], tls: { caFiles: [] } } });
  });

  it('trustCaFile refuses an empty path without connecting', async () => {
    const tabStore = useTabsStore();
    const tab = tabStore.newTab();
    expect(await tabStore.trustCaFile(tab.id, '   ', 'server')).toBe(false);
    expect(fake.calls).toHaveLength(0);
  });

  it('connectInsecure turns verification off and retries', async () => {
    const tabStore = useTabsStore();
    const tab = tabStore.newTab();
    tab.draft.url = 'wss://expired.test/';
    await tabStore.connectInsecure(tab.id);
    expect(tab.draft.insecure).toBe(true);
    expect(openArgs()).toMatchObject({ options: { tls: { insecure: true } } });
  });
});

describe('sessions store: command problems', () => {
  it('records the command and path, and strips them from the message', async () => {
    const tabStore = useTabsStore();
    fake.answer('session:open', () => ({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: 'session:open: options.headers.0.name: a header name may contain only letters', path: 'options.headers.0.name' },
    }));
    const tab = tabStore.newTab();
    tab.draft.url = 'wss://echo.test/';
    await tabStore.connect(tab.id);
    expect(tab.commandError).toContain('session:open: options.headers.0.name');
    expect(tab.commandProblem).toEqual({
      command: 'session:open',
      message: 'a header name may contain only letters',
      path: 'options.headers.0.name',
    });
    fake.answer('session:open', () => ({ ok: true, value: { sessionId: 'ok1' } }));
    await tabStore.connect(tab.id);
    expect(tab.commandProblem).toBeNull();
    expect(tab.commandError).toBeNull();
  });
});

describe('sessions store: tabs', () => {
  it('closing the active tab selects its right neighbour, else the left one', async () => {
    const tabStore = useTabsStore();
    const a = tabStore.newTab();
    const b = tabStore.newTab();
    const c = tabStore.newTab();
    tabStore.selectTab(b.id);
    await tabStore.closeTab(b.id);
    expect(tabStore.activeTabId).toBe(c.id);
    await tabStore.closeTab(c.id);
    expect(tabStore.activeTabId).toBe(a.id);
    await tabStore.closeTab(a.id);
    expect(tabStore.activeTabId).toBeNull();
  });

  it('selectRelativeTab wraps around both ways', () => {
    const tabStore = useTabsStore();
    const a = tabStore.newTab();
    const b = tabStore.newTab();
    tabStore.selectRelativeTab(1);
    expect(tabStore.activeTabId).toBe(a.id);
    tabStore.selectRelativeTab(-1);
    expect(tabStore.activeTabId).toBe(b.id);
  });

  it('sessionOf finds the tab\'s session view', async () => {
    const tabStore = useTabsStore();
    const tab = tabStore.newTab();
    expect(tabStore.sessionOf(tab.id)).toBeNull();
    tab.draft.url = 'ws://echo.test/';
    await tabStore.connect(tab.id);
    expect(tabStore.sessionOf(tab.id)?.id).toBe('s1');
  });
});

describe('sessions store: proxy preview', () => {
  it('asks about an example URL while the URL field is empty', async () => {
    const tabStore = useTabsStore();
    const tab = tabStore.newTab();
    await tabStore.previewProxy(tab.id);
    expect(fake.calls[0]).toMatchObject({ name: 'proxy:resolve', arg: { url: EXAMPLE_URL, proxy: { mode: 'auto' } } });
    expect(tab.preview).toMatchObject({ example: true, forUrl: EXAMPLE_URL, pending: false });
    expect(tab.preview.decision?.reason).toBe('HTTPS_PROXY is set');
  });

  it('does not ask while a manual proxy has no address', async () => {
    const tabStore = useTabsStore();
    const tab = tabStore.newTab();
    tab.draft.url = 'wss://echo.test/';
    tab.draft.proxyMode = 'manual';
    await tabStore.previewProxy(tab.id);
    expect(fake.calls).toHaveLength(0);
    expect(tab.preview.decision).toBeNull();
  });

  it('drops an older answer that arrives after a newer one', async () => {
    const tabStore = useTabsStore();
    const tab = tabStore.newTab();
    const pending: (() => void)[] = [];
    // Answer each resolve only when the test says so, in the order it chooses.
    const original = fake.bridge['proxy:resolve'];
    fake.bridge['proxy:resolve'] = (arg) =>
      new Promise<Awaited<ReturnType<typeof original>>>((resolve) => {
        pending.push(() => void original(arg).then(resolve));
      });
    tab.draft.url = 'wss://first.test/';
    const first = tabStore.previewProxy(tab.id);
    tab.draft.url = 'wss://second.test/';
    const second = tabStore.previewProxy(tab.id);
    pending[1]?.();
    await second;
    pending[0]?.();
    await first;
    expect(tab.preview.forUrl).toBe('wss://second.test/');
  });

  it('shows a resolve failure without the command prefix', async () => {
    const tabStore = useTabsStore();
    fake.answer('proxy:resolve', () => ({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'proxy:resolve: proxy.url: bad proxy', path: 'proxy.url' } }));
    const tab = tabStore.newTab();
    tab.draft.url = 'wss://echo.test/';
    await tabStore.previewProxy(tab.id);
    expect(tab.preview.error).toBe('bad proxy');
  });
});
