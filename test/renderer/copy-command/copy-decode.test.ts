/**
 * Copy as command reads the tab's Decode choice (a profile's lands there too), with its Protocol
 * Buffers schema by name, type and rule count; the panel's command carries it as --decode.
 */
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import CopyAsCommand from '../../../src-renderer/src/components/CopyAsCommand.vue';
import { copyDecodeOf } from '../../../src-renderer/src/copy-command/copy-decode';
import { useDecodingStore } from '../../../src-renderer/src/stores/decoding-store';
import { createFixture, settle } from '../components/store-fixture';

describe('copy as command: the tab’s Decode choice', () => {
  it('is auto by default, the tab’s choice once made, the schema by name with its type and rules', async () => {
    createFixture();
    const decoding = useDecodingStore();
    expect(copyDecodeOf('tab-x')).toEqual({ choice: 'auto' });
    await decoding.choose('tab-x', null, 'msgpack');
    expect(copyDecodeOf('tab-x')).toEqual({ choice: 'msgpack' });
    await decoding.chooseProtobuf('tab-x', null, { schema: { name: 'chat.proto', proto: 'syntax = "proto3";' }, type: 'chat.Msg', rules: [{ dir: 'in', type: 'chat.Reply' }] });
    expect(copyDecodeOf('tab-x')).toEqual({ choice: 'protobuf', protobuf: { name: 'chat.proto', type: 'chat.Msg', rules: 1 } });
  });

  it('the panel shows --decode for the tab', async () => {
    const fx = createFixture();
    const tab = fx.store.newTab();
    tab.draft.url = 'ws://127.0.0.1:9/';
    await useDecodingStore().choose(tab.id, null, 'cbor');
    const wrapper = mount(CopyAsCommand, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] }, attachTo: document.body });
    try {
      await wrapper.get('button').trigger('click');
      await settle(4);
      expect(document.body.textContent).toContain('--decode cbor');
    } finally {
      wrapper.unmount();
    }
  });
});
