/**
 * Auto-reconnect as the renderer shows it: the engine reconnects (core/session/ws-connection.ts)
 * and says so with `attempt` events; the renderer opens no session of its own and keeps no
 * timer. The notice's state comes from those events; Cancel asks the engine to close, Now to
 * reconnect at once; the separators stay in the session's view.
 */
import { nextTick } from 'vue';
import { describe, expect, it, vi } from 'vitest';
import { useReconnectStore } from '../../../src-renderer/src/stores/reconnect-store';
import { useTabsStore, type Tab } from '../../../src-renderer/src/stores/tabs-store';
import type { AttemptRecord } from '../../../src-main/shared/attempts';
import { reconnectStoreTest } from './reconnect-store-fixture';

const rs = reconnectStoreTest();

function connectedTab(): Promise<Tab> {
  return rs.connectedTab({ maxAttempts: 3 });
}

function calls(name: string): unknown[] {
  return rs.fake.calls.filter((c) => c.name === name).map((c) => c.arg);
}

function failedAttempt(attempt: number, next: AttemptRecord['next'], stopReason?: string): AttemptRecord {
  return {
    attempt,
    startedAt: 1,
    endedAt: 2,
    afterSeq: 0,
    outcome: { kind: 'failed', opened: false, code: null, reason: '', initiatedBy: 'none', error: { kind: 'net', stage: 'connect', code: 'CONNECTION_REFUSED', message: 'refused', hint: 'is it running?', details: {} } },
    next,
    ...(stopReason !== undefined ? { stopReason } : {}),
  };
}

async function emitAttempt(tab: Tab, record: AttemptRecord): Promise<void> {
  const sessionId = tab.sessionId ?? '';
  rs.fake.emit({ type: 'state', sessionId, state: 'failed', previous: 'connecting', at: Date.now() });
  rs.fake.emit({ type: 'attempt', sessionId, record });
  await nextTick();
}

describe('auto-reconnect in the renderer (the engine does it)', () => {
  it('sends the Reconnect row with session:open and opens nothing more itself', async () => {
    const tab = await connectedTab();
    expect(calls('session:open')).toEqual([expect.objectContaining({ options: expect.objectContaining({ reconnect: { maxAttempts: 3, initialDelayMs: 1000, maxDelayMs: 30_000, resend: 'subscriptions' } }) })]);
    await emitAttempt(tab, failedAttempt(1, { attempt: 2, retry: 1, maxRetries: 3, waitMs: 1000, at: Date.now() + 1000 }));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls('session:open')).toHaveLength(1);
  });

  it('shows the wait from the attempt event, and clears it when the next attempt starts', async () => {
    const tab = await connectedTab();
    const reconnect = useReconnectStore();
    const at = Date.now() + 2000;
    await emitAttempt(tab, failedAttempt(1, { attempt: 2, retry: 1, maxRetries: 3, waitMs: 2000, at }));
    expect(reconnect.stateOf(tab.id)).toMatchObject({ attempt: 2, retry: 1, maxAttempts: 3, nextAt: at, delayMs: 2000, gaveUp: false, reason: 'attempt 1 failed: CONNECTION_REFUSED' });
    const view = useTabsStore().sessionOf(tab.id);
    expect(view?.attempts.map((r) => r.attempt)).toEqual([1]);

    rs.fake.emit({ type: 'attempt-started', sessionId: tab.sessionId ?? '', attempt: 2, at: Date.now() });
    await nextTick();
    expect(reconnect.stateOf(tab.id)).toBeNull();
    expect(view?.error).toBeNull();
    expect(view?.attempts).toHaveLength(1);
  });

  it('Cancel asks the engine to close the connection; Now to reconnect at once', async () => {
    const tab = await connectedTab();
    const reconnect = useReconnectStore();
    await emitAttempt(tab, failedAttempt(1, { attempt: 2, retry: 1, maxRetries: 3, waitMs: 1000, at: Date.now() + 1000 }));
    reconnect.retryNow(tab.id);
    expect(calls('session:reconnect-now')).toEqual([{ sessionId: tab.sessionId }]);
    reconnect.cancel(tab.id);
    expect(calls('session:close')).toEqual([{ sessionId: tab.sessionId }]);
  });

  it("a refusal no attempt can change (the engine's 'not retried: …'): the notice says the connection stopped, and why", async () => {
    const tab = await connectedTab();
    const reconnect = useReconnectStore();
    const sessionId = tab.sessionId ?? '';
    const why = 'not retried: the proxy refuses this CONNECT by its rules (403 Access violation), and another attempt would get the same answer';
    await emitAttempt(tab, failedAttempt(1, null, why));
    rs.fake.emit({ type: 'closed', sessionId, code: null, reason: '', wasClean: false, initiatedBy: 'none', at: Date.now() });
    await nextTick();
    expect(reconnect.stateOf(tab.id)).toMatchObject({ gaveUp: true, nextAt: null, reason: `attempt 1 failed: CONNECTION_REFUSED; ${why}` });
  });

  it('after the limit: a notice that it gave up, with the last outcome; the cancelled wait replaces its separator', async () => {
    const tab = await connectedTab();
    const reconnect = useReconnectStore();
    const sessionId = tab.sessionId ?? '';
    await emitAttempt(tab, failedAttempt(4, null, 'gave up after 3 reconnects (the limit)'));
    rs.fake.emit({ type: 'closed', sessionId, code: null, reason: '', wasClean: false, initiatedBy: 'none', at: Date.now() });
    await nextTick();
    expect(reconnect.stateOf(tab.id)).toMatchObject({ gaveUp: true, nextAt: null, reason: 'attempt 4 failed: CONNECTION_REFUSED; gave up after 3 reconnects (the limit)' });

    const other = await connectedTab();
    await emitAttempt(other, failedAttempt(1, { attempt: 2, retry: 1, maxRetries: 3, waitMs: 1000, at: Date.now() + 1000 }));
    rs.fake.emit({ type: 'attempt', sessionId: other.sessionId ?? '', record: failedAttempt(1, null, 'reconnect cancelled by the user') });
    rs.fake.emit({ type: 'closed', sessionId: other.sessionId ?? '', code: null, reason: '', wasClean: false, initiatedBy: 'client', at: Date.now() });
    await nextTick();
    const view = useTabsStore().sessionOf(other.id);
    expect(view?.attempts.map((r) => r.stopReason)).toEqual(['reconnect cancelled by the user']);
    expect(view?.retry).toBeNull();
    expect(reconnect.stateOf(other.id)).toBeNull();
  });
});
