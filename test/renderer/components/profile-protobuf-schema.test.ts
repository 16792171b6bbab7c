/**
 * A profile's Protocol Buffers schema (issue 14): a tab opened from a profile that decodes as
 * protobuf with a schema gets that schema and type (sent with its choice when it attaches to a
 * session), its Save stores the tab's schema, and the editor keeps the saved one only while the
 * profile decodes as protobuf.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { editorDraftFromView, editorDraftToInput } from '../../../src-renderer/src/connection-form/profile-editor-draft';
import { useDecodingStore } from '../../../src-renderer/src/stores/decoding-store';
import { useProfileTabsStore } from '../../../src-renderer/src/stores/profile-tabs-store';
import type { ProtobufChoice } from '../../../src-main/shared/decoding';
import { fullView } from '../stores/profile-fixtures';
import { createFixture, type Fixture } from './store-fixture';

const ORDERS = 'syntax = "proto3";\npackage shop;\nmessage Order { string id = 1; }\n';
const SCHEMA: ProtobufChoice = { schema: { name: 'orders.proto', proto: ORDERS }, type: 'shop.Order' };

let fx: Fixture;
beforeEach(() => {
  fx = createFixture();
});

function seedProfile(name: string, extra: Record<string, unknown>): string {
  const result = fx.fake.profiles.handlers['profiles:save']?.({ profile: { name, url: 'wss://orders.test/', proxy: { mode: 'none' }, tls: {}, ...extra } });
  if (!result?.ok) throw new Error('profile seed failed');
  return [...fx.fake.profiles.views.keys()].at(-1) ?? '';
}

describe("a profile's Protocol Buffers schema", () => {
  it('goes to a tab opened from the profile, is sent when the tab attaches, and a Save stores the tab\'s', async () => {
    const sent: unknown[] = [];
    fx.fake.answer('session:decoding', (arg) => {
      sent.push(arg);
      return { ok: true, value: { choice: 'protobuf', active: null, available: [] } };
    });
    const id = seedProfile('orders', { decode: 'protobuf', decodeProtobuf: SCHEMA });
    const tab = await useProfileTabsStore().openInTab(id);
    if (!tab) throw new Error('no tab');
    const decoding = useDecodingStore();
    expect(decoding.choiceOf(tab.id)).toBe('protobuf');
    expect(decoding.protobufOf(tab.id)).toEqual(SCHEMA);
    await decoding.attach(tab.id, 's9');
    expect(sent.at(-1)).toEqual({ sessionId: 's9', choice: 'protobuf', protobuf: SCHEMA });

    const other: ProtobufChoice = { schema: { name: 'v2.proto', proto: ORDERS }, type: 'shop.Order' };
    await decoding.chooseProtobuf(tab.id, null, other);
    expect(await useProfileTabsStore().saveTab(tab.id)).toBe(true);
    expect(fx.fake.profiles.views.get(id)?.decodeProtobuf).toEqual(other);
    // Another protocol chosen: the schema goes with it.
    await decoding.choose(tab.id, null, 'cbor');
    expect(await useProfileTabsStore().saveTab(tab.id)).toBe(true);
    expect(fx.fake.profiles.views.get(id)?.decodeProtobuf).toBeUndefined();
  });

  it('the editor keeps the saved schema while decode is protobuf, and drops it for another choice', () => {
    const draft = editorDraftFromView(fullView({ decode: 'protobuf', decodeProtobuf: SCHEMA }));
    expect(editorDraftToInput(draft).decodeProtobuf).toEqual(SCHEMA);
    draft.decode = 'msgpack';
    expect('decodeProtobuf' in editorDraftToInput(draft)).toBe(false);
  });
});
