/**
 * The Reconnect row of the connection options: what it sends with session:open, its problem
 * shown in place with the options open, and the whole form read-only (inert) while the engine
 * waits to reconnect.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import ConnectionSetup from '../../../src-renderer/src/components/ConnectionSetup.vue';
import { createFixture, emitState, type Fixture } from './store-fixture';

let fx: Fixture;
let wrapper: VueWrapper | undefined;

beforeEach(() => {
  vi.useFakeTimers();
  fx = createFixture();
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
  vi.useRealTimers();
});

function mountFor(tabId: string): VueWrapper {
  wrapper = mount(ConnectionSetup, { props: { tabId }, global: { plugins: [fx.pinia] }, attachTo: document.body });
  return wrapper;
}

function connectButton(w: VueWrapper) {
  const found = w.findAll('button').find((b) => b.text().trim() === 'Connect');
  if (!found) throw new Error('no Connect button');
  return found;
}

function lastOpen(): unknown {
  return fx.fake.calls.filter((c) => c.name === 'session:open').at(-1)?.arg;
}

describe('the Reconnect row', () => {
  it('is off by default; on, it sends the waits, the limit and the normal-close choice', async () => {
    const tab = fx.store.newTab();
    tab.draft.url = 'wss://echo.test/';
    const w = mountFor(tab.id);
    await connectButton(w).trigger('click');
    await flushPromises();
    expect(lastOpen()).not.toHaveProperty('options.reconnect');

    await w.get('[data-testid="reconnect-on"]').setValue(true);
    await w.get('input[aria-label="First wait before reconnecting, seconds"]').setValue('2');
    await w.get('input[aria-label="Longest wait before reconnecting, seconds"]').setValue('20');
    await w.get('input[aria-label="Reconnects in a row, 0 for no limit"]').setValue('5');
    await w.findAll('label').find((l) => l.text().includes('also after a normal close'))?.get('input').setValue(true);
    await connectButton(w).trigger('click');
    await flushPromises();
    expect(lastOpen()).toMatchObject({ options: { reconnect: { initialDelayMs: 2000, maxDelayMs: 20_000, maxAttempts: 5, retryNormalClose: true, resend: 'subscriptions' } } });
    expect(w.text()).toContain('Reconnect ×5');
  });

  it('sends the opening and the subscriptions again by default; each switch narrows it, off sends nothing again', async () => {
    const tab = fx.store.newTab();
    tab.draft.url = 'wss://echo.test/';
    const w = mountFor(tab.id);
    expect(w.get('[data-testid="reconnect-resend"]').attributes('disabled')).toBeDefined();
    await w.get('[data-testid="reconnect-on"]').setValue(true);
    expect((w.get('[data-testid="reconnect-resend"]').element as HTMLInputElement).checked).toBe(true);
    expect((w.get('[data-testid="reconnect-resend-subscriptions"]').element as HTMLInputElement).checked).toBe(true);
    expect(w.text()).toContain('its password from memory');
    await w.get('[data-testid="reconnect-resend-subscriptions"]').setValue(false);
    await connectButton(w).trigger('click');
    await flushPromises();
    expect(lastOpen()).toMatchObject({ options: { reconnect: { resend: 'opening' } } });
    await w.get('[data-testid="reconnect-resend"]').setValue(false);
    expect(w.get('[data-testid="reconnect-resend-subscriptions"]').attributes('disabled')).toBeDefined();
    expect(tab.draft.reconnectResend).toBe('none');
  });

  it('shows the contract’s problem under the row, with the options open', async () => {
    fx.fake.answer('session:open', () => ({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: 'session:open: options.reconnect.maxDelayMs: the longest wait cannot be shorter than the first wait', path: 'options.reconnect.maxDelayMs' },
    }));
    const tab = fx.store.newTab();
    tab.draft.url = 'wss://echo.test/';
    tab.draft.reconnectOn = true;
    const w = mountFor(tab.id);
    await connectButton(w).trigger('click');
    await flushPromises();
    expect(w.get('button[aria-controls]').attributes('aria-expanded')).toBe('true');
    expect(w.text()).toContain('✖ the longest wait cannot be shorter than the first wait');
  });

  it('makes the form read-only while the engine waits to reconnect, and editable again when the next attempt starts', async () => {
    const tab = fx.store.newTab();
    tab.draft.url = 'wss://echo.test/';
    tab.draft.reconnectOn = true;
    const w = mountFor(tab.id);
    await connectButton(w).trigger('click');
    await flushPromises();
    const sessionId = tab.sessionId ?? '';
    emitState(fx.fake, sessionId, 'failed');
    fx.fake.emit({
      type: 'attempt',
      sessionId,
      record: {
        attempt: 1,
        startedAt: 1,
        endedAt: 2,
        afterSeq: 0,
        outcome: { kind: 'failed', opened: false, code: null, reason: '', initiatedBy: 'none' },
        next: { attempt: 2, retry: 1, maxRetries: 0, waitMs: 1000, at: Date.now() + 1000 },
      },
    });
    await flushPromises();
    const section = w.get('section[aria-label="Connection setup"]');
    expect(section.attributes('inert')).toBeDefined();
    fx.fake.emit({ type: 'attempt-started', sessionId, attempt: 2, at: Date.now() });
    await flushPromises();
    expect(w.get('section[aria-label="Connection setup"]').attributes('inert')).toBeUndefined();
  });
});
