/** The profile editor's form: made from a view (secrets only as "saved"), back to an input, checked, compared. */
import { describe, expect, it } from 'vitest';
import { profileInputSchema } from '../../../src-main/shared/profiles';
import {
  checkEditorDraft,
  editorDraftFromView,
  editorDraftToInput,
  editorFingerprint,
  emptyEditorDraft,
  newEditorHeader,
  newEditorMessage,
  problemFromError,
} from '../../../src-renderer/src/connection-form/profile-editor-draft';
import { draftFingerprint, draftFromProfile, profileInputFromDraft } from '../../../src-renderer/src/connection-form/profile-draft';
import { fullView } from '../stores/profile-fixtures';

describe('profile editor draft', () => {
  it('round-trips every field of a view, keeping every saved secret', () => {
    const view = fullView();
    const input = editorDraftToInput(editorDraftFromView(view));
    expect(profileInputSchema.safeParse(input).success).toBe(true);
    const { revision: _r, createdAt: _c, updatedAt: _u, ...fields } = view;
    expect(input).toEqual({
      ...fields,
      headers: [
        { id: 'h1', name: 'Authorization', secret: true, value: { set: true } },
        { id: 'h2', name: 'X-Client', secret: false, value: 'tunnelscope' },
      ],
      proxy: { ...view.proxy, password: { set: true } },
      tls: { ...view.tls, passphrase: { set: true } },
      // The older handshake timeout (7 s) is saved as what it meant: the TLS and upgrade deadlines.
      handshakeTimeoutMs: 10_000,
      timeouts: { tlsMs: 7000, upgradeMs: 7000 },
    });
  });

  it('edits the same connection form a profile tab does, so both save the same profile', () => {
    const view = fullView({ proxy: { ...fullView().proxy, auth: 'digest' } });
    const editor = editorDraftFromView(view);
    const tab = draftFromProfile(view);
    expect(draftFingerprint(editor.form)).toBe(draftFingerprint(tab));
    const { savedMessages: _editorMessages, ...fromEditor } = editorDraftToInput(editor);
    const { savedMessages: _tabMessages, ...fromTab } = profileInputFromDraft(tab, view, view.name);
    expect(fromEditor).toEqual(fromTab);
    // The sign-in scheme survives an edit in the editor (it has the tab's field now).
    expect(fromEditor.proxy.auth).toBe('digest');
  });

  it('edits the deadlines: only those changed from the defaults are saved, an empty open deadline is none', () => {
    const view = fullView();
    const draft = editorDraftFromView({ ...view, handshakeTimeoutMs: 10_000, timeouts: { proxyAnswerMs: 30_000 } });
    expect(draft.form.timeouts).toEqual({ proxyConnectMs: 10_000, proxyAnswerMs: 30_000, tlsMs: 10_000, upgradeMs: 10_000, openMs: 0 });
    expect(editorDraftToInput(draft).timeouts).toEqual({ proxyAnswerMs: 30_000 });
    draft.form.timeouts = { ...draft.form.timeouts, proxyAnswerMs: 15_000, openMs: 60_000 };
    expect(editorDraftToInput(draft).timeouts).toEqual({ openMs: 60_000 });
    draft.form.timeouts = { ...draft.form.timeouts, openMs: 0 };
    expect(editorDraftToInput(draft).timeouts).toBeUndefined();
  });

  it('edits the history in frames and MB; the defaults save as no setting; a bad number is named', () => {
    const view = fullView();
    const draft = editorDraftFromView(view);
    expect([draft.form.historyFrames, draft.form.historyMegabytes]).toEqual([250_000, 64]);
    Object.assign(draft.form, { historyFrames: 1_000_000, historyMegabytes: 512 });
    expect(editorDraftToInput(draft)).not.toHaveProperty('history');
    const empty = emptyEditorDraft().form;
    expect([empty.historyFrames, empty.historyMegabytes]).toEqual([1_000_000, 512]);
    Object.assign(draft.form, { historyFrames: 50, historyMegabytes: 8192 });
    expect(checkEditorDraft(draft).problems).toMatchObject({
      'history.maxFrames': 'keep at least 100 frames',
      'history.maxBytes': 'at most 4,096 MiB of payload can be kept',
    });
  });

  it('keep, replace and clear a secret', () => {
    const view = fullView();
    const inputWith = (edit: (form: ReturnType<typeof editorDraftFromView>['form']) => void) => {
      const draft = editorDraftFromView(view);
      edit(draft.form);
      return editorDraftToInput(draft).proxy.password;
    };
    expect(inputWith(() => undefined)).toEqual({ set: true });
    expect(inputWith((form) => (form.proxyPassword = 'new'))).toEqual({ value: 'new' });
    expect(inputWith((form) => form.keptSecrets && (form.keptSecrets.proxyPassword = false))).toEqual({ set: false });
    // A new profile has no saved secret to keep.
    const fresh = emptyEditorDraft();
    expect(editorDraftToInput(fresh).proxy.password).toEqual({ set: false });
  });

  it('a new profile: empty form has no reconnect and passes once it has a name and URL; turned on, the profile defaults', () => {
    const draft = emptyEditorDraft();
    expect(checkEditorDraft(draft).problems).toMatchObject({ name: expect.any(String), url: expect.any(String) });
    draft.name = 'local echo';
    draft.form.url = 'ws://127.0.0.1:9000/';
    const { input, problems } = checkEditorDraft(draft);
    expect(problems).toEqual({});
    expect(input.reconnect).toBeUndefined();
    draft.form.reconnectOn = true;
    expect(checkEditorDraft(draft).input.reconnect).toEqual({ enabled: true, initialDelayMs: 1000, maxDelayMs: 30000, maxAttempts: 10 });
    // What a reconnect sends again: the default (opening and subscriptions) is left unsaid; a narrower choice is saved.
    expect(draft.form.reconnectResend).toBe('subscriptions');
    draft.form.reconnectResend = 'opening';
    expect(checkEditorDraft(draft).input.reconnect).toMatchObject({ resend: 'opening' });
  });

  it('names the place of each problem, including in lists', () => {
    const draft = emptyEditorDraft();
    draft.name = 'x';
    draft.form.url = 'http://not-ws';
    draft.form.headers.push(newEditorHeader());
    const message = newEditorMessage();
    message.name = 'bad json';
    message.kind = 'json';
    message.body = '{nope';
    draft.savedMessages.push(message);
    draft.form.proxyMode = 'manual';
    Object.assign(draft.form, { reconnectOn: true, reconnectDelaySeconds: 10, reconnectMaxDelaySeconds: 1, reconnectMaxAttempts: 3 });
    const { problems } = checkEditorDraft(draft);
    expect(Object.keys(problems).sort()).toEqual(['headers.0.name', 'proxy.url', 'reconnect.maxDelayMs', 'savedMessages.0.body', 'url']);
    expect(problems['headers.0.name']).toBe('a header needs a name (or remove the row)');
  });

  it('the print changes with an edit and never holds a typed secret', () => {
    const draft = editorDraftFromView(fullView());
    const before = editorFingerprint(draft);
    expect(editorFingerprint(editorDraftFromView(fullView()))).not.toBe('');
    draft.form.proxyPassword = 'p4ss-word-typed';
    const after = editorFingerprint(draft);
    expect(after).not.toBe(before);
    expect(after).not.toContain('p4ss-word-typed');
    draft.form.proxyPassword = '';
    expect(editorFingerprint(draft)).toBe(before);
    // An added row is a change before it is named.
    draft.form.headers.push(newEditorHeader());
    expect(editorFingerprint(draft)).not.toBe(before);
  });

  it('reads the place and message out of an engine error', () => {
    expect(problemFromError('profiles:save: profile.name: a profile named "x" already exists; choose another name', 'profile.name')).toEqual({
      place: 'name',
      message: 'a profile named "x" already exists; choose another name',
    });
    expect(problemFromError('profile.headers.0.value: there is no stored secret to keep here; enter the value', 'profile.headers.0.value')).toEqual({
      place: 'headers.0.value',
      message: 'there is no stored secret to keep here; enter the value',
    });
    expect(problemFromError('disk full', undefined)).toEqual({ place: 'general', message: 'disk full' });
  });
});
