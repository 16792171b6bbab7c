/**
 * The reconnect notice's words when the wait is one a refusal asked for (the engine's
 * `next.asked`, Retry-After on a 503 or 429): the reason ends with "the server asked to wait
 * 120 s" (or the proxy; with the longest honoured when the ask was longer); without it, as before.
 */
import { nextTick } from 'vue';
import { describe, expect, it } from 'vitest';
import { useReconnectStore } from '../../../src-renderer/src/stores/reconnect-store';
import { type Tab } from '../../../src-renderer/src/stores/tabs-store';
import type { AttemptRecord } from '../../../src-main/shared/attempts';
import { reconnectStoreTest } from './reconnect-store-fixture';

const rs = reconnectStoreTest();

function connectedTab(): Promise<Tab> {
  return rs.connectedTab();
}

async function refusedWith(tab: Tab, next: NonNullable<AttemptRecord['next']>): Promise<void> {
  const sessionId = tab.sessionId ?? '';
  const record: AttemptRecord = {
    attempt: 1,
    startedAt: 1,
    endedAt: 2,
    afterSeq: 0,
    outcome: {
      kind: 'failed',
      opened: false,
      code: null,
      reason: '',
      initiatedBy: 'none',
      error: { kind: 'net', stage: 'upgrade', code: 'UPGRADE_REJECTED', message: 'refused', hint: 'read the answer', details: { upgradeResponse: { startLine: 'HTTP/1.1 503 Service Unavailable', headers: [['Retry-After', '120']] } } },
    },
    next,
  };
  rs.fake.emit({ type: 'state', sessionId, state: 'failed', previous: 'connecting', at: Date.now() });
  rs.fake.emit({ type: 'attempt', sessionId, record });
  await nextTick();
}

describe('the reconnect notice after a Retry-After', () => {
  it('says who asked to wait and how long', async () => {
    const tab = await connectedTab();
    await refusedWith(tab, { attempt: 2, retry: 1, maxRetries: 5, waitMs: 120_000, at: Date.now() + 120_000, asked: { by: 'server', seconds: 120 } });
    expect(useReconnectStore().stateOf(tab.id)).toMatchObject({ delayMs: 120_000, reason: 'attempt 1 failed: UPGRADE_REJECTED; the server asked to wait 120 s' });
  });

  it('a longer ask: the longest honoured; no ask: the reason alone', async () => {
    const tab = await connectedTab();
    await refusedWith(tab, { attempt: 2, retry: 1, maxRetries: 5, waitMs: 600_000, at: Date.now() + 600_000, asked: { by: 'proxy', seconds: 3600 } });
    expect(useReconnectStore().stateOf(tab.id)?.reason).toBe('attempt 1 failed: UPGRADE_REJECTED; the proxy asked to wait 3600 s; 600 s is the longest honoured');
    const other = await connectedTab();
    await refusedWith(other, { attempt: 2, retry: 1, maxRetries: 5, waitMs: 1000, at: Date.now() + 1000 });
    expect(useReconnectStore().stateOf(other.id)?.reason).toBe('attempt 1 failed: UPGRADE_REJECTED');
  });
});
