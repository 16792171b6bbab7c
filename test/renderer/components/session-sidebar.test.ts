// The sidebar's "Not in a tab" list: sessions the engine holds that no tab of this page shows
// (a vanished page's, another page's), whose they are, and Adopt, which opens a tab on one.
import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import SessionSidebar from '../../../src-renderer/src/components/SessionSidebar.vue';
import { useSessionOwnersStore } from '../../../src-renderer/src/stores/session-owners-store';
import type { SessionInfo } from '../../../src-main/shared/session-info';
import { connectedTab, createFixture, type Fixture } from './store-fixture';

let fx: Fixture;
beforeEach(() => {
  fx = createFixture();
});

function info(sessionId: string, extra: Partial<SessionInfo> = {}): SessionInfo {
  return { sessionId, url: `wss://${sessionId}.test/feed`, state: 'open', createdAt: 1, framesStored: 0, framesDropped: 0, lastSeq: 0, ...extra };
}

/** A session's statistics as the engine sends them once a second. */
const STATS = {
  at: 3000,
  totals: { in: { messages: 7, bytes: 70 }, out: { messages: 3, bytes: 30 } },
  window: { startAt: 0, seconds: 2, in: { messages: [4, 3], bytes: [40, 30] }, out: { messages: [2, 1], bytes: [20, 10] } },
  rate: { in: { messagesPerSecond: 3, bytesPerSecond: 30 }, out: { messagesPerSecond: 1, bytesPerSecond: 10 } },
  rtt: { lastMs: null, minMs: null, avgMs: null, maxMs: null, samples: [], pending: 0, unmatchedPongs: 0 },
};

function mountSidebar() {
  // ProfileList asks for profiles; the fake bridge answers from an empty store.
  return mount(SessionSidebar, { global: { plugins: [fx.pinia] } });
}

describe('SessionSidebar: sessions not in a tab', () => {
  it('lists nothing extra while every session has its tab', async () => {
    await connectedTab(fx);
    fx.fake.answer('session:list', () => ({ ok: true, value: [info('s1', { owner: 'you' })] }));
    await useSessionOwnersStore().refresh();
    const w = mountSidebar();
    await flushPromises();
    expect(w.find('[aria-label="Sessions not in a tab"]').exists()).toBe(false);
    w.unmount();
  });

  it('lists the sessions of a page that went away, with when they close, and adopts one into a tab', async () => {
    const disposeAt = new Date(2030, 0, 1, 12, 30, 0).getTime();
    fx.fake.answer('session:list', () => ({
      ok: true,
      value: [info('gone1', { owner: 'gone', disposeAt }), info('other1', { owner: 'other', state: 'closed' })],
    }));
    const owners = useSessionOwnersStore();
    await owners.refresh();
    const w = mountSidebar();
    await flushPromises();
    const list = w.get('[aria-label="Sessions not in a tab"]');
    const rows = list.findAll('li');
    expect(rows.map((row) => row.text())).toEqual([
      expect.stringContaining(`gone1.test`),
      expect.stringContaining(`other1.test`),
    ]);
    expect(rows[0]?.text()).toContain(`open · its page went away; closes at ${new Date(disposeAt).toLocaleTimeString()}`);
    expect(rows[1]?.text()).toContain('closed · another page’s');

    await rows[0]?.get('button').trigger('click');
    await flushPromises();
    expect(fx.fake.calls.filter((call) => call.name === 'session:adopt').map((call) => call.arg)).toEqual([{ sessionId: 'gone1' }]);
    expect(fx.store.activeTab?.sessionId).toBe('gone1');
    expect(owners.ownership.get('gone1')).toEqual({ owner: 'you', disposeAt: null });
    // It has a tab now: it left the list.
    expect(w.get('[aria-label="Sessions not in a tab"]').findAll('li').map((row) => row.text())).toEqual([expect.stringContaining('other1.test')]);
    w.unmount();
  });

  it('does not offer a session whose connect is in flight (its events come before the answer), then lists another page’s once it starts', async () => {
    const w = mountSidebar();
    fx.fake.emit({ type: 'session-created', sessionId: 'new1', url: 'wss://new1.test/', at: 1 });
    await flushPromises();
    expect(w.find('[aria-label="Sessions not in a tab"]').exists()).toBe(false);
    fx.fake.emit({ type: 'state', sessionId: 'new1', state: 'resolving-proxy', previous: 'idle', at: 2 });
    await flushPromises();
    expect(w.get('[aria-label="Sessions not in a tab"]').text()).toContain('another page’s');
    w.unmount();
  });

  it('names another page’s session by its URL when this page heard of it first through a stats event', async () => {
    // The other page's session sends stats every second: one may arrive before session:list answers.
    fx.fake.emit({ type: 'stats', sessionId: 'busy1', stats: STATS });
    await flushPromises();
    fx.fake.answer('session:list', () => ({ ok: true, value: [info('busy1', { owner: 'other' })] }));
    await useSessionOwnersStore().refresh();
    const w = mountSidebar();
    await flushPromises();
    const row = w.get('[aria-label="Sessions not in a tab"]').get('li');
    expect(row.text()).toContain('busy1.test/feed');
    expect(row.text()).not.toContain('New tab');
    w.unmount();
  });

  it('says why an adopt was refused, and opens no tab', async () => {
    fx.fake.answer('session:list', () => ({ ok: true, value: [info('gone1', { owner: 'gone' })] }));
    fx.fake.answer('session:adopt', () => ({
      ok: false,
      error: { code: 'LIMIT_REACHED', message: 'session:adopt: this client already holds 100 sessions, the limit per client (maxSessionsPerClient 100)' },
    }));
    await useSessionOwnersStore().refresh();
    const w = mountSidebar();
    await flushPromises();
    await w.get('[aria-label="Sessions not in a tab"] button').trigger('click');
    await flushPromises();
    expect(w.get('[role="alert"]').text()).toContain('maxSessionsPerClient 100');
    expect(fx.store.tabs).toEqual([]);
    w.unmount();
  });
});

describe('session owners store: pins after a reload', () => {
  it('at start, unpins this page’s sessions that no tab shows (the tabs that pinned them went with the reload)', async () => {
    await connectedTab(fx);
    fx.fake.answer('session:list', () => ({
      ok: true,
      value: [
        info('s1', { owner: 'you', pinned: true }),
        info('before-reload', { owner: 'you', pinned: true }),
        info('unpinned', { owner: 'you', pinned: false }),
        info('theirs', { owner: 'other', pinned: true }),
      ],
    }));
    await useSessionOwnersStore().refresh({ atStart: true });
    expect(fx.fake.calls.filter((call) => call.name === 'session:pin').map((call) => call.arg)).toEqual([{ sessionId: 'before-reload', pinned: false }]);
  });

  it('unpins nothing on a later refresh (a session being opened may not have its tab yet)', async () => {
    fx.fake.answer('session:list', () => ({ ok: true, value: [info('opening', { owner: 'you', pinned: true })] }));
    await useSessionOwnersStore().refresh();
    expect(fx.fake.calls.filter((call) => call.name === 'session:pin')).toEqual([]);
  });
});

describe('sessions store: the engine keeps what a tab shows', () => {
  it('opens sessions pinned and pins a session a tab opens on (an import)', async () => {
    await connectedTab(fx);
    expect(fx.fake.calls.find((call) => call.name === 'session:open')?.arg).toMatchObject({ pin: true });
    fx.store.openSessionTab('imported-1', 'file://log.ndjson');
    expect(fx.fake.calls.filter((call) => call.name === 'session:pin').map((call) => call.arg)).toEqual([{ sessionId: 'imported-1', pinned: true }]);
  });
});
