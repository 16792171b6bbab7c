/**
 * An export with decoded frames while the session decodes Protocol Buffers with a schema chosen
 * in the app (issue 14): the export sends the same schema content and message type, so the
 * engine decodes with field names there too.
 */
import { mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import ExportMenu from '../../../src-renderer/src/components/ExportMenu.vue';
import { useDecodingStore } from '../../../src-renderer/src/stores/decoding-store';
import { commandSchemas } from '../../../src-main/shared/commands';
import { connectedTab, createFixture, type Fixture, settle } from './store-fixture';

const SCHEMA = { schema: { name: 'orders.proto', proto: 'syntax = "proto3";\npackage shop;\nmessage Order { string id = 1; }\n' }, type: 'shop.Order' };

let fx: Fixture;
let wrapper: VueWrapper | undefined;

beforeEach(() => {
  fx = createFixture();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
  fx.fake.answer('frames:export', (raw) => {
    const arg = commandSchemas['frames:export'].arg.parse(raw);
    return { ok: true, value: { format: arg.format, text: '', frames: 1, fileName: `s.${arg.format}` } };
  });
  fx.fake.answer('session:decoding', (raw) => {
    const arg = commandSchemas['session:decoding'].arg.parse(raw);
    const protobuf = arg.protobuf ? { name: arg.protobuf.schema.name, ...(arg.protobuf.type !== undefined ? { type: arg.protobuf.type } : {}), types: ['shop.Order'] } : undefined;
    return {
      ok: true,
      value: { choice: 'protobuf', active: { protocol: 'protobuf', title: 'Protocol Buffers', guess: false, reason: 'chosen for this tab' }, available: [], ...(protobuf ? { protobuf } : {}) },
    };
  });
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
  vi.restoreAllMocks();
});


describe('Export with decoded frames and a Protocol Buffers schema', () => {
  it('sends the schema and type the session decodes with', async () => {
    const tab = await connectedTab(fx);
    expect(await useDecodingStore().chooseProtobuf(tab.id, tab.sessionId, SCHEMA)).toBeNull();
    wrapper = mount(ExportMenu, { props: { sessionId: tab.sessionId }, global: { plugins: [fx.pinia] }, attachTo: document.body });
    await wrapper.get('button[aria-haspopup="menu"]').trigger('click');
    await settle(6);
    await wrapper.get('[data-testid="export-decoded"]').trigger('click');
    await wrapper.findAll('[role="menuitem"]')[0]?.trigger('click');
    await settle(6);
    const sent = fx.fake.calls.filter((c) => c.name === 'frames:export').at(-1)?.arg;
    // The file records the choice by the schema's name and type (never its content: log-decode.ts).
    expect(sent).toEqual({ sessionId: tab.sessionId, format: 'ndjson', decoded: { choice: 'protobuf', protobuf: SCHEMA }, decode: { choice: 'protobuf', protobuf: { schema: 'orders.proto', type: 'shop.Order' } } });
  });
});
