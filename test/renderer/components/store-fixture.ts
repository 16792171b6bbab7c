/**
 * Shared set-up for component tests: a fresh Pinia with the tabs and sessions stores on a fake bridge,
 * and a helper that puts a tab into a given session state through real engine events.
 */
import { flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { nextTick } from 'vue';
import { afterEach, beforeEach } from 'vitest';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import { useTabsStore, type Tab } from '../../../src-renderer/src/stores/tabs-store';
import { useSessionsStore } from '../../../src-renderer/src/stores/sessions-store';
import type { NetError } from '../../../src-main/shared/errors';
import type { EngineEvent } from '../../../src-main/shared/events';
import type { HandshakeStep, SessionState } from '../../../src-main/shared/model';
import { createFakeBridge, type FakeBridge } from '../stores/fake-bridge';

export interface Fixture {
  pinia: Pinia;
  fake: FakeBridge;
  /** The tabs store (what most tests drive). */
  store: ReturnType<typeof useTabsStore>;
  sessions: ReturnType<typeof useSessionsStore>;
}

export function createFixture(): Fixture {
  const pinia = createPinia();
  setActivePinia(pinia);
  const fake = createFakeBridge();
  setBridge(fake.bridge);
  const sessions = useSessionsStore();
  sessions.start();
  return { pinia, fake, store: useTabsStore(), sessions };
}

/** Opens a session for a new tab and returns the tab (its session id is `sessionId`). */
export async function connectedTab(fixture: Fixture, url = 'wss://echo.test/'): Promise<Tab & { sessionId: string }> {
  const tab = fixture.store.newTab();
  tab.draft.url = url;
  await fixture.store.connect(tab.id);
  const sessionId = tab.sessionId;
  if (!sessionId) throw new Error('the fake bridge did not open a session');
  return Object.assign(tab, { sessionId });
}

export function emitState(fake: FakeBridge, sessionId: string, state: SessionState, at = Date.now()): void {
  fake.emit({ type: 'state', sessionId, state, previous: 'idle', at });
}

export function emitSteps(fake: FakeBridge, sessionId: string, steps: HandshakeStep[]): void {
  for (const step of steps) fake.emit({ type: 'handshake', sessionId, step });
}

/** The events the engine sends when a session fails. */
export function emitFailure(fake: FakeBridge, sessionId: string, error: NetError): void {
  const events: EngineEvent[] = [
    { type: 'error', sessionId, error },
    { type: 'state', sessionId, state: 'failed', previous: 'tunneling', at: Date.now() },
    { type: 'closed', sessionId, code: null, reason: '', wasClean: false, initiatedBy: 'none', at: Date.now() },
  ];
  for (const event of events) fake.emit(event);
}

/** Lets the fake bridge's answers and the components' updates that follow them all run. */
export async function settle(rounds = 8): Promise<void> {
  for (let i = 0; i < rounds; i++) await flushPromises();
  await nextTick();
}

export interface FixtureTest extends Fixture {
  /** Unmounts `wrapper` after the test; returns it. */
  keep<W extends { unmount(): void }>(wrapper: W): W;
}

/**
 * Per test of the file that calls it (at its top): a fresh fixture before, the wrappers given
 * to `keep` unmounted after. The returned object reads as the current test's Fixture.
 */
export function useFixture(): FixtureTest {
  let current: Fixture | undefined;
  const kept: { unmount(): void }[] = [];
  beforeEach(() => {
    current = createFixture();
  });
  afterEach(() => {
    for (const w of kept.splice(0)) w.unmount();
  });
  const fx = (): Fixture => {
    if (!current) throw new Error('useFixture: no test is running');
    return current;
  };
  return {
    get pinia() {
      return fx().pinia;
    },
    get fake() {
      return fx().fake;
    },
    get store() {
      return fx().store;
    },
    get sessions() {
      return fx().sessions;
    },
    keep(wrapper) {
      kept.push(wrapper);
      return wrapper;
    },
  };
}
