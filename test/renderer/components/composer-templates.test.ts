/**
 * {{…}} in protocol messages (issue 14 QA, L2): before, `423["chat","hi {{$counter}}"]` went out
 * as typed. A text protocol's message (STOMP, Socket.IO, GraphQL), from the composer or saved,
 * is now sent with `builtins`, so the engine fills its built-ins and variables in at each send
 * (the engine's side: test/e2e/composer-ids.spec.ts sends it to a real server); an unknown
 * built-in is said with its field and nothing is sent; a binary one (MQTT) says it is sent as
 * typed. And "Save to profile…" adds the Protocol format's message to the tab's profile as kind
 * protocol. The engine's real encoder answers message:encode behind the fake bridge.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Composer from '../../../src-renderer/src/components/Composer.vue';
import { useProfileTabsStore } from '../../../src-renderer/src/stores/profile-tabs-store';
import { useProfileListStore } from '../../../src-renderer/src/stores/profile-list-store';
import { protocolMessageSchema, type EncodedMessage, type ProtocolMessage } from '../../../src-main/shared/protocol-message';
import type { Result } from '../../../src-main/shared/result';
import { createFixture, emitState, type Fixture } from './store-fixture';

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

const EMIT = JSON.stringify({ protocol: 'socketio', event: 'chat', args: '["hi {{$counter}}"]' });
const PUBLISH = JSON.stringify({ protocol: 'mqtt', packet: { cmd: 'publish', topic: 't', payload: 'n={{$counter}}' } });

async function openComposer(): Promise<{ w: VueWrapper; sessionId: string; profileId: string }> {
  const result = fx.fake.profiles.handlers['profiles:save']?.({
    profile: {
      name: 'broker',
      url: 'wss://broker.test/',
      proxy: { mode: 'none' },
      tls: {},
      savedMessages: [
        { name: 'chat', kind: 'protocol', body: EMIT },
        { name: 'note', kind: 'text', body: 'n={{$counter}}' },
        { name: 'pub', kind: 'protocol', body: PUBLISH },
      ],
    },
  });
  if (!result?.ok) throw new Error('seed failed');
  const profileId = [...fx.fake.profiles.views.keys()].at(-1) ?? '';
  await useProfileTabsStore().openInTab(profileId);
  const tab = fx.store.activeTab;
  if (!tab) throw new Error('no tab');
  const w = mount(Composer, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] }, attachTo: document.body });
  wrappers.push(w);
  await fx.store.connect(tab.id);
  emitState(fx.fake, tab.sessionId ?? '', 'open');
  await flushPromises();
  return { w, sessionId: tab.sessionId ?? '', profileId };
}

const sends = () => fx.fake.calls.filter((c) => c.name === 'session:send').map((c) => c.arg);

function button(w: VueWrapper, name: string) {
  const found = w.findAll('button').find((b) => b.attributes('aria-label') === name || b.text() === name);
  if (!found) throw new Error(`no button ${name}`);
  return found;
}

function byLabel(w: VueWrapper, label: string) {
  const found = w.find(`[aria-label="${label}"]`);
  if (found.exists()) return found;
  const forId = w.findAll('label').find((l) => l.text() === label)?.attributes('for');
  if (!forId) throw new Error(`no control labelled ${label}`);
  return w.get(`[id="${forId}"]`);
}

/** The Protocol format's encoding waits for typing to pause (250 ms). */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 300));
  await flushPromises();
}

async function protocolForm(w: VueWrapper, protocol: string): Promise<void> {
  await button(w, 'Protocol').trigger('click');
  await byLabel(w, 'Protocol').setValue(protocol);
  await settle();
}

describe('{{…}} in protocol messages', () => {
  it('a Socket.IO emit from the composer goes with builtins, so the engine fills them in', async () => {
    const { w, sessionId } = await openComposer();
    await protocolForm(w, 'socketio');
    await byLabel(w, 'Event').setValue('chat');
    await byLabel(w, 'Arguments (a JSON array)').setValue('["hi {{$counter}} from {{host}}"]');
    await settle();
    expect(w.get('[data-testid="protocol-fill"]').text()).toBe('— {{…}} filled in at each send');
    await button(w, 'Send').trigger('click');
    await settle();
    expect(sends()).toEqual([{ sessionId, kind: 'text', data: '42["chat","hi {{$counter}} from {{host}}"]', builtins: true }]);
  });

  it('an unknown built-in is said with its field, and nothing is sent', async () => {
    const { w } = await openComposer();
    await protocolForm(w, 'stomp');
    await byLabel(w, 'Command').setValue('SEND');
    await byLabel(w, 'Header 1 value').setValue('/queue/a');
    await byLabel(w, 'Body').setValue('n={{$cuonter}}');
    await settle();
    expect(w.get('[data-testid="protocol-problem"]').text()).toMatch(/^The body: unknown built-in \{\{\$cuonter\}\} at character 3: the built-ins are \{\{\$timestamp\}\}/);
    await button(w, 'Send').trigger('click');
    await settle();
    expect(sends()).toEqual([]);
  });

  it('a STOMP body to fill in has no content-length (it would count the braces)', async () => {
    const { w, sessionId } = await openComposer();
    await protocolForm(w, 'stomp');
    await byLabel(w, 'Command').setValue('SEND');
    await byLabel(w, 'Header 1 value').setValue('/queue/a');
    await byLabel(w, 'Body').setValue('n={{$counter}}');
    await settle();
    await button(w, 'Send').trigger('click');
    await settle();
    expect(sends()).toEqual([{ sessionId, kind: 'text', data: 'SEND\ndestination:/queue/a\n\nn={{$counter}}\u0000', builtins: true }]);
  });

  it('an MQTT packet is binary: {{…}} is said to go as typed', async () => {
    const { w, sessionId } = await openComposer();
    await protocolForm(w, 'mqtt');
    await byLabel(w, 'MQTT packet').setValue('publish');
    await byLabel(w, 'Topic').setValue('t');
    await byLabel(w, 'Payload').setValue('n={{$counter}}');
    await settle();
    expect(w.get('[data-testid="protocol-as-typed"]').text()).toBe('⚠ MQTT is binary: {{…}} is sent as typed, not filled in (only STOMP, Socket.IO, GraphQL and SignalR messages are).');
    await button(w, 'Send').trigger('click');
    await settle();
    expect(sends()).toEqual([{ sessionId, kind: 'binary', data: expect.any(String) }]);
  });

  it('saved messages: a protocol one and a text one go with builtins; a binary protocol one as typed', async () => {
    const { w, sessionId } = await openComposer();
    await button(w, 'Send all in order').trigger('click');
    await settle();
    expect(sends()).toEqual([
      { sessionId, kind: 'text', data: '42["chat","hi {{$counter}}"]', builtins: true },
      { sessionId, kind: 'text', data: 'n={{$counter}}', builtins: true },
      { sessionId, kind: 'binary', data: expect.any(String) },
    ]);
  });
});

describe('Save to profile', () => {
  it('adds the Protocol format\'s message to the tab\'s profile as kind protocol, and it shows as a saved message', async () => {
    const { w, profileId } = await openComposer();
    await protocolForm(w, 'graphql');
    await byLabel(w, 'Query').setValue('subscription { prices }');
    await settle();
    await button(w, 'Save to profile…').trigger('click');
    await byLabel(w, 'Name').setValue('prices');
    await w.get('form').trigger('submit');
    await settle();
    expect(w.get('[data-testid="save-to-profile-outcome"]').text()).toBe('Saved “prices” to “broker”.');
    const saved = useProfileListStore().byId(profileId)?.savedMessages.at(-1);
    expect(saved?.name).toBe('prices');
    expect(saved?.kind).toBe('protocol');
    expect(JSON.parse(saved?.body ?? '')).toMatchObject({ protocol: 'graphql', type: 'subscribe', id: '1', query: 'subscription { prices }' });
    // The other saved messages are kept, and the new one is a button of the saved bar.
    expect(useProfileListStore().byId(profileId)?.savedMessages.map((m) => m.name)).toEqual(['chat', 'note', 'pub', 'prices']);
    expect(button(w, 'Send saved message “prices”').exists()).toBe(true);
  });
});
