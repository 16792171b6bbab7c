/**
 * The Engine.IO heartbeat switch in the UI: on for a new connection and for a profile without
 * the field (as the engine has it), only `false` sent; a tab from a profile and the profile
 * editor carry the profile's switch and save it back; the summary names it when off; a problem
 * at options.engineioHeartbeat lands on its row; the hint under it says what it does, and, when
 * Decode is set to something other than Auto or Socket.IO, that the heartbeat still follows the
 * server's open packet.
 */
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { connectionOptionsSchema } from '../../../src-main/shared/model';
import { profileInputSchema, profileViewSchema } from '../../../src-main/shared/profiles';
import ConnectionSetup from '../../../src-renderer/src/components/ConnectionSetup.vue';
import { draftToOptions, emptyDraft } from '../../../src-renderer/src/connection-form/connection-draft';
import { draftFingerprint, draftFromProfile, profileInputFromDraft } from '../../../src-renderer/src/connection-form/profile-draft';
import { editorDraftFromView, editorDraftToInput, editorFingerprint, emptyEditorDraft } from '../../../src-renderer/src/connection-form/profile-editor-draft';
import { useDecodingStore } from '../../../src-renderer/src/stores/decoding-store';
import { draftSummary } from '../../../src-renderer/src/util/draft-summary';
import { engineioDecodeNote, engineioHeartbeatHint } from '../../../src-renderer/src/util/engineio-heartbeat-hint';
import { problemField } from '../../../src-renderer/src/util/problem-field';
import { placeLabel } from '../../../src-renderer/src/util/problem-place';
import { createFixture } from './store-fixture';

const view = (extra: Record<string, unknown> = {}) =>
  profileViewSchema.parse({
    id: 'p1',
    revision: 1,
    createdAt: 1,
    updatedAt: 1,
    name: 'P',
    url: 'ws://127.0.0.1:9/socket.io/?EIO=4&transport=websocket',
    proxy: { mode: 'none', password: { set: false } },
    tls: { passphrase: { set: false } },
    handshakeTimeoutMs: 10_000,
    ...extra,
  });

describe('the connection form draft', () => {
  it('is on for a new connection and sends nothing (the engine default); off sends false', () => {
    const draft = emptyDraft('ws://127.0.0.1:9/');
    expect(draft.engineioHeartbeat).toBe(true);
    expect('engineioHeartbeat' in draftToOptions(draft)).toBe(false);
    expect(connectionOptionsSchema.parse(draftToOptions(draft)).engineioHeartbeat).toBeUndefined();
    expect(draftSummary(draft).map((p) => p.text)).not.toContain('Engine.IO heartbeat off');
    draft.engineioHeartbeat = false;
    expect(connectionOptionsSchema.parse(draftToOptions(draft)).engineioHeartbeat).toBe(false);
    expect(draftSummary(draft).map((p) => p.text)).toContain('Engine.IO heartbeat off');
  });

  it("a problem at options.engineioHeartbeat is the row's, in the options part of the form", () => {
    expect(problemField({ command: 'session:open', message: 'x', path: 'options.engineioHeartbeat' })).toBe('engineio');
    expect(placeLabel('engineioHeartbeat')).toBe('Engine.IO heartbeat');
  });
});

describe('a tab from a profile', () => {
  it("has the profile's switch (absent: on) and saves it back; a change is a change of the profile", () => {
    const older = draftFromProfile(view());
    expect(older.engineioHeartbeat).toBe(true);
    expect('engineioHeartbeat' in profileInputFromDraft(older, view(), 'P')).toBe(false);
    const off = draftFromProfile(view({ engineioHeartbeat: false }));
    expect(off.engineioHeartbeat).toBe(false);
    expect(draftToOptions(off).engineioHeartbeat).toBe(false);
    expect(profileInputSchema.parse(profileInputFromDraft(off, view({ engineioHeartbeat: false }), 'P')).engineioHeartbeat).toBe(false);
    // An explicit true is on, and saves as the default.
    expect(draftFromProfile(view({ engineioHeartbeat: true })).engineioHeartbeat).toBe(true);
    const changed = draftFromProfile(view());
    changed.engineioHeartbeat = false;
    expect(draftFingerprint(changed)).not.toBe(draftFingerprint(older));
  });

  it('the profile editor: on for a new profile, as saved for a saved one', () => {
    expect(emptyEditorDraft().form.engineioHeartbeat).toBe(true);
    expect('engineioHeartbeat' in editorDraftToInput(emptyEditorDraft())).toBe(false);
    const saved = editorDraftFromView(view({ engineioHeartbeat: false }));
    expect(saved.form.engineioHeartbeat).toBe(false);
    expect(editorDraftToInput(saved).engineioHeartbeat).toBe(false);
    const before = editorFingerprint(saved);
    saved.form.engineioHeartbeat = true;
    expect(editorFingerprint(saved)).not.toBe(before);
    expect('engineioHeartbeat' in editorDraftToInput(saved)).toBe(false);
  });
});

describe('the hint', () => {
  it('says what the heartbeat does, on and off', () => {
    expect(engineioHeartbeatHint(true)).toContain('Only for a server whose first message is an Engine.IO open packet');
    expect(engineioHeartbeatHint(false)).toContain('a Socket.IO server closes the session at its ping timeout');
  });

  it.each([
    ['auto', null],
    ['socketio', null],
    ['none', 'Decode is None: that changes only how frames are shown. A server that opens with Engine.IO is still answered.'],
    ['stomp', 'Decode is STOMP: that changes only how frames are shown. A server that opens with Engine.IO is still answered.'],
    ['unknown-one', 'Decode is unknown-one: that changes only how frames are shown. A server that opens with Engine.IO is still answered.'],
  ])('Decode %s: %j', (decode, note) => {
    expect(engineioDecodeNote(true, decode)).toBe(note);
    // Off, nothing is answered, whatever Decode says.
    expect(engineioDecodeNote(false, decode)).toBeNull();
  });
});

describe('the row in the connection form', () => {
  it("is checked by default; unchecked, the tab opens with engineioHeartbeat false; the hint follows the tab's Decode", async () => {
    const fx = createFixture();
    const tab = fx.store.newTab();
    tab.draft.url = 'ws://127.0.0.1:9/socket.io/?EIO=4&transport=websocket';
    const w = mount(ConnectionSetup, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] }, attachTo: document.body });
    const box = w.get<HTMLInputElement>('[data-testid="engineio-heartbeat"]');
    const label = w.findAll('label').find((l) => l.text().trim() === 'Engine.IO heartbeat');
    expect(label?.attributes('for')).toBe(box.attributes('id'));
    expect(box.element.checked).toBe(true);
    expect(w.get('[data-testid="engineio-heartbeat-hint"]').text()).toContain('Engine.IO open packet');
    expect(w.get('[data-testid="engineio-heartbeat-hint"]').text()).not.toContain('Decode is');

    await useDecodingStore(fx.pinia).choose(tab.id, null, 'none');
    await w.vm.$nextTick();
    expect(w.get('[data-testid="engineio-heartbeat-hint"]').text()).toContain('Decode is None');

    await box.setValue(false);
    expect(tab.draft.engineioHeartbeat).toBe(false);
    expect(w.get('[data-testid="engineio-heartbeat-hint"]').text()).toContain('Engine.IO pings go unanswered');
    await fx.store.connect(tab.id);
    const open = fx.fake.calls.filter((c) => c.name === 'session:open').at(-1)?.arg as { options?: { engineioHeartbeat?: unknown } } | undefined;
    expect(open?.options?.engineioHeartbeat).toBe(false);
    w.unmount();
  });
});
