/**
 * Saved messages of kind Protocol (issue 14): a profile's STOMP SUBSCRIBE and Socket.IO emit are
 * encoded by the engine's encoder (the real one behind the fake bridge) and sent as the bytes it
 * answers, one by one and in order; one the engine refuses to encode stops the sequence, saying why.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Composer from '../../../src-renderer/src/components/Composer.vue';
import { useProfileTabsStore } from '../../../src-renderer/src/stores/profile-tabs-store';
import { protocolMessageSchema, type EncodedMessage, type ProtocolMessage } from '../../../src-main/shared/protocol-message';
import type { Result } from '../../../src-main/shared/result';
import { createFixture, emitState, type Fixture } from './store-fixture';

/** The engine's own encoder, loaded by a path the renderer's type check does not follow (core is Node code). */
const ENCODER = '../../../src-main/core/encode/encode-message';
const { encodeMessage } = (await import(/* @vite-ignore */ ENCODER)) as { encodeMessage: (message: ProtocolMessage) => Result<EncodedMessage> };

let fx: Fixture;
const wrappers: VueWrapper[] = [];

beforeEach(() => {
  fx = createFixture();
  fx.fake.answer('message:encode', (arg) => encodeMessage(protocolMessageSchema.parse((arg as { message: unknown }).message)));
});
afterEach(() => {
  for (const w of wrappers.splice(0)) w.unmount();
});

const SUBSCRIBE = JSON.stringify({ protocol: 'stomp', command: 'SUBSCRIBE', headers: [{ name: 'id', value: 'sub-0' }, { name: 'destination', value: '/topic/prices' }] });
const EMIT = JSON.stringify({ protocol: 'socketio', event: 'chat', args: '["hi"]', ackId: 3 });

async function openComposer(): Promise<{ w: VueWrapper; sessionId: string }> {
  const result = fx.fake.profiles.handlers['profiles:save']?.({
    profile: {
      name: 'broker',
      url: 'wss://broker.test/',
      proxy: { mode: 'none' },
      tls: {},
      savedMessages: [
        { name: 'prices', kind: 'protocol', body: SUBSCRIBE },
        { name: 'chat', kind: 'protocol', body: EMIT },
        { name: 'raw', kind: 'text', body: 'hello' },
      ],
    },
  });
  if (!result?.ok) throw new Error('seed failed');
  await useProfileTabsStore().openInTab([...fx.fake.profiles.views.keys()].at(-1) ?? '');
  const tab = fx.store.activeTab;
  if (!tab) throw new Error('no tab');
  const w = mount(Composer, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] }, attachTo: document.body });
  wrappers.push(w);
  await fx.store.connect(tab.id);
  emitState(fx.fake, tab.sessionId ?? '', 'open');
  await flushPromises();
  return { w, sessionId: tab.sessionId ?? '' };
}

const sends = () => fx.fake.calls.filter((c) => c.name === 'session:send').map((c) => c.arg);

function savedButton(w: VueWrapper, name: string) {
  const found = w.findAll('button').find((b) => b.attributes('aria-label') === name || b.text() === name);
  if (!found) throw new Error(`no button ${name}`);
  return found;
}

describe('saved protocol messages', () => {
  it('are encoded, then sent; one at a time and all in order', async () => {
    const { w, sessionId } = await openComposer();
    expect(savedButton(w, 'Send saved message “prices”').attributes('title')).toContain('protocol: {"protocol":"stomp"');
    await savedButton(w, 'Send saved message “prices”').trigger('click');
    await flushPromises();
    expect(sends()).toEqual([{ sessionId, kind: 'text', data: 'SUBSCRIBE\nid:sub-0\ndestination:/topic/prices\n\n\u0000' }]);
    await savedButton(w, 'Send all in order').trigger('click');
    await flushPromises();
    expect(sends().slice(1)).toEqual([
      { sessionId, kind: 'text', data: 'SUBSCRIBE\nid:sub-0\ndestination:/topic/prices\n\n\u0000' },
      { sessionId, kind: 'text', data: '423["chat","hi"]' },
      { sessionId, kind: 'text', data: 'hello' },
    ]);
    expect(w.text()).toContain('Sent all 3 in order.');
  });

  it('one the engine cannot encode is not sent, and says why', async () => {
    const { w } = await openComposer();
    fx.fake.answer('message:encode', () => ({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'message:encode: the engine refused it', path: 'message' } }));
    await savedButton(w, 'Send saved message “chat”').trigger('click');
    await flushPromises();
    expect(sends()).toEqual([]);
    expect(w.text()).toContain('“chat” was not sent: message:encode: the engine refused it');
  });
});
