// D9: switching Text → Binary kept nothing (the box came up empty) and the next Send went out as a
// 0 B binary frame. Switching now keeps what can be kept, says what it did, and an empty message
// is sent only when the user answers "send an empty frame".
import { flushPromises, mount, type DOMWrapper, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

async function mountOpen(): Promise<VueWrapper> {
  const tabStore = useTabsStore();
  useSessionsStore().start();
  const tab = tabStore.newTab();
  tab.draft.url = 'ws://127.0.0.1:9/';
  await tabStore.connect(tab.id);
  fake.emit({ type: 'state', sessionId: 's1', state: 'open', previous: 'upgrading', at: 1 });
  wrapper = mount(Composer, { props: { tabId: tab.id }, attachTo: document.body });
  await flushPromises();
  return wrapper;
}

const box = (w: VueWrapper) => w.get<HTMLTextAreaElement>('textarea');
function button(w: VueWrapper, name: string): DOMWrapper<HTMLButtonElement> {
  const found = w.findAll<HTMLButtonElement>('button').find((b) => b.text() === name);
  if (!found) throw new Error(`no button "${name}"`);
  return found;
}
const sends = () => fake.calls.filter((c) => c.name === 'session:send').map((c) => c.arg);
const carried = (w: VueWrapper) => w.find('[data-testid="composer-carried"]');

describe('switching the composer between Text and Binary', () => {
  it('keeps text that is hex as those bytes, and Send sends them', async () => {
    const w = await mountOpen();
    await box(w).setValue('08c80112026f6b');
    await button(w, 'Binary').trigger('click');
    expect(box(w).element.value).toBe('08c80112026f6b');
    expect(carried(w).text()).toBe('The text is hex: kept as its 7 B.');
    expect(w.text()).toContain('7 B');
    await button(w, 'Send').trigger('click');
    await flushPromises();
    expect(sends()).toEqual([{ sessionId: 's1', kind: 'binary', data: btoa('\x08\xc8\x01\x12\x02ok') }]);
  });

  it('turns other text into its UTF-8 bytes, in the chosen encoding, and says so', async () => {
    const w = await mountOpen();
    await box(w).setValue('hé');
    await button(w, 'Binary').trigger('click');
    expect(box(w).element.value).toBe('68 c3 a9');
    expect(carried(w).text()).toBe('The text is not hex: these are its UTF-8 bytes (3 B) as hex.');
    // Typing clears the line.
    await box(w).setValue('68 c3');
    expect(carried(w).exists()).toBe(false);
  });

  it('takes UTF-8 bytes back to Text, and keeps a Binary box that was already filled', async () => {
    const w = await mountOpen();
    await button(w, 'Binary').trigger('click');
    await box(w).setValue('68 69');
    await button(w, 'Text').trigger('click');
    expect(box(w).element.value).toBe('hi');
    expect(carried(w).text()).toBe('The 2 B read as UTF-8 text.');
    await box(w).setValue('other');
    await button(w, 'Binary').trigger('click');
    expect(box(w).element.value).toBe('68 69');
  });

  it('does not carry bytes that are not UTF-8 into Text, and says why', async () => {
    const w = await mountOpen();
    await button(w, 'Binary').trigger('click');
    await box(w).setValue('ff fe');
    await button(w, 'Text').trigger('click');
    expect(box(w).element.value).toBe('');
    expect(carried(w).text()).toBe('The bytes are not UTF-8 text, so Text starts empty; Binary keeps them.');
  });
});

describe('an empty message', () => {
  it('is not sent by Send or Ctrl+Enter; the line under the box sends an empty frame on purpose', async () => {
    const w = await mountOpen();
    await button(w, 'Binary').trigger('click');
    await button(w, 'Send').trigger('click');
    await flushPromises();
    expect(sends()).toEqual([]);
    const ask = w.get('[data-testid="composer-empty"]');
    expect(ask.text()).toContain('The message is empty: nothing was sent.');
    await box(w).trigger('keydown', { key: 'Enter', ctrlKey: true });
    await flushPromises();
    expect(sends()).toEqual([]);
    await button(w, 'Send an empty binary frame').trigger('click');
    await flushPromises();
    expect(sends()).toEqual([{ sessionId: 's1', kind: 'binary', data: '' }]);
    expect(w.find('[data-testid="composer-empty"]').exists()).toBe(false);
  });

  it('in Text too; and typing something takes the question away', async () => {
    const w = await mountOpen();
    await button(w, 'Send').trigger('click');
    await flushPromises();
    expect(sends()).toEqual([]);
    expect(w.find('[data-testid="composer-empty"]').exists()).toBe(true);
    await box(w).setValue('x');
    expect(w.find('[data-testid="composer-empty"]').exists()).toBe(false);
    await button(w, 'Send').trigger('click');
    await flushPromises();
    expect(sends()).toEqual([{ sessionId: 's1', kind: 'text', data: 'x' }]);
  });

  it('is not repeated: Start repeat is disabled and says why', async () => {
    const w = await mountOpen();
    await button(w, 'Repeat…').trigger('click');
    const start = button(w, 'Start repeat');
    expect(start.element.disabled).toBe(true);
    expect(start.attributes('title')).toBe('Nothing to repeat: the message is empty or not valid');
    await box(w).setValue('x');
    expect(button(w, 'Start repeat').element.disabled).toBe(false);
  });
});
