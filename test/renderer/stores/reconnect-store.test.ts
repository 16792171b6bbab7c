/**
 * Auto-reconnect with fake timers: a profile tab whose session ends without the user closing it
 * connects again after 1 s, 2 s, 4 s … (capped), at most N attempts; an open session resets the
 * count; the user closing it, Cancel, connecting by hand or closing the tab stop it.
 */
import { createPinia, setActivePinia } from 'pinia';
import { nextTick } from 'vue';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import { backoffDelay, useReconnectStore } from '../../../src-renderer/src/stores/reconnect-store';
import { useProfilesStore } from '../../../src-renderer/src/stores/profiles-store';
import { useSessionsStore, type Tab } from '../../../src-renderer/src/stores/sessions-store';
import type { ReconnectSetting } from '../../../src-main/shared/profiles';
import { createFakeBridge, type FakeBridge } from './fake-bridge';

let fake: FakeBridge;

beforeEach(() => {
  vi.useFakeTimers();
  setActivePinia(createPinia());
  fake = createFakeBridge();
  setBridge(fake.bridge);
  useSessionsStore().start();
});
afterEach(() => {
  vi.useRealTimers();
});

async function profileTab(reconnect: ReconnectSetting | undefined): Promise<Tab> {
  const result = fake.profiles.handlers['profiles:save']?.({
    profile: { name: 'gw', url: 'wss://echo.test/', proxy: { mode: 'none' }, tls: {}, ...(reconnect ? { reconnect } : {}) },
  });
  if (!result?.ok) throw new Error('seed failed');
  const id = [...fake.profiles.views.keys()][0] ?? '';
  useReconnectStore();
  const tab = await useProfilesStore().openInTab(id);
  if (!tab) throw new Error('no tab');
  return tab;
}

function opens(): number {
  return fake.calls.filter((c) => c.name === 'session:open').length;
}

/** The engine's events for a session that ends: `failed` (before or after open) or closed by someone. */
async function end(tab: Tab, how: 'failed' | 'server' | 'client'): Promise<void> {
  const sessionId = tab.sessionId ?? '';
  if (how === 'failed') {
    fake.emit({ type: 'error', sessionId, error: { kind: 'net', stage: 'connect', code: 'CONNECTION_REFUSED', message: 'the server refused the connection', hint: 'is the server running?', details: {} } });
    fake.emit({ type: 'state', sessionId, state: 'failed', previous: 'connecting', at: Date.now() });
  } else {
    fake.emit({ type: 'state', sessionId, state: 'closed', previous: 'open', at: Date.now() });
  }
  fake.emit({ type: 'closed', sessionId, code: how === 'failed' ? null : 1001, reason: '', wasClean: how !== 'failed', initiatedBy: how === 'failed' ? 'none' : how, at: Date.now() });
  await nextTick();
}

async function open(tab: Tab): Promise<void> {
  fake.emit({ type: 'state', sessionId: tab.sessionId ?? '', state: 'open', previous: 'upgrading', at: Date.now() });
  await nextTick();
}

/** Lets the timer fire and the reconnect's session:open answer arrive. */
async function elapse(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  await nextTick();
}

const SETTING: ReconnectSetting = { enabled: true, initialDelayMs: 1000, maxDelayMs: 4000, maxAttempts: 4 };

describe('backoffDelay', () => {
  it('doubles from the first wait and stops at the longest', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay({ initialDelayMs: 500, maxDelayMs: 5000 }, n))).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
    expect(backoffDelay({ initialDelayMs: 1000, maxDelayMs: 3_600_000 }, 1000)).toBe(3_600_000);
  });
});

describe('auto-reconnect', () => {
  it('a session that fails reconnects after 1 s, 2 s, 4 s, 4 s, then gives up after the last attempt', async () => {
    const tab = await profileTab(SETTING);
    const reconnect = useReconnectStore();
    await useSessionsStore().connect(tab.id);
    expect(opens()).toBe(1);

    const waits = [1000, 2000, 4000, 4000];
    for (const [index, wait] of waits.entries()) {
      await end(tab, 'failed');
      const state = reconnect.stateOf(tab.id);
      expect(state).toMatchObject({ attempt: index + 1, maxAttempts: 4, delayMs: wait, gaveUp: false });
      expect(state?.reason).toBe('the server refused the connection');
      await elapse(wait - 1);
      expect(opens()).toBe(index + 1);
      await elapse(1);
      expect(opens()).toBe(index + 2);
    }
    await end(tab, 'failed');
    expect(reconnect.stateOf(tab.id)).toMatchObject({ gaveUp: true, attempt: 4 });
    await elapse(60_000);
    expect(opens()).toBe(5);
  });

  it('a session that opens starts the count afresh; the server closing it reconnects', async () => {
    const tab = await profileTab(SETTING);
    const reconnect = useReconnectStore();
    await useSessionsStore().connect(tab.id);
    await end(tab, 'failed');
    await elapse(1000);
    await end(tab, 'failed');
    expect(reconnect.stateOf(tab.id)?.attempt).toBe(2);
    await elapse(2000);
    await open(tab);
    expect(reconnect.stateOf(tab.id)).toBeNull();
    await end(tab, 'server');
    expect(reconnect.stateOf(tab.id)).toMatchObject({ attempt: 1, delayMs: 1000 });
    expect(reconnect.stateOf(tab.id)?.reason).toContain('the server closed the connection (1001');
  });

  it('does nothing when the user closed the session, or the profile does not ask for it', async () => {
    const tab = await profileTab(SETTING);
    const reconnect = useReconnectStore();
    await useSessionsStore().connect(tab.id);
    await open(tab);
    await end(tab, 'client');
    expect(reconnect.stateOf(tab.id)).toBeNull();
    await elapse(10_000);
    expect(opens()).toBe(1);

    setActivePinia(createPinia());
    fake = createFakeBridge();
    setBridge(fake.bridge);
    useSessionsStore().start();
    const plain = await profileTab({ ...SETTING, enabled: false });
    await useSessionsStore().connect(plain.id);
    await end(plain, 'failed');
    expect(useReconnectStore().stateOf(plain.id)).toBeNull();
  });

  it('Cancel stops the waiting attempt; connecting by hand or closing the tab does too', async () => {
    const tab = await profileTab(SETTING);
    const sessions = useSessionsStore();
    const reconnect = useReconnectStore();
    await sessions.connect(tab.id);
    await end(tab, 'failed');
    reconnect.cancel(tab.id);
    await elapse(5000);
    expect(opens()).toBe(1);
    expect(reconnect.stateOf(tab.id)).toBeNull();

    await sessions.connect(tab.id); // by hand
    await end(tab, 'failed');
    expect(reconnect.stateOf(tab.id)?.attempt).toBe(1);
    await sessions.connect(tab.id); // by hand again, while waiting
    await nextTick();
    expect(reconnect.stateOf(tab.id)).toBeNull();
    await elapse(5000);
    expect(opens()).toBe(3);

    await end(tab, 'failed');
    expect(reconnect.stateOf(tab.id)).not.toBeNull();
    await sessions.closeTab(tab.id);
    await nextTick();
    expect(reconnect.stateOf(tab.id)).toBeNull();
    await elapse(5000);
    expect(opens()).toBe(3);
  });

  it('Cancel during an attempt: that attempt ending is not retried', async () => {
    const tab = await profileTab(SETTING);
    const reconnect = useReconnectStore();
    await useSessionsStore().connect(tab.id);
    await end(tab, 'failed');
    await elapse(1000);
    expect(opens()).toBe(2);
    expect(reconnect.stateOf(tab.id)?.nextAt).toBeNull();
    reconnect.cancel(tab.id);
    await end(tab, 'failed');
    expect(reconnect.stateOf(tab.id)).toBeNull();
    await elapse(10_000);
    expect(opens()).toBe(2);
  });

  it('gives up at once when the attempt cannot start (the profile was deleted)', async () => {
    const tab = await profileTab(SETTING);
    const reconnect = useReconnectStore();
    await useSessionsStore().connect(tab.id);
    fake.answer('session:open', () => ({ ok: false, error: { code: 'UNKNOWN_PROFILE', message: 'there is no profile with id p1', path: 'profileId' } }));
    await end(tab, 'failed');
    await elapse(1000);
    expect(reconnect.stateOf(tab.id)).toMatchObject({ gaveUp: true, reason: 'there is no profile with id p1' });
  });
});
