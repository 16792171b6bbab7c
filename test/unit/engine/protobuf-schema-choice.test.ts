/**
 * A Protocol Buffers schema chosen in the app (issue 14): `session:decoding` with `protobuf`
 * carries the schema's content (.proto text or a base64 descriptor set) and the message type.
 * The contract refuses what is too big or not base64; the engine compiles the schema as the CLI
 * does, lists the types it found, decodes frames with field names (schema-less: numbers), and
 * answers a schema that does not parse or a type it does not have with what and where. An
 * export with decoded values takes the same content (any host), and a profile keeps it.
 */
import protobuf from 'protobufjs';
import 'protobufjs/ext/descriptor';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { commandSchemas } from '../../../src-main/shared/commands';
import { MAX_PROTOBUF_SCHEMA_BYTES } from '../../../src-main/shared/decoding';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import { profileViewSchema } from '../../../src-main/shared/profiles';
import { makeTempDir, plainProfileInput, valueOf } from '../profiles/profile-fixtures';

const ORDERS = `syntax = "proto3";
package shop;
message Order {
  string id = 1;
  uint32 quantity = 2;
  Item item = 3;
}
message Item { string sku = 1; }
`;

const Order = protobuf.parse(ORDERS, { keepCase: true }).root.lookupType('shop.Order');
const order = Order.encode(Order.create({ id: 'o-7', quantity: 3, item: { sku: 'A1' } })).finish();

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
});

/** An imported log of one binary frame: the encoded Order. */
async function orderSession(): Promise<{ e: Engine; sessionId: string }> {
  const e = new Engine({ host: 'web', version: '1', env: {} });
  engine = e;
  const line = JSON.stringify({ seq: 1, dir: 'in', opcode: 'binary', at: '2024-05-01T10:00:00.000Z', size: order.length, base64: Buffer.from(order).toString('base64') });
  const imported = await e.call('frames:import', { text: line, name: 'orders.ndjson' });
  if (!imported.ok) throw new Error(imported.error.message);
  return { e, sessionId: imported.value.sessionId };
}

function errorOf(result: { ok: boolean; error?: { message: string } }): string {
  return result.ok ? '' : (result.error?.message ?? '');
}

describe('the contract of a Protocol Buffers schema in session:decoding', () => {
  const arg = commandSchemas['session:decoding'].arg;

  it('takes .proto text or a base64 descriptor set, with choice protobuf only', () => {
    expect(arg.safeParse({ sessionId: 's', choice: 'protobuf', protobuf: { schema: { name: 'orders.proto', proto: ORDERS }, type: 'shop.Order' } }).success).toBe(true);
    expect(arg.safeParse({ sessionId: 's', choice: 'protobuf', protobuf: { schema: { name: 'orders.pb', descriptorSet: 'CgA=' } } }).success).toBe(true);
    const wrongChoice = arg.safeParse({ sessionId: 's', choice: 'cbor', protobuf: { schema: { name: 'orders.proto', proto: ORDERS } } });
    expect(wrongChoice.success).toBe(false);
    expect(wrongChoice.error?.issues[0]).toMatchObject({ path: ['protobuf'], message: 'a Protocol Buffers schema goes with choice "protobuf"' });
  });

  it('refuses a schema over 1 MiB and a descriptor set that is not base64, saying so', () => {
    const big = arg.safeParse({ sessionId: 's', choice: 'protobuf', protobuf: { schema: { name: 'big.proto', proto: 'x'.repeat(MAX_PROTOBUF_SCHEMA_BYTES + 1) } } });
    expect(big.error?.issues.map((i) => i.message)).toContain(`a .proto text is at most ${MAX_PROTOBUF_SCHEMA_BYTES} characters (1 MiB)`);
    const bigSet = arg.safeParse({ sessionId: 's', choice: 'protobuf', protobuf: { schema: { name: 'big.pb', descriptorSet: 'A'.repeat(1_400_000) } } });
    expect(bigSet.error?.issues.map((i) => i.message)).toContain('a descriptor set is at most 1 MiB (as base64)');
    const notBase64 = arg.safeParse({ sessionId: 's', choice: 'protobuf', protobuf: { schema: { name: 'x.pb', descriptorSet: 'not base64!' } } });
    expect(notBase64.error?.issues.map((i) => i.message)).toContain('a descriptor set is sent as base64 (A-Z a-z 0-9 + / and = padding)');
  });
});

describe('session:decoding with a Protocol Buffers schema', () => {
  it('decodes with field names from the schema, where schema-less decoding gives field numbers', async () => {
    const { e, sessionId } = await orderSession();
    await e.call('session:decoding', { sessionId, choice: 'protobuf' });
    const schemaLess = await e.call('frames:decode', { sessionId, seqs: [1], values: true });
    expect(schemaLess.ok && schemaLess.value.frames[0]?.value).toEqual({ '1': 'o-7', '2': 3, '3': { '1': 'A1' } });

    const listed = await e.call('session:decoding', { sessionId, choice: 'protobuf', protobuf: { schema: { name: 'orders.proto', proto: ORDERS } } });
    expect(listed.ok && listed.value.protobuf).toEqual({ name: 'orders.proto', types: ['shop.Order', 'shop.Item'] });

    const chosen = await e.call('session:decoding', { sessionId, choice: 'protobuf', protobuf: { schema: { name: 'orders.proto', proto: ORDERS }, type: 'shop.Order' } });
    expect(chosen.ok && chosen.value).toMatchObject({ choice: 'protobuf', active: { protocol: 'protobuf' }, protobuf: { name: 'orders.proto', type: 'shop.Order' } });
    const named = await e.call('frames:decode', { sessionId, seqs: [1], values: true });
    expect(named.ok && named.value.frames[0]?.value).toEqual({ id: 'o-7', quantity: 3, item: { sku: 'A1' } });

    // Choosing protobuf again without a schema goes back to field numbers.
    const plain = await e.call('session:decoding', { sessionId, choice: 'protobuf' });
    expect(plain.ok && plain.value.protobuf).toBeUndefined();
    const again = await e.call('frames:decode', { sessionId, seqs: [1], values: true });
    expect(again.ok && again.value.frames[0]?.value).toEqual({ '1': 'o-7', '2': 3, '3': { '1': 'A1' } });
  });

  it('takes a descriptor set as base64', async () => {
    const { e, sessionId } = await orderSession();
    const root = protobuf.parse(ORDERS, { keepCase: true }).root as protobuf.Root & { toDescriptor(syntax: string): protobuf.Message };
    const set = Buffer.from((root.toDescriptor('proto3').constructor as unknown as protobuf.Type).encode(root.toDescriptor('proto3')).finish()).toString('base64');
    const chosen = await e.call('session:decoding', { sessionId, choice: 'protobuf', protobuf: { schema: { name: 'orders.pb', descriptorSet: set }, type: 'shop.Order' } });
    expect(chosen.ok && chosen.value.protobuf).toMatchObject({ name: 'orders.pb', type: 'shop.Order' });
    const named = await e.call('frames:decode', { sessionId, seqs: [1], values: true });
    expect(named.ok && named.value.frames[0]?.value).toEqual({ id: 'o-7', quantity: 3, item: { sku: 'A1' } });
  });

  it('answers a schema that does not parse with the file and line, and an unknown type with the types there are', async () => {
    const { e, sessionId } = await orderSession();
    const broken = await e.call('session:decoding', { sessionId, choice: 'protobuf', protobuf: { schema: { name: 'orders.proto', proto: 'syntax = "proto3";\nmessage X {\n  string a = ;\n}' } } });
    expect(errorOf(broken)).toBe("session:decoding: protobuf.schema: orders.proto: illegal id ';' (line 3)");
    const notASchema = await e.call('session:decoding', { sessionId, choice: 'protobuf', protobuf: { schema: { name: 'photo.pb', descriptorSet: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00]).toString('base64') } } });
    expect(errorOf(notASchema)).toMatch(/^session:decoding: protobuf\.schema: photo\.pb is not a \.proto or descriptor set: /);
    const unknown = await e.call('session:decoding', { sessionId, choice: 'protobuf', protobuf: { schema: { name: 'orders.proto', proto: ORDERS }, type: 'shop.Nope' } });
    expect(errorOf(unknown)).toBe('session:decoding: protobuf.type: orders.proto: no message type "shop.Nope" in the schema; it has shop.Order, shop.Item');
    // A refused schema leaves the session's decoding as it was.
    const state = await e.call('session:decoding', { sessionId });
    expect(state.ok && state.value.choice).toBe('auto');
  });
});

describe('the schema beyond the session', () => {
  it('an export with decoded values decodes with the schema content sent, on the web host', async () => {
    const { e, sessionId } = await orderSession();
    const exported = await e.call('frames:export', { sessionId, format: 'ndjson', decoded: { choice: 'protobuf', protobuf: { schema: { name: 'orders.proto', proto: ORDERS }, type: 'shop.Order' } } });
    if (!exported.ok) throw new Error(exported.error.message);
    const frame = exported.value.text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as { seq?: number; decoded?: { value?: unknown } }).find((r) => r.seq === 1);
    expect(frame?.decoded?.value).toEqual({ id: 'o-7', quantity: 3, item: { sku: 'A1' } });
    const unknown = await e.call('frames:export', { sessionId, format: 'ndjson', decoded: { choice: 'protobuf', protobuf: { schema: { name: 'orders.proto', proto: ORDERS }, type: 'shop.Nope' } } });
    expect(errorOf(unknown)).toBe('decoded.protobuf.type: orders.proto: no message type "shop.Nope" in the schema; it has shop.Order, shop.Item');
  });

  it('a profile keeps the schema with decode protobuf (saved, read back); one saved without has none', async () => {
    const temp = makeTempDir();
    const e = new Engine({ host: 'web', version: '1', env: {}, profiles: { dataDir: temp.dir, cipher: KeyFileCipher.open(temp.dir) } });
    engine = e;
    try {
      const decodeProtobuf = { schema: { name: 'orders.proto', proto: ORDERS }, type: 'shop.Order' };
      const saved = profileViewSchema.parse(valueOf(await e.invoke('profiles:save', { profile: { ...plainProfileInput('orders'), decode: 'protobuf', decodeProtobuf } })));
      const read = profileViewSchema.parse(valueOf(await e.invoke('profiles:get', { id: saved.id })));
      expect(read).toMatchObject({ decode: 'protobuf', decodeProtobuf });
      const plain = profileViewSchema.parse(valueOf(await e.invoke('profiles:save', { profile: { ...plainProfileInput('plain'), decode: 'protobuf' } })));
      expect(plain.decodeProtobuf).toBeUndefined();
      const bad = await e.invoke('profiles:save', { profile: { ...plainProfileInput('bad'), decode: 'protobuf', decodeProtobuf: { schema: { name: 'x.pb', descriptorSet: '!!' } } } });
      expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', path: expect.stringMatching(/^profile\.decodeProtobuf/) } });
    } finally {
      await e.dispose();
      engine = undefined;
      temp.cleanup();
    }
  });
});
