/**
 * The profile editor's Protocol Buffers rows (issue 14): a schema picked in the editor (read in
 * the page, the engine's compile behind the fake bridge: the real DecodeCommands), its types
 * listed and one chosen, type rules added with a direction and a first byte, all saved with the
 * profile; a .proto that does not parse is said with its line and keeps the profile from being
 * saved; a first byte that is not one is said at its rule.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ProfileProtobufChoice from '../../../src-renderer/src/components/ProfileProtobufChoice.vue';
import { checkEditorDraft, editorDraftFromView, editorDraftToInput, editorFingerprint } from '../../../src-renderer/src/connection-form/profile-editor-draft';
import { parseFirstByte, protobufChoiceFrom, protobufDraftFrom } from '../../../src-renderer/src/connection-form/protobuf-choice-draft';
import { useProfileEditorStore } from '../../../src-renderer/src/stores/profile-editor-store';
import { protobufSchemaLabel } from '../../../src-renderer/src/util/protobuf-schema-file';
import type { ProtobufChoice, ProtobufState } from '../../../src-main/shared/decoding';
import type { Result } from '../../../src-main/shared/result';
import { fullView } from '../stores/profile-fixtures';
import { createFixture, type Fixture } from './store-fixture';

/**
 * The engine's own check answers protobuf:compile, and the shared test schema; loaded by paths the
 * renderer's type check does not follow (Node code, outside the renderer's program).
 */
const ENGINE = '../../../src-main/core/decode-commands';
const SCHEMA = '../../support/protobuf-chat';
const { DecodeCommands } = (await import(/* @vite-ignore */ ENGINE)) as { DecodeCommands: new () => { compileProtobuf(choice: ProtobufChoice): Result<ProtobufState> } };
const { CHAT_PROTO } = (await import(/* @vite-ignore */ SCHEMA)) as { CHAT_PROTO: string };

let fx: Fixture;
const wrappers: VueWrapper[] = [];

beforeEach(() => {
  fx = createFixture();
  // The engine's own check of a choice, as the real bridge would answer.
  const decodes = new DecodeCommands();
  fx.fake.answer('protobuf:compile', (arg) => decodes.compileProtobuf((arg as { protobuf: ProtobufChoice }).protobuf));
});
afterEach(() => {
  for (const w of wrappers.splice(0)) w.unmount();
});

async function pick(w: VueWrapper, name: string, content: string): Promise<void> {
  const input = w.get('input[type="file"]');
  Object.defineProperty(input.element, 'files', { value: [new File([content], name)], configurable: true });
  await input.trigger('change');
  await flushPromises();
}

function mountRows(): VueWrapper {
  const w = mount(ProfileProtobufChoice, { props: { problems: {} }, global: { plugins: [fx.pinia] }, attachTo: document.body });
  wrappers.push(w);
  return w;
}

describe('the draft of a Protocol Buffers choice', () => {
  it('reads a first byte as 0x0a or 10, and says what is not one', () => {
    expect(parseFirstByte('0x0a')).toEqual({ value: 10 });
    expect(parseFirstByte('0XFF')).toEqual({ value: 255 });
    expect(parseFirstByte('8')).toEqual({ value: 8 });
    expect(parseFirstByte(' ')).toEqual({ value: undefined });
    expect(parseFirstByte('256')).toEqual({ problem: '"256" is not a byte: 0x00 to 0xff, or 0 to 255' });
    expect(parseFirstByte('0x1ff')).toEqual({ problem: '"0x1ff" is not a byte: 0x00 to 0xff, or 0 to 255' });
  });

  it('round-trips a saved choice, leaves empty conditions out, and names a bad first byte at its rule', () => {
    const saved = { schema: { name: 'chat.proto', proto: CHAT_PROTO }, type: 'chat.Event', rules: [{ dir: 'in' as const, firstByte: 8, type: 'chat.Reply' }] };
    const draft = protobufDraftFrom(saved);
    expect(draft.rules[0]).toMatchObject({ dir: 'in', firstByte: '0x08', urlIncludes: '', subprotocol: '', type: 'chat.Reply' });
    expect(protobufChoiceFrom(draft)).toEqual({ choice: saved, problems: {} });
    const rule = draft.rules[0];
    if (rule) rule.firstByte = 'zz';
    expect(protobufChoiceFrom(draft).problems).toEqual({ 'decodeProtobuf.rules.0.firstByte': '"zz" is not a byte: 0x00 to 0xff, or 0 to 255' });
    expect(protobufChoiceFrom(protobufDraftFrom(undefined))).toEqual({ choice: undefined, problems: {} });
  });

  it("the tab's schema label counts the type rules in use", () => {
    expect(protobufSchemaLabel('chat.proto', 'chat.Event')).toBe('protobuf: chat.proto#chat.Event');
    expect(protobufSchemaLabel('chat.proto', 'chat.Event', 1)).toBe('protobuf: chat.proto#chat.Event + 1 type rule');
    expect(protobufSchemaLabel('chat.proto', undefined, 2)).toBe('protobuf: chat.proto + 2 type rules');
  });

  it("the editor's choice is what is saved (a change is counted), and a problem found keeps it from saving", () => {
    const draft = editorDraftFromView(fullView({ decode: 'protobuf' }));
    const before = editorFingerprint(draft);
    draft.protobuf = protobufDraftFrom({ schema: { name: 'chat.proto', proto: CHAT_PROTO }, type: 'chat.Event' });
    expect(editorFingerprint(draft)).not.toBe(before);
    expect(editorDraftToInput(draft).decodeProtobuf).toEqual({ schema: { name: 'chat.proto', proto: CHAT_PROTO }, type: 'chat.Event' });
    draft.protobufProblem = { place: 'decodeProtobuf.type', message: 'chat.proto: no message type "chat.Nope" in the schema' };
    expect(checkEditorDraft(draft).problems['decodeProtobuf.type']).toBe('chat.proto: no message type "chat.Nope" in the schema');
    draft.decode = 'cbor';
    expect('decodeProtobuf' in editorDraftToInput(draft)).toBe(false);
    expect(checkEditorDraft(draft).problems['decodeProtobuf.type']).toBeUndefined();
  });
});

describe("the profile editor's Protocol Buffers rows", () => {
  it('pick a schema, list its types, choose one, add a rule: all in the profile saved', async () => {
    const editor = useProfileEditorStore();
    const result = fx.fake.profiles.handlers['profiles:save']?.({ profile: { name: 'chat', url: 'wss://chat.test/', proxy: { mode: 'none' }, tls: {}, decode: 'protobuf' } });
    if (!result?.ok) throw new Error('seed failed');
    const id = [...fx.fake.profiles.views.keys()].at(-1) ?? '';
    await editor.startEdit(id);
    const w = mountRows();
    await flushPromises();
    expect(w.get('[data-testid="profile-protobuf-name"]').text()).toBe('none: messages read by field number');

    await pick(w, 'chat.proto', CHAT_PROTO);
    expect(w.get('[data-testid="profile-protobuf-name"]').text()).toBe('chat.proto');
    const typeSelect = w.get('[data-testid="profile-protobuf-type"]');
    expect(typeSelect.findAll('option').map((o) => o.text())).toEqual(['none: read without a schema', 'chat.Request', 'chat.Reply', 'chat.Event']);
    await typeSelect.setValue('chat.Event');

    await w.get('[data-testid="profile-protobuf-add-rule"]').trigger('click');
    await w.get('[aria-label="Rule 1: direction"]').setValue('in');
    await w.get('[aria-label="Rule 1: first byte"]').setValue('0x08');
    await w.get('[aria-label="Rule 1: message type"]').setValue('chat.Reply');
    await flushPromises();
    expect(editor.editor?.draft.protobufProblem).toBeUndefined();

    expect(await editor.saveEditor()).toBe(true);
    expect(fx.fake.profiles.views.get(id)?.decodeProtobuf).toEqual({
      schema: { name: 'chat.proto', proto: CHAT_PROTO },
      type: 'chat.Event',
      rules: [{ dir: 'in', firstByte: 8, type: 'chat.Reply' }],
    });
  });

  it('say a .proto that does not parse with its line, and a rule without a condition, and keep the profile from saving', async () => {
    const editor = useProfileEditorStore();
    editor.startCreate();
    const draft = editor.editor?.draft;
    if (!draft) throw new Error('no editor');
    draft.name = 'broken';
    draft.form.url = 'wss://chat.test/';
    draft.decode = 'protobuf';
    const w = mountRows();
    await flushPromises();
    await pick(w, 'chat.proto', 'syntax = "proto3";\nmessage X {\n  string a = ;\n}');
    expect(draft.protobufProblem).toEqual({ place: 'decodeProtobuf.schema', message: "chat.proto: illegal id ';' (line 3)" });
    await w.setProps({ problems: checkEditorDraft(draft).problems });
    expect(w.get('[data-testid="profile-protobuf-problem"]').text()).toBe("✖ chat.proto: illegal id ';' (line 3)");
    expect(await editor.saveEditor()).toBe(false);

    await pick(w, 'chat.proto', CHAT_PROTO);
    expect(draft.protobufProblem).toBeUndefined();
    await w.get('[data-testid="profile-protobuf-add-rule"]').trigger('click');
    await w.get('[aria-label="Rule 1: message type"]').setValue('chat.Reply');
    await flushPromises();
    expect(draft.protobufProblem).toEqual({ place: 'decodeProtobuf.rules.0', message: 'a rule needs a condition: a direction, a first byte, a part of the URL or a subprotocol' });
    await w.setProps({ problems: checkEditorDraft(draft).problems });
    expect(w.get('[data-testid="profile-protobuf-rule-problem"]').text()).toBe('✖ rule 1: a rule needs a condition: a direction, a first byte, a part of the URL or a subprotocol');
    expect(await editor.saveEditor()).toBe(false);
  });

  it('a rule whose type the schema lacks is said at the rule once as "rule N" (the engine\'s "type rule N" not repeated)', async () => {
    const editor = useProfileEditorStore();
    editor.startCreate();
    const w = mountRows();
    await flushPromises();
    await pick(w, 'chat.proto', CHAT_PROTO);
    await w.get('[data-testid="profile-protobuf-add-rule"]').trigger('click');
    await w.get('[aria-label="Rule 1: direction"]').setValue('in');
    const draft = editor.editor?.draft;
    const rule = draft?.protobuf?.rules[0];
    if (!draft || !rule) throw new Error('no rule');
    // A type the schema lacks (a profile saved against another version of it).
    rule.type = 'chat.Gone';
    await flushPromises();
    await flushPromises();
    expect(draft.protobufProblem).toEqual({ place: 'decodeProtobuf.rules.0.type', message: 'chat.proto: no message type "chat.Gone" in the schema; it has chat.Request, chat.Reply, chat.Event' });
    expect(w.get('[data-testid="profile-protobuf-rule-problem"]').text()).toBe('✖ rule 1: chat.proto: no message type "chat.Gone" in the schema; it has chat.Request, chat.Reply, chat.Event');
  });
});
