import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import { useTabsStore } from '../../../src-renderer/src/stores/tabs-store';
import { useSessionsStore } from '../../../src-renderer/src/stores/sessions-store';
import { createFakeBridge, type FakeBridge } from './fake-bridge';

let fake: FakeBridge;

beforeEach(() => {
  setActivePinia(createPinia());
  fake = createFakeBridge();
  setBridge(fake.bridge);
});

describe('sessions store', () => {
  it('subscribes to the event stream once', () => {
    const sessionStore = useSessionsStore();
    sessionStore.start();
    sessionStore.start();
    expect(fake.listenerCount()).toBe(1);
    sessionStore.stop();
    expect(fake.listenerCount()).toBe(0);
  });

  it('opens a session from the tab draft and follows its events', async () => {
    const tabStore = useTabsStore();
    const sessionStore = useSessionsStore();
    sessionStore.start();
    const tab = tabStore.newTab();
    tab.draft.url = ' ws://127.0.0.1:9/chat ';
    tab.draft.proxyMode = 'none';
    tab.draft.headers = [{ name: 'X-Token', value: 'abc', secret: true }, { name: ' ', value: 'ignored' }];
    await tabStore.connect(tab.id);
    expect(fake.calls[0]).toMatchObject({
      name: 'session:open',
      arg: { options: { url: 'ws://127.0.0.1:9/chat', proxy: { mode: 'none' }, headers: [{ name: 'X-Token', value: 'abc', secret: true }] } },
    });
    expect(tab.sessionId).toBe('s1');
    fake.emit({ type: 'state', sessionId: 's1', state: 'connecting', previous: 'resolving-proxy', at: 1 });
    fake.emit({ type: 'state', sessionId: 's1', state: 'open', previous: 'upgrading', at: 2 });
    fake.emit({
      type: 'frames',
      sessionId: 's1',
      fromSeq: 1,
      dropped: 0,
      frames: [
        { seq: 1, dir: 'out', opcode: 'text', at: 3, size: 5, preview: 'hello', truncated: false },
        { seq: 2, dir: 'in', opcode: 'text', at: 4, size: 5, preview: 'hello', truncated: false },
        { seq: 3, dir: 'in', opcode: 'ping', at: 5, size: 0, preview: '', truncated: false },
      ],
    });
    const view = sessionStore.sessions.get('s1');
    expect(view?.state).toBe('open');
    expect(view?.openedAt).toBe(2);
    expect([1, 2, 3].map((seq) => sessionStore.frameCache('s1').get(seq)?.seq)).toEqual([1, 2, 3]);
    // The frames reach the view on the next animation frame (frame-feed.ts).
    sessionStore.flushFrames();
    expect([view?.firstSeq, view?.lastSeq]).toEqual([1, 3]);
    expect(view?.counters).toEqual({ inMessages: 1, inBytes: 5, outMessages: 1, outBytes: 5 });
    expect(view?.framesVersion).toBe(1);
    expect(tabStore.activeSession?.id).toBe('s1');
  });

  it('shows a command error instead of throwing', async () => {
    const tabStore = useTabsStore();
    fake.answer('session:open', () => ({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'session:open: options.url: the URL must start with ws:// or wss://', path: 'options.url' } }));
    const tab = tabStore.newTab();
    tab.draft.url = 'http://x';
    await tabStore.connect(tab.id);
    expect(tab.sessionId).toBeNull();
    expect(tab.commandError).toContain('ws:// or wss://');
  });

  it('previews the proxy decision only for ws URLs', async () => {
    const tabStore = useTabsStore();
    const tab = tabStore.newTab();
    tab.draft.url = 'nonsense';
    await tabStore.previewProxy(tab.id);
    expect(fake.calls).toHaveLength(0);
    tab.draft.url = 'wss://echo.test/';
    await tabStore.previewProxy(tab.id);
    expect(tab.preview.decision?.reason).toBe('HTTPS_PROXY is set');
  });

  it('records an error and the close', () => {
    const sessionStore = useSessionsStore();
    sessionStore.start();
    fake.emit({
      type: 'error',
      sessionId: 's9',
      error: { kind: 'net', stage: 'tunnel', code: 'PROXY_AUTH_REQUIRED', message: 'auth', hint: 'enter credentials', details: {} },
    });
    fake.emit({ type: 'closed', sessionId: 's9', code: null, reason: '', wasClean: false, initiatedBy: 'none', at: 9 });
    const view = sessionStore.sessions.get('s9');
    expect(view?.error?.code).toBe('PROXY_AUTH_REQUIRED');
    expect(view?.closed?.wasClean).toBe(false);
  });
});

describe('resync after the link to the engine came back', () => {
  it('takes states from session:list and ends sessions the engine no longer knows', async () => {
    const sessionStore = useSessionsStore();
    sessionStore.start();
    fake.emit({ type: 'state', sessionId: 'a', state: 'open', previous: 'upgrading', at: 1 });
    fake.emit({ type: 'state', sessionId: 'b', state: 'open', previous: 'upgrading', at: 1 });
    fake.answer('session:list', () => ({
      ok: true,
      value: [{ sessionId: 'a', url: 'ws://x/', state: 'closed', createdAt: 0, framesStored: 0, framesDropped: 7, lastSeq: 0 }],
    }));
    await sessionStore.resync();
    expect(sessionStore.sessions.get('a')?.state).toBe('closed');
    expect(sessionStore.sessions.get('a')?.dropped).toBe(7);
    expect(sessionStore.sessions.get('b')?.state).toBe('closed');
    expect(sessionStore.sessions.get('b')?.closed?.reason).toContain('engine restarted');
  });

  it('takes the legs, the failure and the ending that came during the gap', async () => {
    const sessionStore = useSessionsStore();
    sessionStore.start();
    fake.emit({ type: 'state', sessionId: 'a', state: 'connecting', previous: 'resolving-proxy', at: 1 });
    const step = { leg: 'resolve', startedAt: 1, ms: 2, ok: true } as const;
    const error = { kind: 'net', stage: 'proxy-connect', code: 'PROXY_AUTH_REQUIRED', message: 'The proxy asked for credentials.', hint: 'Enter them.', details: {} } as const;
    const ending = { code: null, reason: '', wasClean: false, initiatedBy: 'none', at: 9 } as const;
    fake.answer('session:list', () => ({
      ok: true,
      value: [{ sessionId: 'a', url: 'ws://x/', state: 'failed', createdAt: 0, framesStored: 0, framesDropped: 0, lastSeq: 0, steps: [step], error, ending }],
    }));
    await sessionStore.resync();
    expect(sessionStore.sessions.get('a')).toMatchObject({ state: 'failed', steps: [step], error: { code: 'PROXY_AUTH_REQUIRED' }, closed: ending });
  });

  it('extends the frame range to the frames that came during the gap', async () => {
    const sessionStore = useSessionsStore();
    sessionStore.start();
    fake.emit({ type: 'state', sessionId: 'a', state: 'open', previous: 'upgrading', at: 1 });
    fake.emit({ type: 'frames', sessionId: 'a', fromSeq: 1, dropped: 0, frames: [{ seq: 1, dir: 'in', opcode: 'text', at: 1, size: 2, preview: 'hi', truncated: false }] });
    fake.answer('session:list', () => ({
      ok: true,
      value: [{ sessionId: 'a', url: 'ws://x/', state: 'open', createdAt: 0, framesStored: 40, framesDropped: 0, lastSeq: 40 }],
    }));
    await sessionStore.resync();
    // The view is published on the next animation frame (a timer here), at most every 100 ms.
    await vi.waitFor(() => expect(sessionStore.sessions.get('a')).toMatchObject({ firstSeq: 1, lastSeq: 40 }), { timeout: 3000 });
  });
});
