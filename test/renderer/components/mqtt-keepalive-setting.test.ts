/**
 * The MQTT keep-alive switch in the UI: on for a new connection and for a profile without the
 * field (as the engine has it), only `false` sent; a tab from a profile and the profile editor
 * carry the profile's switch and save it back; the summary names it when off; a problem at
 * options.mqttKeepalive lands on its row; the hint under it says what it does.
 */
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { connectionOptionsSchema } from '../../../src-main/shared/model';
import { profileInputSchema, profileViewSchema } from '../../../src-main/shared/profiles';
import ConnectionSetup from '../../../src-renderer/src/components/ConnectionSetup.vue';
import { draftToOptions, emptyDraft } from '../../../src-renderer/src/connection-form/connection-draft';
import { draftFingerprint, draftFromProfile, profileInputFromDraft } from '../../../src-renderer/src/connection-form/profile-draft';
import { editorDraftFromView, editorDraftToInput, editorFingerprint, emptyEditorDraft } from '../../../src-renderer/src/connection-form/profile-editor-draft';
import { draftSummary } from '../../../src-renderer/src/util/draft-summary';
import { mqttKeepaliveHint } from '../../../src-renderer/src/util/mqtt-keepalive-hint';
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
    url: 'ws://127.0.0.1:9/mqtt',
    proxy: { mode: 'none', password: { set: false } },
    tls: { passphrase: { set: false } },
    handshakeTimeoutMs: 10_000,
    ...extra,
  });

describe('the connection form draft', () => {
  it('is on for a new connection and sends nothing (the engine default); off sends false', () => {
    const draft = emptyDraft('ws://127.0.0.1:9/');
    expect(draft.mqttKeepalive).toBe(true);
    expect('mqttKeepalive' in draftToOptions(draft)).toBe(false);
    expect(connectionOptionsSchema.parse(draftToOptions(draft)).mqttKeepalive).toBeUndefined();
    expect(draftSummary(draft).map((p) => p.text)).not.toContain('MQTT keep-alive off');
    draft.mqttKeepalive = false;
    expect(connectionOptionsSchema.parse(draftToOptions(draft)).mqttKeepalive).toBe(false);
    expect(draftSummary(draft).map((p) => p.text)).toContain('MQTT keep-alive off');
  });

  it("a problem at options.mqttKeepalive is the row's, in the options part of the form", () => {
    expect(problemField({ command: 'session:open', message: 'x', path: 'options.mqttKeepalive' })).toBe('mqtt');
    expect(placeLabel('mqttKeepalive')).toBe('MQTT keep-alive');
  });
});

describe('a tab from a profile', () => {
  it("has the profile's switch (absent: on) and saves it back; a change is a change of the profile", () => {
    const older = draftFromProfile(view());
    expect(older.mqttKeepalive).toBe(true);
    expect('mqttKeepalive' in profileInputFromDraft(older, view(), 'P')).toBe(false);
    const off = draftFromProfile(view({ mqttKeepalive: false }));
    expect(off.mqttKeepalive).toBe(false);
    expect(draftToOptions(off).mqttKeepalive).toBe(false);
    expect(profileInputSchema.parse(profileInputFromDraft(off, view({ mqttKeepalive: false }), 'P')).mqttKeepalive).toBe(false);
    const changed = draftFromProfile(view());
    changed.mqttKeepalive = false;
    expect(draftFingerprint(changed)).not.toBe(draftFingerprint(older));
  });

  it('the profile editor: on for a new profile, as saved for a saved one', () => {
    expect(emptyEditorDraft().form.mqttKeepalive).toBe(true);
    expect('mqttKeepalive' in editorDraftToInput(emptyEditorDraft())).toBe(false);
    const saved = editorDraftFromView(view({ mqttKeepalive: false }));
    expect(saved.form.mqttKeepalive).toBe(false);
    expect(editorDraftToInput(saved).mqttKeepalive).toBe(false);
    const before = editorFingerprint(saved);
    saved.form.mqttKeepalive = true;
    expect(editorFingerprint(saved)).not.toBe(before);
    expect('mqttKeepalive' in editorDraftToInput(saved)).toBe(false);
  });
});

describe('the hint', () => {
  it('says what the keep-alive does, on and off', () => {
    expect(mqttKeepaliveHint(true)).toContain('a PINGREQ goes out whenever no MQTT packet was sent for that long');
    expect(mqttKeepaliveHint(false)).toContain('a broker closes the session after 1.5 × keep-alive');
  });
});

describe('the row in the connection form', () => {
  it('is checked by default; unchecked, the tab opens with mqttKeepalive false', async () => {
    const fx = createFixture();
    const tab = fx.store.newTab();
    tab.draft.url = 'ws://127.0.0.1:9/mqtt';
    const w = mount(ConnectionSetup, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] }, attachTo: document.body });
    const box = w.get<HTMLInputElement>('[data-testid="mqtt-keepalive"]');
    const label = w.findAll('label').find((l) => l.text().trim() === 'MQTT keep-alive');
    expect(label?.attributes('for')).toBe(box.attributes('id'));
    expect(box.element.checked).toBe(true);
    expect(w.get('[data-testid="mqtt-keepalive-hint"]').text()).toContain('PINGREQ');
    await box.setValue(false);
    expect(tab.draft.mqttKeepalive).toBe(false);
    expect(w.get('[data-testid="mqtt-keepalive-hint"]').text()).toContain('No PINGREQ is sent');
    await fx.store.connect(tab.id);
    const open = fx.fake.calls.filter((c) => c.name === 'session:open').at(-1)?.arg as { options?: { mqttKeepalive?: unknown } } | undefined;
    expect(open?.options?.mqttKeepalive).toBe(false);
    w.unmount();
  });
});
