// The Protocol Buffers schema beside Decode (issue 14): shown only when Decode is Protocol
// Buffers; a picked .proto is read in the page and sent as text; the engine's own DecodeCommands
// compiles it and lists the message types, the type picked is sent with the schema and shown as
// "protobuf: orders.proto#shop.Order"; a schema that does not parse, and a file over 1 MiB, are
// said in place, and the tab keeps the choice for its next session.
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import DecodingPicker from '../../../src-renderer/src/components/DecodingPicker.vue';
import { useDecodingStore } from '../../../src-renderer/src/stores/decoding-store';
import { commandSchemas } from '../../../src-main/shared/commands';
import type { Result } from '../../../src-main/shared/result';
import { createFakeBridge, type FakeBridge } from '../stores/fake-bridge';

/** The engine's decoding commands answer session:decoding (Node code, loaded by a path the renderer's type check does not follow). */
const COMMANDS = '../../../src-main/core/decode-commands';
const { DecodeCommands } = (await import(/* @vite-ignore */ COMMANDS)) as {
  DecodeCommands: new () => { state(session: unknown, arg: unknown): Result<unknown> };
};

const ORDERS = 'syntax = "proto3";\npackage shop;\nmessage Order { string id = 1; Item item = 2; }\nmessage Item { string sku = 1; }\n';

const session = {
  id: 's1',
  url: 'ws://example.test/orders',
  frames: { entry: () => undefined, firstSeq: 1, lastSeq: 0 },
  handshakeSteps: () => [],
};

let fake: FakeBridge;
let sent: unknown[];
let wrapper: VueWrapper | null = null;

beforeEach(() => {
  setActivePinia(createPinia());
  fake = createFakeBridge();
  setBridge(fake.bridge);
  const commands = new DecodeCommands();
  sent = [];
  fake.answer('session:decoding', (raw) => {
    const arg = commandSchemas['session:decoding'].arg.parse(raw);
    sent.push(arg);
    return commands.state(session, arg);
  });
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
});

async function pick(name: string, content: string | Uint8Array): Promise<void> {
  const input = wrapper!.get('input[type="file"]');
  Object.defineProperty(input.element, 'files', { value: [new File([typeof content === 'string' ? content : Uint8Array.from(content)], name)], configurable: true });
  await input.trigger('change');
  await flushPromises();
  await flushPromises();
}

async function mountPicker(): Promise<VueWrapper> {
  await useDecodingStore().refresh('s1');
  wrapper = mount(DecodingPicker, { props: { sessionId: 's1', tabId: 't1' } });
  await flushPromises();
  return wrapper;
}

describe('ProtobufSchemaPicker', () => {
  it('appears with Protocol Buffers; a .proto is compiled by the engine, its type picked and shown as file#type', async () => {
    const w = await mountPicker();
    expect(w.find('[data-testid="protobuf-schema"]').exists()).toBe(false);
    await w.get('select').setValue('protobuf');
    await flushPromises();
    expect(w.get('[data-testid="protobuf-schema-label"]').text()).toBe('no schema: field numbers');

    await pick('orders.proto', ORDERS);
    expect(sent.at(-1)).toEqual({ sessionId: 's1', choice: 'protobuf', protobuf: { schema: { name: 'orders.proto', proto: ORDERS } } });
    const types = w.get('#protobuf-type-s1');
    expect(types.findAll('option:not([disabled])').map((o) => o.text())).toEqual(['shop.Order', 'shop.Item']);
    expect(w.get('[data-testid="protobuf-schema-label"]').text()).toBe('protobuf: orders.proto');

    await types.setValue('shop.Order');
    await flushPromises();
    expect(sent.at(-1)).toEqual({ sessionId: 's1', choice: 'protobuf', protobuf: { schema: { name: 'orders.proto', proto: ORDERS }, type: 'shop.Order' } });
    expect(w.get('[data-testid="protobuf-schema-label"]').text()).toBe('protobuf: orders.proto#shop.Order');
    expect(w.find('[data-testid="protobuf-schema-error"]').exists()).toBe(false);
    // The tab keeps it: its next session gets the same schema and type.
    expect(useDecodingStore().protobufOf('t1')).toEqual({ schema: { name: 'orders.proto', proto: ORDERS }, type: 'shop.Order' });
    await useDecodingStore().attach('t1', 's2');
    expect(sent.at(-1)).toEqual({ sessionId: 's2', choice: 'protobuf', protobuf: { schema: { name: 'orders.proto', proto: ORDERS }, type: 'shop.Order' } });
    // An export with decoded values sends the same schema and type.
    expect(useDecodingStore().protobufOfSession('s1')).toEqual({ schema: { name: 'orders.proto', proto: ORDERS }, type: 'shop.Order' });
  });

  it('says in place what is wrong with a schema that does not parse, and keeps the one in use', async () => {
    const w = await mountPicker();
    await w.get('select').setValue('protobuf');
    await flushPromises();
    await pick('orders.proto', ORDERS);
    await w.get('#protobuf-type-s1').setValue('shop.Order');
    await flushPromises();

    await pick('broken.proto', 'syntax = "proto3";\nmessage X {\n  string a = ;\n}');
    // Plain words: the file and its line, not the engine's path (protobuf.schema).
    expect(w.get('[data-testid="protobuf-schema-error"]').text()).toBe("broken.proto: illegal id ';' (line 3)");
    expect(w.get('[data-testid="protobuf-schema-label"]').text()).toBe('protobuf: orders.proto#shop.Order');
  });

  it('refuses a file over 1 MiB before sending it', async () => {
    const w = await mountPicker();
    await w.get('select').setValue('protobuf');
    await flushPromises();
    const before = sent.length;
    await pick('huge.pb', 'x'.repeat(1024 * 1024 + 1));
    expect(sent.length).toBe(before);
    expect(w.get('[data-testid="protobuf-schema-error"]').text()).toBe('huge.pb is 1048577 bytes; a schema is at most 1 MiB');
  });

  it('sends a descriptor set as base64', async () => {
    const w = await mountPicker();
    await w.get('select').setValue('protobuf');
    await flushPromises();
    await pick('junk.pb', '\u0001\u0002garbage');
    expect(sent.at(-1)).toMatchObject({ protobuf: { schema: { name: 'junk.pb', descriptorSet: btoa('\u0001\u0002garbage') } } });
    expect(w.get('[data-testid="protobuf-schema-error"]').text()).toMatch(/^junk\.pb is not a \.proto or descriptor set: /);
  });

  it("a file that is not a schema (a message's bytes) is said to be none, why, and the schema in use is kept", async () => {
    const w = await mountPicker();
    await w.get('select').setValue('protobuf');
    await flushPromises();
    await pick('orders.proto', ORDERS);
    await w.get('#protobuf-type-s1').setValue('shop.Order');
    await flushPromises();

    // An Order's bytes (id 1, item {sku "A1"}): they read as fields, but none is a descriptor set's files.
    await pick('order.bin', Uint8Array.from([0x0a, 0x01, 0x37, 0x12, 0x04, 0x0a, 0x02, 0x41, 0x31].slice(3)));
    expect(w.get('[data-testid="protobuf-schema-error"]').text()).toBe(
      'order.bin is not a .proto or descriptor set: its 6 B read as fields 2; a descriptor set holds its files in field 1, length-delimited',
    );
    expect(w.text()).not.toContain('has no message types');
    expect(w.get('[data-testid="protobuf-schema-label"]').text()).toBe('protobuf: orders.proto#shop.Order');
    expect(useDecodingStore().protobufOf('t1')).toEqual({ schema: { name: 'orders.proto', proto: ORDERS }, type: 'shop.Order' });
  });

  it('keeps the schema and type across a switch to MessagePack or None and back', async () => {
    const w = await mountPicker();
    await w.get('select').setValue('protobuf');
    await flushPromises();
    await pick('orders.proto', ORDERS);
    await w.get('#protobuf-type-s1').setValue('shop.Order');
    await flushPromises();
    for (const other of ['msgpack', 'none']) {
      await w.get('select').setValue(other);
      await flushPromises();
      expect(sent.at(-1)).toEqual({ sessionId: 's1', choice: other });
      expect(w.find('[data-testid="protobuf-schema"]').exists()).toBe(false);
      await w.get('select').setValue('protobuf');
      await flushPromises();
      expect(sent.at(-1)).toEqual({ sessionId: 's1', choice: 'protobuf', protobuf: { schema: { name: 'orders.proto', proto: ORDERS }, type: 'shop.Order' } });
      expect(w.get('[data-testid="protobuf-schema-label"]').text()).toBe('protobuf: orders.proto#shop.Order');
      expect(useDecodingStore().protobufOfSession('s1')).toEqual({ schema: { name: 'orders.proto', proto: ORDERS }, type: 'shop.Order' });
    }
    // The type can still be changed afterwards (the picker has the schema again).
    await w.get('#protobuf-type-s1').setValue('shop.Item');
    await flushPromises();
    expect(sent.at(-1)).toEqual({ sessionId: 's1', choice: 'protobuf', protobuf: { schema: { name: 'orders.proto', proto: ORDERS }, type: 'shop.Item' } });
  });

  it("keeps a profile's schema, type and rules across a switch to None and back", async () => {
    const rules = [{ dir: 'in' as const, type: 'shop.Item' }];
    const decoding = useDecodingStore();
    // As profile-tabs-store opens a tab from a profile: the choice, then the schema with its rules.
    await decoding.choose('t1', null, 'protobuf');
    await decoding.chooseProtobuf('t1', null, { schema: { name: 'orders.proto', proto: ORDERS }, type: 'shop.Order', rules });
    await decoding.attach('t1', 's1');
    wrapper = mount(DecodingPicker, { props: { sessionId: 's1', tabId: 't1' } });
    await flushPromises();
    expect(wrapper.get('[data-testid="protobuf-schema-label"]').text()).toContain('orders.proto#shop.Order');
    await wrapper.get('select').setValue('none');
    await flushPromises();
    await wrapper.get('select').setValue('protobuf');
    await flushPromises();
    expect(sent.at(-1)).toEqual({ sessionId: 's1', choice: 'protobuf', protobuf: { schema: { name: 'orders.proto', proto: ORDERS }, type: 'shop.Order', rules } });
    expect(decoding.viewOf('s1').state?.protobuf).toMatchObject({ name: 'orders.proto', type: 'shop.Order', rules: 1 });
  });

  it('a rule whose type the schema lacks is said once as "type rule N", without the engine\'s path', async () => {
    const decoding = useDecodingStore();
    await decoding.refresh('s1');
    const problem = await decoding.chooseProtobuf('t1', 's1', { schema: { name: 'orders.proto', proto: ORDERS }, type: 'shop.Order', rules: [{ dir: 'in', type: 'shop.Gone' }] });
    expect(problem).toBe('type rule 1: orders.proto: no message type "shop.Gone" in the schema; it has shop.Order, shop.Item');
  });
});
