/**
 * The composer's Repeat row and the built-ins: Start sends one `session:send { repeat }` (the
 * engine repeats), the counter follows the engine's `repeat` events, Stop sends
 * `session:send-stop`; bad settings and unknown built-ins are said before anything is sent.
 * "Send all in order" waits its delay between messages (fake timers).
 */
import { flushPromises, mount, type DOMWrapper, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import Composer from '../../../src-renderer/src/components/Composer.vue';
import CopyAsCommand from '../../../src-renderer/src/components/CopyAsCommand.vue';
import { useProfileTabsStore } from '../../../src-renderer/src/stores/profile-tabs-store';
import type { EngineEventOf } from '../../../src-main/shared/events';
import { connectedTab, createFixture, emitState, type Fixture } from './store-fixture';

let fx: Fixture;
const wrappers: VueWrapper[] = [];

beforeEach(() => {
  fx = createFixture();
});
afterEach(() => {
  for (const w of wrappers.splice(0)) w.unmount();
  vi.useRealTimers();
});

async function openComposer(): Promise<{ w: VueWrapper; sessionId: string }> {
  const tab = await connectedTab(fx);
  emitState(fx.fake, tab.sessionId, 'open');
  const w = mount(Composer, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] }, attachTo: document.body });
  wrappers.push(w);
  await flushPromises();
  return { w, sessionId: tab.sessionId };
}

function button(w: VueWrapper, name: string): DOMWrapper<HTMLButtonElement> {
  const found = w.findAll<HTMLButtonElement>('button').find((b) => (b.attributes('aria-label') ?? b.text().trim()) === name);
  if (!found) throw new Error(`no button "${name}"; have: ${w.findAll('button').map((b) => b.attributes('aria-label') ?? b.text().trim()).join(' | ')}`);
  return found;
}

function field(w: VueWrapper, label: string): Omit<DOMWrapper<HTMLInputElement | HTMLTextAreaElement>, 'exists'> {
  const id = w.findAll('label').find((l) => l.text() === label)?.attributes('for');
  if (!id) throw new Error(`no "${label}" label`);
  return w.get(`[id="${id}"]`);
}

const calls = (name: string) => fx.fake.calls.filter((c) => c.name === name).map((c) => c.arg);

function progress(sessionId: string, fields: Partial<EngineEventOf<'repeat'>>): void {
  fx.fake.emit({ type: 'repeat', sessionId, repeatId: 'r1', sent: 0, count: 5, intervalMs: 100, status: 'running', at: 1, ...fields });
}

describe('Composer: Repeat', () => {
  it('Start asks the engine to repeat; the counter follows its events; Stop stops it', async () => {
    const { w, sessionId } = await openComposer();
    fx.fake.answer('session:send', () => ({ ok: true, value: { seq: 1, repeatId: 'r1' } }));
    await field(w, 'Message').setValue('tick {{$counter}}');
    await button(w, 'Repeat…').trigger('click');
    await field(w, 'Times').setValue('5');
    await field(w, 'every').setValue('100');
    await button(w, 'Start repeat').trigger('click');
    await flushPromises();
    expect(calls('session:send')).toEqual([{ sessionId, kind: 'text', data: 'tick {{$counter}}', builtins: true, repeat: { count: 5, intervalMs: 100, until: 'count' } }]);

    progress(sessionId, { sent: 2 });
    await flushPromises();
    expect(w.get('[role="status"]').text()).toBe('sent 2 of 5');
    progress(sessionId, { sent: 2, status: 'waiting' });
    await flushPromises();
    expect(w.get('[role="status"]').text()).toBe('sent 2 of 5 · waiting for the server to read');

    await button(w, 'Stop').trigger('click');
    await flushPromises();
    expect(calls('session:send-stop')).toEqual([{ sessionId }]);
    progress(sessionId, { sent: 2, status: 'stopped' });
    await flushPromises();
    expect(w.get('[role="status"]').text()).toBe('stopped after 2 sends');
    expect(button(w, 'Start repeat').element.disabled).toBe(false);
  });

  it('until stopped sends no count; the row stays while a repeat runs even when folded', async () => {
    const { w, sessionId } = await openComposer();
    fx.fake.answer('session:send', () => ({ ok: true, value: { seq: 1, repeatId: 'r1' } }));
    await field(w, 'Message').setValue('hb');
    await button(w, 'Repeat…').trigger('click');
    await button(w, 'Until stopped').trigger('click');
    await field(w, 'every').setValue('250');
    await button(w, 'Start repeat').trigger('click');
    await flushPromises();
    expect(calls('session:send')).toEqual([{ sessionId, kind: 'text', data: 'hb', builtins: true, repeat: { intervalMs: 250, until: 'stopped' } }]);
    progress(sessionId, { sent: 7, count: null, intervalMs: 250 });
    await button(w, 'Repeat…').trigger('click');
    await flushPromises();
    expect(w.get('[role="status"]').text()).toBe('sent 7');
    expect(button(w, 'Stop').exists()).toBe(true);
  });

  it('says what is wrong with the settings and sends nothing', async () => {
    const { w } = await openComposer();
    await field(w, 'Message').setValue('x');
    await button(w, 'Repeat…').trigger('click');
    await field(w, 'Times').setValue('0');
    await button(w, 'Start repeat').trigger('click');
    await flushPromises();
    expect(w.text()).toContain('The count must be a whole number from 1 to 1,000,000.');
    await field(w, 'Times').setValue('3');
    await field(w, 'every').setValue('2.5');
    await button(w, 'Start repeat').trigger('click');
    await flushPromises();
    expect(w.text()).toContain('The interval must be a whole number of milliseconds from 0 to 86,400,000 (24 h).');
    expect(calls('session:send')).toEqual([]);
  });

  it('a refusal by the engine is said', async () => {
    const { w } = await openComposer();
    fx.fake.answer('session:send', () => ({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'session:send: a repeat is already running on session s1: stop it first (session:send-stop)', path: 'repeat' } }));
    await field(w, 'Message').setValue('x');
    await button(w, 'Repeat…').trigger('click');
    await button(w, 'Start repeat').trigger('click');
    await flushPromises();
    expect(w.text()).toContain('Repeat not started: a repeat is already running on session s1: stop it first (session:send-stop)');
  });
});

describe('Copy as command with the Repeat row open', () => {
  it('carries the message and the repeat for tunnelscope connect, and nothing with the row closed', async () => {
    const { w } = await openComposer();
    const tabId = fx.store.tabs[0]?.id ?? '';
    const copy = mount(CopyAsCommand, { props: { tabId }, global: { plugins: [fx.pinia] }, attachTo: document.body });
    wrappers.push(copy);
    await copy.get('button[aria-haspopup="dialog"]').trigger('click');
    await flushPromises();
    const text = () => copy.get('[data-testid="command-text"]').text();
    await field(w, 'Message').setValue('n={{$counter}}');
    expect(text()).not.toContain('--send');
    await button(w, 'Repeat…').trigger('click');
    await field(w, 'Times').setValue('20');
    await field(w, 'every').setValue('50');
    await flushPromises();
    expect(text()).toContain("--send 'n={{$counter}}' --repeat 20 --interval 50");
  });
});

describe('Composer: built-ins', () => {
  it('names an unknown built-in at once and sends nothing', async () => {
    const { w } = await openComposer();
    await field(w, 'Message').setValue('id {{$uuidd}}');
    await button(w, 'Send').trigger('click');
    await flushPromises();
    expect(w.text()).toContain('unknown built-in {{$uuidd}} at character 4');
    expect(calls('session:send')).toEqual([]);
  });

  it('a single send with built-ins or {{name}}s asks the engine to fill them in; plain text goes as before', async () => {
    const { w, sessionId } = await openComposer();
    await field(w, 'Message').setValue('at {{$timestamp}}');
    await button(w, 'Send').trigger('click');
    await flushPromises();
    await field(w, 'Message').setValue('plain {{name}}');
    await button(w, 'Send').trigger('click');
    await flushPromises();
    expect(calls('session:send')).toEqual([
      { sessionId, kind: 'text', data: 'at {{$timestamp}}', builtins: true },
      { sessionId, kind: 'text', data: 'plain {{name}}', builtins: true },
    ]);
    await field(w, 'Message').setValue('plain');
    await button(w, 'Send').trigger('click');
    await flushPromises();
    expect(calls('session:send').at(-1)).toEqual({ sessionId, kind: 'text', data: 'plain' });
  });

  it('JSON with built-ins is checked as it will be sent', async () => {
    const { w, sessionId } = await openComposer();
    await button(w, 'JSON').trigger('click');
    await field(w, 'Message').setValue('{"n": {{$counter}}, "id": "{{$uuid}}"}');
    await button(w, 'Send').trigger('click');
    await flushPromises();
    expect(calls('session:send')).toEqual([{ sessionId, kind: 'text', data: '{"n": {{$counter}}, "id": "{{$uuid}}"}', builtins: true }]);
    await field(w, 'Message').setValue('{"n": {{$counter}},}');
    await flushPromises();
    expect(w.text()).toContain('Invalid JSON once the built-ins are filled in');
  });
});

describe('saved messages: Send all in order with a delay', () => {
  it('waits the delay between two messages, and Stop ends the sequence', async () => {
    const saved = fx.fake.profiles.handlers['profiles:save']?.({
      profile: {
        name: 'p',
        url: 'ws://echo.test/',
        proxy: { mode: 'none' },
        tls: {},
        savedMessages: [
          { name: 'one', kind: 'text', body: '1' },
          { name: 'two', kind: 'text', body: '2' },
          { name: 'three', kind: 'text', body: '3' },
        ],
      },
    });
    if (!saved?.ok) throw new Error('seed failed');
    await useProfileTabsStore().openInTab([...fx.fake.profiles.views.keys()].at(-1) ?? '');
    const tab = fx.store.activeTab;
    if (!tab) throw new Error('no tab');
    await fx.store.connect(tab.id);
    emitState(fx.fake, tab.sessionId ?? '', 'open');
    const w = mount(Composer, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] }, attachTo: document.body });
    wrappers.push(w);
    await flushPromises();

    vi.useFakeTimers();
    await field(w, 'delay').setValue('500');
    await button(w, 'Send all in order').trigger('click');
    await flushPromises();
    const bodies = () => calls('session:send').map((arg) => (arg as { data: string }).data);
    expect(bodies()).toEqual(['1']);
    await vi.advanceTimersByTimeAsync(499);
    expect(bodies()).toEqual(['1']);
    await vi.advanceTimersByTimeAsync(1);
    expect(bodies()).toEqual(['1', '2']);
    expect(w.text()).toContain('sending 2 of 3…');
    await button(w, 'Stop').trigger('click');
    await vi.advanceTimersByTimeAsync(1000);
    expect(bodies()).toEqual(['1', '2']);
    expect(w.text()).toContain('Stopped after 2 of 3.');

    await field(w, 'delay').setValue('soon');
    await button(w, 'Send all in order').trigger('click');
    await flushPromises();
    expect(w.text()).toContain('The delay must be a whole number of milliseconds from 0 to 86,400,000.');
    expect(bodies()).toEqual(['1', '2']);
  });
});
