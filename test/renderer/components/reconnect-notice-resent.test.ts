/**
 * ReconnectNotice after a reconnect opened and the engine sent the protocol's opening again
 * (its `resent` events): what went, what waits for the server's answer, what did not and why;
 * Dismiss hides it; nothing without a report (nothing sent again, nothing said), and the wait
 * for the next attempt (with its Cancel and Now) takes its place once the attempt ends.
 */
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { connectedTab, emitState } from './store-fixture';
import { droppedAttempt, reconnectNoticeTest } from './reconnect-notice-fixture';

const page = reconnectNoticeTest('per test');

const dropped = (attempt: number) => droppedAttempt(attempt, 1000);

async function reconnected(): Promise<{ w: VueWrapper; sessionId: string }> {
  const { fx } = page;
  const tab = await connectedTab(fx);
  const sessionId = tab.sessionId;
  const w = page.mountNotice(tab.id);
  emitState(fx.fake, sessionId, 'open');
  fx.fake.emit({ type: 'attempt', sessionId, record: dropped(1) });
  fx.fake.emit({ type: 'attempt-started', sessionId, attempt: 2, at: Date.now() });
  emitState(fx.fake, sessionId, 'open');
  await flushPromises();
  return { w, sessionId };
}

describe('ReconnectNotice: what a reconnect sent again', () => {
  it('says nothing when the engine sent nothing again', async () => {
    const { w } = await reconnected();
    expect(w.find('[data-testid="resent-notice"]').exists()).toBe(false);
    expect(w.text()).toBe('');
  });

  it('names what was sent again and what waits for the answer, then the subscriptions once they went', async () => {
    const { w, sessionId } = await reconnected();
    page.fx.fake.emit({ type: 'resent', sessionId, attempt: 2, sent: [{ seq: 5, label: 'STOMP CONNECT' }], notSent: [], waiting: '1 subscription waits for CONNECTED' });
    await flushPromises();
    const notice = w.get('[data-testid="resent-notice"]');
    expect(notice.text()).toContain('Reconnected (attempt 2) — sent again: STOMP CONNECT · 1 subscription waits for CONNECTED');
    page.fx.fake.emit({ type: 'resent', sessionId, attempt: 2, sent: [{ seq: 5, label: 'STOMP CONNECT' }, { seq: 7, label: 'STOMP SUBSCRIBE /topic/a' }], notSent: [] });
    await flushPromises();
    expect(w.get('[data-testid="resent-notice"]').text()).toContain('sent again: STOMP CONNECT, STOMP SUBSCRIBE /topic/a');
    expect(w.text()).not.toContain('waits');
  });

  it('says what was not sent again and why; Dismiss hides it', async () => {
    const { w, sessionId } = await reconnected();
    page.fx.fake.emit({ type: 'resent', sessionId, attempt: 2, sent: [], notSent: ['STOMP CONNECT: sent in one message with STOMP SEND'] });
    await flushPromises();
    expect(w.get('[data-testid="resent-notice"]').text()).toContain('nothing was sent again');
    expect(w.get('[data-testid="resent-not-sent"]').text()).toContain('not sent again: STOMP CONNECT: sent in one message with STOMP SEND');
    await w.get('button[aria-label="Dismiss what was sent again"]').trigger('click');
    expect(w.find('[data-testid="resent-notice"]').exists()).toBe(false);
  });

  it('gives way to the wait for the next attempt when this one drops', async () => {
    const { w, sessionId } = await reconnected();
    page.fx.fake.emit({ type: 'resent', sessionId, attempt: 2, sent: [{ seq: 5, label: 'MQTT CONNECT' }], notSent: [] });
    await flushPromises();
    expect(w.find('[data-testid="resent-notice"]').exists()).toBe(true);
    page.fx.fake.emit({ type: 'attempt', sessionId, record: dropped(2) });
    await flushPromises();
    expect(w.find('[data-testid="resent-notice"]').exists()).toBe(false);
    expect(w.get('[data-testid="reconnect-notice"]').text()).toContain('Retrying in');
  });

  it('is gone once the connection is closed (the report was about an attempt that is over)', async () => {
    const { w, sessionId } = await reconnected();
    page.fx.fake.emit({ type: 'resent', sessionId, attempt: 2, sent: [{ seq: 5, label: 'MQTT CONNECT' }], notSent: [] });
    await flushPromises();
    expect(w.find('[data-testid="resent-notice"]').exists()).toBe(true);
    page.fx.fake.emit({ type: 'closed', sessionId, code: 1000, reason: '', wasClean: true, initiatedBy: 'client', at: Date.now() });
    await flushPromises();
    expect(w.text()).toBe('');
  });
});
