// A captured session's breakpoint panel: held messages per direction from the queue events,
// forward / edit (JSON checked as typed) / drop / forward all, the rules editor with the
// engine's problem placed at its row, the inject composer and the close-side control — each
// through the intercept:* commands the fake bridge checks against the contract.
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import BreakpointPanel from '../../../src-renderer/src/components/BreakpointPanel.vue';
import { useSessionsStore } from '../../../src-renderer/src/stores/sessions-store';
import type { HeldFrame } from '../../../src-main/shared/intercept-control';
import { createFakeBridge, type FakeBridge } from '../stores/fake-bridge';

const S = 'cap1';
let fake: FakeBridge;
let wrapper: VueWrapper | null = null;

function held(id: number, direction: 'in' | 'out', text: string): HeldFrame {
  return { id, sessionId: S, direction, kind: 'text', size: text.length, at: 1, preview: text, truncated: false };
}

beforeEach(() => {
  setActivePinia(createPinia());
  fake = createFakeBridge();
  setBridge(fake.bridge);
  const sessions = useSessionsStore();
  sessions.handleEvent({ type: 'session-created', sessionId: S, url: 'wss://trade.example/ws', at: 1, captured: { clientAddress: '127.0.0.1:50000' } });
  sessions.handleEvent({ type: 'state', sessionId: S, state: 'open', previous: 'upgrading', at: 2 });
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
});

async function mountPanel(): Promise<VueWrapper> {
  wrapper = mount(BreakpointPanel, { props: { sessionId: S }, attachTo: document.body });
  await flushPromises();
  return wrapper;
}

function lastArg(name: string): unknown {
  return [...fake.calls].reverse().find((call) => call.name === name)?.arg;
}

describe('the breakpoint panel', () => {
  it('lists held messages per direction with the waiting counts; forward, drop and forward all go to the engine', async () => {
    const w = await mountPanel();
    expect(w.text()).toContain('Nothing held.');
    fake.answer('intercept:held', () => ({ ok: true, value: { frames: [{ ...held(1, 'out', '{"type":"order"}'), base64: btoa('{"type":"order"}'), text: '{"type":"order"}' }], queues: [] } }));
    fake.emit({ type: 'intercept-queue', sessionId: S, held: [held(1, 'out', '{"type":"order"}'), held(2, 'in', 'secret')], waiting: { out: 3, in: 1 } });
    await flushPromises();
    expect(w.get('[data-testid="held-out"]').text()).toContain('{"type":"order"}');
    expect(w.get('[data-testid="held-in"]').text()).toContain('secret');
    expect(w.get('[data-testid="waiting-counts"]').text()).toBe('waiting: 3 to the server · 1 to the client');
    expect(w.text()).toContain('Held (2)');
    // Only #1's whole payload came back: #2 cannot be edited from its (possibly cut) preview.
    expect(w.get('[data-testid="held-1"] [data-testid="held-edit"]').attributes('disabled')).toBeUndefined();
    expect(w.get('[data-testid="held-2"] [data-testid="held-edit"]').attributes('disabled')).toBeDefined();

    fake.answer('intercept:forward', () => ({ ok: true, value: { edited: false } }));
    await w.get('[data-testid="held-1"] [data-testid="held-forward"]').trigger('click');
    expect(lastArg('intercept:forward')).toEqual({ id: 1 });
    fake.answer('intercept:drop', () => ({ ok: true, value: {} }));
    await w.get('[data-testid="held-2"] [data-testid="held-drop"]').trigger('click');
    expect(lastArg('intercept:drop')).toEqual({ id: 2 });
    fake.answer('intercept:forward-all', () => ({ ok: true, value: { count: 2 } }));
    await w.get('[data-testid="forward-all"]').trigger('click');
    expect(lastArg('intercept:forward-all')).toEqual({ sessionId: S });
  });

  it('an edit as JSON is checked as typed and sent as typed; the engine refusing it is shown', async () => {
    const w = await mountPanel();
    fake.answer('intercept:held', () => ({ ok: true, value: { frames: [{ ...held(5, 'out', '{"qty":1}'), base64: btoa('{"qty":1}'), text: '{"qty":1}' }], queues: [] } }));
    fake.emit({ type: 'intercept-queue', sessionId: S, held: [held(5, 'out', '{"qty":1}')], waiting: { out: 1, in: 0 } });
    await flushPromises();
    await w.get('[data-testid="held-edit"]').trigger('click');
    const json = w.findAll('button').find((b) => b.text() === 'JSON');
    await json?.trigger('click');
    const editor = w.get('[data-testid="held-editor"]');
    expect((editor.element as HTMLTextAreaElement).value).toBe('{\n  "qty": 1\n}');
    await editor.setValue('{"qty":');
    expect(w.get('[data-testid="held-forward-edited"]').attributes('disabled')).toBeDefined();
    expect(w.text()).toMatch(/not JSON: /);
    await editor.setValue('{"qty":100}');
    fake.answer('intercept:forward', () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'no message #5 is held (it was forwarded or dropped, or its connection ended)', path: 'id' } }));
    await w.get('[data-testid="held-forward-edited"]').trigger('submit');
    await flushPromises();
    expect(lastArg('intercept:forward')).toEqual({ id: 5, edit: { as: 'json', value: '{"qty":100}' } });
    expect(w.get('[data-testid="breakpoint-problem"]').text()).toContain('no message #5 is held');
  });

  it('the rules editor sends the rows as rules; a rule the engine refuses is marked at its row', async () => {
    const w = await mountPanel();
    await w.findAll('button').find((b) => b.text().startsWith('Rules'))?.trigger('click');
    expect(w.text()).toContain('No rules');
    await w.get('[data-testid="rule-add"]').trigger('click');
    await w.get('[aria-label="Rule 1 direction"]').setValue('out');
    await w.get('[aria-label="Rule 1 matches on"]').setValue('jsonPath');
    await w.get('[aria-label="Rule 1 JSONPath"]').setValue('$.items[0');
    await w.get('[aria-label="Rule 1 server host"]').setValue(' trade.example ');
    fake.answer('intercept:set-breakpoints', () => ({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'intercept:set-breakpoints: rules.0.jsonPath: breakpoint 1: the "[" at character 8 is never closed', path: 'rules.0.jsonPath' } }));
    await w.get('[data-testid="rules-apply"]').trigger('click');
    await flushPromises();
    expect(lastArg('intercept:set-breakpoints')).toEqual({ rules: [{ direction: 'out', jsonPath: '$.items[0', host: 'trade.example' }] });
    expect(w.get('[data-testid="rules-problem"]').text()).toContain('is never closed');
    expect(w.get('[data-testid="rule-0"]').classes()).toContain('invalid');
    fake.answer('intercept:set-breakpoints', () => ({ ok: true, value: { rules: [{ direction: 'out', jsonPath: '$.items[0]', host: 'trade.example' }] } }));
    await w.get('[aria-label="Rule 1 JSONPath"]').setValue('$.items[0]');
    await w.get('[data-testid="rules-apply"]').trigger('click');
    await flushPromises();
    expect(w.find('[data-testid="rules-problem"]').exists()).toBe(false);
    expect(w.text()).toContain('1 rule in force');
  });

  it('injects a message either way (hex as a binary message) and closes a side with a checked code', async () => {
    const w = await mountPanel();
    await w.findAll('button').find((b) => b.text() === 'Inject & close')?.trigger('click');
    await w.findAll('button').find((b) => b.text() === 'To the client')?.trigger('click');
    await w.findAll('button').find((b) => b.text() === 'Hex')?.trigger('click');
    await w.get('[data-testid="inject-message"]').setValue('ca fe 0');
    await w.get('[data-testid="inject-send"]').trigger('submit');
    expect(w.text()).toContain('not hex: 5 digits, an odd number (two per byte)');
    expect(fake.calls.some((call) => call.name === 'intercept:inject')).toBe(false);
    await w.get('[data-testid="inject-message"]').setValue('ca fe');
    fake.answer('intercept:inject', () => ({ ok: true, value: { queued: false } }));
    await w.get('[data-testid="inject-send"]').trigger('submit');
    await flushPromises();
    expect(lastArg('intercept:inject')).toEqual({ sessionId: S, direction: 'in', kind: 'binary', payload: { as: 'hex', value: 'ca fe' } });

    await w.get('[data-testid="close-code"]').setValue('1006');
    expect(w.text()).toContain('1006 (Abnormal Closure) is reserved');
    expect(w.get('[data-testid="close-send"]').attributes('disabled')).toBeDefined();
    await w.get('[data-testid="close-side"]').setValue('client');
    await w.get('[data-testid="close-code"]').setValue('4001');
    fake.answer('intercept:close-side', () => ({ ok: true, value: {} }));
    await w.get('[data-testid="close-send"]').trigger('submit');
    await flushPromises();
    expect(lastArg('intercept:close-side')).toEqual({ sessionId: S, side: 'client', code: 4001, reason: '' });
  });
});
