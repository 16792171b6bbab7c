/**
 * A reloaded page rebuilds a reconnecting session from session:list (sessions-store.ts
 * applySessionInfo): the last `resent` report comes with it, checked at the boundary like every
 * field (checked-bridge.ts against the contract's sessionInfoSchema), so ReconnectNotice says
 * again what the reconnect sent again; and the list's attempts do not make an open attempt look
 * like a wait ("Retrying in") once the next attempt started.
 */
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { checkResult } from '../../../src-renderer/src/bridge/checked-bridge';
import type { ResentReport } from '../../../src-main/shared/attempts';
import type { SessionInfo } from '../../../src-main/shared/session-info';
import { droppedAttempt, reconnectNoticeTest } from './reconnect-notice-fixture';

const page = reconnectNoticeTest('per test');

const dropped = droppedAttempt(1, 24_700, true);
const report: ResentReport = { attempt: 2, sent: [{ seq: 5, label: 'STOMP CONNECT' }, { seq: 7, label: 'STOMP SUBSCRIBE /topic/a' }], notSent: ['MQTT AUTH: not sent again'] };

function info(state: SessionInfo['state'], extra: Partial<SessionInfo> = {}): SessionInfo {
  return { sessionId: 's-re', url: 'ws://h/stomp', state, createdAt: 0, framesStored: 7, framesDropped: 0, lastSeq: 7, attempts: [dropped], ...extra };
}

/** The page after a reload: nothing known but what session:list says; a tab then shows the session. */
async function reloadedWith(listed: SessionInfo): Promise<VueWrapper> {
  const { fx } = page;
  fx.fake.answer('session:list', () => ({ ok: true, value: [listed] }));
  fx.sessions.ensureView(listed.sessionId, listed.url);
  await fx.sessions.resync();
  const tab = fx.store.openSessionTab(listed.sessionId, listed.url);
  const w = page.mountNotice(tab.id);
  await flushPromises();
  return w;
}

describe('after a reload: the resend notice from session:list', () => {
  it('says again what attempt 2 sent again and what was not sent', async () => {
    const w = await reloadedWith(info('open', { resent: report }));
    expect(w.get('[data-testid="resent-notice"]').text()).toContain('Reconnected (attempt 2) — sent again: STOMP CONNECT, STOMP SUBSCRIBE /topic/a');
    expect(w.get('[data-testid="resent-not-sent"]').text()).toContain('MQTT AUTH: not sent again');
    expect(w.text()).not.toContain('Retrying in');
  });

  it('a session still waiting (its ended attempt closed or failed, no ending) shows the wait, not the report', async () => {
    const w = await reloadedWith(info('failed', { resent: { ...report, attempt: 2 }, attempts: [{ ...dropped, next: { attempt: 2, retry: 1, maxRetries: 0, waitMs: 24_700, at: Date.now() + 24_700 } }] }));
    expect(w.get('[data-testid="reconnect-notice"]').text()).toContain('Retrying in');
    expect(w.find('[data-testid="resent-notice"]').exists()).toBe(false);
  });

  it('nothing is said without a report', async () => {
    const w = await reloadedWith(info('open'));
    expect(w.text()).toBe('');
  });

  it('the report crosses the boundary checked: kept when it fits the contract, refused when not', () => {
    const good = checkResult('session:list', { ok: true, value: [info('open', { resent: report })] });
    expect(good.ok && good.value[0]?.resent).toEqual(report);
    const bad = checkResult('session:list', { ok: true, value: [{ ...info('open'), resent: { attempt: 1, sent: [{ seq: 0, label: 'x' }], notSent: [] } }] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toContain('resent');
  });
});
