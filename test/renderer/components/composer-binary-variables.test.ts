// {{…}} in a Binary message: never filled in (the bytes go out as written), and said before
// Send. Typed into the hex box it is the problem under the box (was "“{” is not a hex digit");
// held by the bytes as text (a Text message with a variable switched to Binary) a note under the
// box says it goes out literally.
import { flushPromises, mount, type DOMWrapper, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import Composer from '../../../src-renderer/src/components/Composer.vue';
import { BINARY_VARIABLES_NOTE, BINARY_VARIABLES_PROBLEM } from '../../../src-renderer/src/composer/binary-variables';
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

async function mountComposer(): Promise<VueWrapper> {
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

function message(w: VueWrapper): Omit<DOMWrapper<HTMLTextAreaElement>, 'exists'> {
  const id = w.findAll('label').find((l) => l.text() === 'Message')?.attributes('for');
  if (!id) throw new Error('no "Message" label');
  return w.get<HTMLTextAreaElement>(`textarea[id="${id}"]`);
}

function button(w: VueWrapper, name: string): DOMWrapper<HTMLButtonElement> {
  const found = w.findAll<HTMLButtonElement>('button').find((b) => b.text() === name);
  if (!found) throw new Error(`no button "${name}"`);
  return found;
}

const sends = () => fake.calls.filter((c) => c.name === 'session:send').map((c) => c.arg);
const note = (w: VueWrapper) => w.find('[data-testid="composer-binary-variables"]');

describe('variables in a Binary message', () => {
  it('typed into the hex or base64 box: the problem says variables are not filled in there, and nothing is sent', async () => {
    const w = await mountComposer();
    await button(w, 'Binary').trigger('click');
    await message(w).setValue('de ad {{$counter}}');
    expect(w.text()).toContain(BINARY_VARIABLES_PROBLEM);
    expect(w.text()).not.toContain('is not a hex digit');
    await button(w, 'Base64').trigger('click');
    await message(w).setValue('3q2+{{token}}');
    expect(w.text()).toContain(BINARY_VARIABLES_PROBLEM);
    await button(w, 'Send').trigger('click');
    await flushPromises();
    expect(sends()).toEqual([]);
    // Other bad input keeps its own words.
    await message(w).setValue('aGVs*G8=');
    expect(w.text()).toContain('Invalid base64: “*” at position 5');
  });

  it('held by the bytes as text (a Text message with a variable switched to Binary): a note before Send, then sent as written', async () => {
    const w = await mountComposer();
    await message(w).setValue('{"token":"{{token}}"}');
    expect(note(w).exists()).toBe(false);
    await button(w, 'Binary').trigger('click');
    expect(note(w).text()).toBe(BINARY_VARIABLES_NOTE);
    await button(w, 'Send').trigger('click');
    await flushPromises();
    expect(sends()).toEqual([{ sessionId: 's1', kind: 'binary', data: btoa('{"token":"{{token}}"}') }]);
    // Bytes without "{{" have no note; one brace is not a template.
    await message(w).setValue('7b 41 7d');
    expect(note(w).exists()).toBe(false);
    await message(w).setValue('7b 7b');
    expect(note(w).exists()).toBe(true);
  });
});
