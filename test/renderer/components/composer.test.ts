import { flushPromises, mount, type DOMWrapper, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionState } from '../../../src-main/shared/model';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import Composer from '../../../src-renderer/src/components/Composer.vue';
import { useTabsStore } from '../../../src-renderer/src/stores/tabs-store';
import { useSessionsStore } from '../../../src-renderer/src/stores/sessions-store';
import { createFakeBridge, type FakeBridge } from '../stores/fake-bridge';

let fake: FakeBridge;
let wrapper: VueWrapper | null = null;

beforeEach(() => {
  setActivePinia(createPinia());
  fake = createFakeBridge();
  setBridge(fake.bridge);
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
});

async function mountComposer(state: SessionState | null = 'open'): Promise<VueWrapper> {
  const tabStore = useTabsStore();
  const sessionStore = useSessionsStore();
  sessionStore.start();
  const tab = tabStore.newTab();
  if (state) {
    tab.draft.url = 'ws://127.0.0.1:9/';
    await tabStore.connect(tab.id);
    fake.emit({ type: 'state', sessionId: 's1', state, previous: 'upgrading', at: 1 });
  }
  wrapper = mount(Composer, { props: { tabId: tab.id }, attachTo: document.body });
  await flushPromises();
  return wrapper;
}

/** The control labelled "Message", found the way a user (or Playwright) would. */
function message(w: VueWrapper): Omit<DOMWrapper<HTMLTextAreaElement>, 'exists'> {
  const label = w.findAll('label').find((l) => l.text() === 'Message');
  const id = label?.attributes('for');
  if (!id) throw new Error('no "Message" label');
  return w.get<HTMLTextAreaElement>(`textarea[id="${id}"]`);
}

function button(w: VueWrapper, name: string): DOMWrapper<HTMLButtonElement> {
  const found = w.findAll<HTMLButtonElement>('button').find((b) => b.text() === name);
  if (!found) throw new Error(`no button "${name}"`);
  return found;
}

const sends = () => fake.calls.filter((c) => c.name === 'session:send').map((c) => c.arg);

describe('Composer', () => {
  it('sends text with Ctrl+Enter and keeps it for sending again', async () => {
    const w = await mountComposer();
    const box = message(w);
    await box.setValue('{"op":"subscribe"}');
    await box.trigger('keydown', { key: 'Enter', ctrlKey: true });
    await flushPromises();
    expect(sends()).toEqual([{ sessionId: 's1', kind: 'text', data: '{"op":"subscribe"}' }]);
    expect(box.element.value).toBe('{"op":"subscribe"}');
    await box.trigger('keydown', { key: 'Enter', metaKey: true });
    await flushPromises();
    expect(sends()).toHaveLength(2);
    // A plain Enter is a new line, not a send.
    await box.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(sends()).toHaveLength(2);
  });

  it('blocks invalid JSON with its line and column', async () => {
    const w = await mountComposer();
    await button(w, 'JSON').trigger('click');
    const box = message(w);
    await box.setValue('{\n  "op": "subscribe",\n}');
    await button(w, 'Send').trigger('click');
    await flushPromises();
    expect(sends()).toEqual([]);
    expect(box.attributes('aria-invalid')).toBe('true');
    const problem = w.get(`#${box.attributes('aria-describedby')}`).text();
    expect(problem).toBe('Invalid JSON at line 3, column 1: Expected a property name, found “}” (a trailing comma?).');

    await box.setValue('{\n  "op": "subscribe"\n}');
    await button(w, 'Send').trigger('click');
    await flushPromises();
    expect(sends()).toEqual([{ sessionId: 's1', kind: 'text', data: '{\n  "op": "subscribe"\n}' }]);
  });

  it('pretty-prints JSON on request', async () => {
    const w = await mountComposer();
    await button(w, 'JSON').trigger('click');
    await message(w).setValue('{"a":[1,2]}');
    await button(w, 'Format').trigger('click');
    expect(message(w).element.value).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}');
  });

  it('sends binary from hex (spaces allowed) or base64, and rejects invalid input clearly', async () => {
    const w = await mountComposer();
    await button(w, 'Binary').trigger('click');
    const box = message(w);
    await box.setValue('de ad be ef');
    expect(w.text()).toContain('4 B');
    await button(w, 'Send').trigger('click');
    await flushPromises();
    expect(sends()).toEqual([{ sessionId: 's1', kind: 'binary', data: '3q2+7w==' }]);

    await box.setValue('de ad bx');
    await button(w, 'Send').trigger('click');
    await flushPromises();
    expect(sends()).toHaveLength(1);
    expect(w.text()).toContain('Invalid hex: “x” at position 8 is not a hex digit (0–9, a–f).');

    await button(w, 'Base64').trigger('click');
    await box.setValue('aGVsbG8');
    await button(w, 'Send').trigger('click');
    await flushPromises();
    expect(sends()[1]).toEqual({ sessionId: 's1', kind: 'binary', data: 'aGVsbG8=' });

    await box.setValue('aGVs*G8=');
    expect(w.text()).toContain('Invalid base64: “*” at position 5 is not a base64 character');
  });

  it('disables Send, Ping and Close with a reason until the session is open', async () => {
    const w = await mountComposer('connecting');
    const send = button(w, 'Send');
    expect(send.element.disabled).toBe(true);
    expect(w.get(`#${send.attributes('aria-describedby')}`).text()).toBe('Connecting… Send is available once the connection is open.');
    expect(button(w, 'Ping').element.disabled).toBe(true);
    expect(button(w, 'Close…').element.disabled).toBe(true);
    await message(w).trigger('keydown', { key: 'Enter', ctrlKey: true });
    await flushPromises();
    expect(sends()).toEqual([]);
  });

  it('explains that there is nothing to send to before connecting', async () => {
    const w = await mountComposer(null);
    expect(button(w, 'Send').element.disabled).toBe(true);
    expect(w.text()).toContain('Connect first');
  });

  it('pings', async () => {
    const w = await mountComposer();
    await button(w, 'Ping').trigger('click');
    await flushPromises();
    expect(fake.calls.filter((c) => c.name === 'session:ping')).toEqual([{ name: 'session:ping', arg: { sessionId: 's1' } }]);
  });

  it('closes with a validated code and reason', async () => {
    const w = await mountComposer();
    await button(w, 'Close…').trigger('click');
    const form = w.get('form');
    const [code, reason] = form.findAll('input');
    const closes = () => fake.calls.filter((c) => c.name === 'session:close').map((c) => c.arg);

    await code?.setValue('1005');
    await form.trigger('submit');
    await flushPromises();
    expect(closes()).toEqual([]);
    expect(form.text()).toContain('1005 (No Status Received) is reserved and may not be sent.');
    expect(code?.attributes('aria-invalid')).toBe('true');

    await code?.setValue('4000');
    await reason?.setValue('é'.repeat(62));
    expect(form.text()).toContain('The reason is 124 bytes in UTF-8; a close frame holds at most 123.');
    await form.trigger('submit');
    await flushPromises();
    expect(closes()).toEqual([]);

    await reason?.setValue('done testing');
    await form.trigger('submit');
    await flushPromises();
    expect(closes()).toEqual([{ sessionId: 's1', code: 4000, reason: 'done testing' }]);
    expect(w.find('form').exists()).toBe(false);
  });

  it('keeps each tab its own draft', async () => {
    const w = await mountComposer();
    await message(w).setValue('first tab');
    const other = useTabsStore().newTab();
    await w.setProps({ tabId: other.id });
    expect(message(w).element.value).toBe('');
    const first = useTabsStore().tabs[0]?.id ?? '';
    await w.setProps({ tabId: first });
    expect(message(w).element.value).toBe('first tab');
  });
});
