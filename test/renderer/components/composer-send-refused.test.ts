/**
 * A send the engine refuses because the server is not reading (transport/SEND_QUEUE_FULL):
 * the composer says so in the engine's words and keeps the message for another try.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIB } from '../../../src-main/shared/model';
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

describe('Composer: the server is not reading', () => {
  it('shows the refusal and keeps the message', async () => {
    fake.answer('session:send', () => ({
      ok: false,
      error: {
        kind: 'net',
        stage: 'transport',
        code: 'SEND_QUEUE_FULL',
        message: 'The server is not reading (16.0 MiB queued): the message was not sent.',
        hint: 'The session stays open: send again once the queue drains, or close the session.',
        details: { queuedBytes: 16 * MIB },
      },
    }));
    const tabStore = useTabsStore();
    const sessionStore = useSessionsStore();
    sessionStore.start();
    const tab = tabStore.newTab();
    tab.draft.url = 'ws://127.0.0.1:9/';
    await tabStore.connect(tab.id);
    fake.emit({ type: 'state', sessionId: 's1', state: 'open', previous: 'upgrading', at: 1 });
    wrapper = mount(Composer, { props: { tabId: tab.id }, attachTo: document.body });
    await flushPromises();
    const box = wrapper.get<HTMLTextAreaElement>('textarea');
    await box.setValue('big message');
    const send = wrapper.findAll('button').find((b) => b.text() === 'Send');
    await send?.trigger('click');
    await flushPromises();
    expect(fake.calls.filter((c) => c.name === 'session:send')).toHaveLength(1);
    expect(wrapper.text()).toContain('Not sent: The server is not reading (16.0 MiB queued): the message was not sent.');
    expect(box.element.value).toBe('big message');
  });
});
