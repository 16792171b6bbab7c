// D13: the Field filter started on "Event (Socket.IO, SignalR)" in every session, so in a GraphQL
// session OnPrice found 0 rows, silently. It now starts on the protocol's own field, and a field
// the protocol does not have is said, in the form and under the bar once applied.
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DecodingState } from '../../../src-main/shared/decoding';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import DecodedFieldFilter from '../../../src-renderer/src/components/DecodedFieldFilter.vue';
import FrameFilterBar from '../../../src-renderer/src/components/FrameFilterBar.vue';
import { fieldFit, ownFieldOf } from '../../../src-renderer/src/frame-view/protocol-fields';
import { useDecodingStore } from '../../../src-renderer/src/stores/decoding-store';
import { useFrameViewStore } from '../../../src-renderer/src/stores/frame-view-store';
import { createFakeBridge } from '../stores/fake-bridge';

const S = 's1';
let wrapper: VueWrapper | undefined;

beforeEach(() => {
  setActivePinia(createPinia());
  setBridge(createFakeBridge().bridge);
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
});

function decodedAs(protocol: string, title: string): DecodingState {
  return { choice: 'auto', active: { protocol, title, guess: true, reason: 'test' }, available: [] };
}

describe('the protocol’s own field', () => {
  it('is GraphQL’s Operation, STOMP’s Destination, MQTT’s Topic, Socket.IO’s and SignalR’s Event; none for the others', () => {
    const own = Object.fromEntries(['graphql-ws', 'stomp', 'mqtt', 'socketio', 'signalr', 'protobuf', 'msgpack'].map((p) => [p, ownFieldOf({ protocol: p })]));
    expect(own).toEqual({ 'graphql-ws': 'operation', stomp: 'destination', mqtt: 'topic', socketio: 'event', signalr: 'event', protobuf: null, msgpack: null });
    expect(ownFieldOf(null)).toBeNull();
  });

  it('fits or not, in words', () => {
    expect(fieldFit('operation', decodedAs('graphql-ws', 'GraphQL over WebSocket'))).toBeNull();
    expect(fieldFit('event', decodedAs('graphql-ws', 'GraphQL over WebSocket'))).toEqual({
      kind: 'none',
      text: 'GraphQL over WebSocket frames have no Event, so this filter matches none of them: their field is Operation.',
      use: 'operation',
    });
    expect(fieldFit('event', decodedAs('protobuf', 'Protocol Buffers'))).toEqual({
      kind: 'maybe',
      text: 'Protocol Buffers has no Event of its own: this finds the messages whose decoded value has the key “event”.',
    });
    expect(fieldFit('topic', { choice: 'none', active: null })?.text).toBe(
      'Nothing in this session is decoded (Decode is None), so a Field filter matches no frame: choose a protocol under Decode.',
    );
    // Not known yet: nothing said.
    expect(fieldFit('topic', null)).toBeNull();
  });
});

describe('the Field form', () => {
  it('starts on the session’s protocol’s field, and says when the one chosen is not it', async () => {
    useDecodingStore().viewOf(S).state = decodedAs('graphql-ws', 'GraphQL over WebSocket');
    wrapper = mount(DecodedFieldFilter, { props: { sessionId: S }, attachTo: document.body });
    await wrapper.get('button').trigger('click');
    expect(wrapper.get('select').element.value).toBe('operation');
    expect(wrapper.get('input').attributes('placeholder')).toBe('e.g. OnPrice');
    expect(wrapper.find('[data-testid="decoded-field-note"]').exists()).toBe(false);
    await wrapper.get('select').setValue('event');
    const note = wrapper.get('[data-testid="decoded-field-note"]');
    expect(note.text()).toBe('GraphQL over WebSocket frames have no Event, so this filter matches none of them: their field is Operation.');
    expect(wrapper.get('select').attributes('aria-describedby')).toBe(note.attributes('id'));
  });

  it('follows a protocol found after the first opening, unless a filter is applied', async () => {
    wrapper = mount(DecodedFieldFilter, { props: { sessionId: S }, attachTo: document.body });
    await wrapper.get('button').trigger('click');
    expect(wrapper.get('select').element.value).toBe('event');
    await wrapper.get('button').trigger('click');
    useDecodingStore().viewOf(S).state = decodedAs('stomp', 'STOMP');
    await wrapper.get('button').trigger('click');
    expect(wrapper.get('select').element.value).toBe('destination');
    await wrapper.get('input').setValue('/topic/prices');
    await wrapper.get('form').trigger('submit');
    useDecodingStore().viewOf(S).state = decodedAs('mqtt', 'MQTT');
    await wrapper.get('button').trigger('click');
    expect(wrapper.get('select').element.value).toBe('destination');
  });
});

describe('the bar, with a Field filter the protocol does not have', () => {
  it('says it matches nothing and offers the protocol’s field with the same value', async () => {
    useDecodingStore().viewOf(S).state = decodedAs('graphql-ws', 'GraphQL over WebSocket');
    wrapper = mount(FrameFilterBar, { props: { sessionId: S }, attachTo: document.body });
    const view = useFrameViewStore().viewOf(S);
    view.setDecodedField({ name: 'event', value: 'OnPrice' });
    await flushPromises();
    const misfit = wrapper.get('[data-testid="decoded-field-misfit"]');
    expect(misfit.text()).toContain('GraphQL over WebSocket frames have no Event, so this filter matches none of them: their field is Operation.');
    await misfit.get('button').trigger('click');
    expect(view.state.filter.decodedField).toEqual({ name: 'operation', value: 'OnPrice' });
    await flushPromises();
    expect(wrapper.find('[data-testid="decoded-field-misfit"]').exists()).toBe(false);
  });
});
