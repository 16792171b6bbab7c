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
  secretInputOf,
} from '../../../src-renderer/src/stores/profile-editor-draft';
import { fullView } from './profile-fixtures';

describe('profile editor draft', () => {
  it('round-trips every field of a view, keeping every saved secret', () => {
    const view = fullView();
    const input = editorDraftToInput(editorDraftFromView(view), view.id);
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

  it('edits the deadlines: only those changed from the defaults are saved, an empty open deadline is none', () => {
    const view = fullView();
    const draft = editorDraftFromView({ ...view, handshakeTimeoutMs: 10_000, timeouts: { proxyAnswerMs: 30_000 } });
    expect(draft.timeouts).toEqual({ proxyConnectMs: 10_000, proxyAnswerMs: 30_000, tlsMs: 10_000, upgradeMs: 10_000, openMs: 0 });
    expect(editorDraftToInput(draft, view.id).timeouts).toEqual({ proxyAnswerMs: 30_000 });
    draft.timeouts = { ...draft.timeouts, proxyAnswerMs: 15_000, openMs: 60_000 };
    expect(editorDraftToInput(draft, view.id).timeouts).toEqual({ openMs: 60_000 });
    draft.timeouts = { ...draft.timeouts, openMs: 0 };
    expect(editorDraftToInput(draft, view.id).timeouts).toBeUndefined();
  });

  it('edits the history in frames and MB; the defaults save as no setting; a bad number is named', () => {
    const view = fullView();
    const draft = editorDraftFromView(view);
    expect(draft.history).toEqual({ frames: 250_000, megabytes: 64 });
    draft.history = { frames: 1_000_000, megabytes: 512 };
    expect(editorDraftToInput(draft, view.id)).not.toHaveProperty('history');
    expect(emptyEditorDraft().history).toEqual({ frames: 1_000_000, megabytes: 512 });
    draft.history = { frames: 50, megabytes: 8192 };
    expect(checkEditorDraft(draft, view.id).problems).toMatchObject({
      'history.maxFrames': 'keep at least 100 frames',
      'history.maxBytes': 'at most 4096 MB of payload can be kept',
    });
  });

  it('keep, replace and clear a secret', () => {
    expect(secretInputOf({ saved: true, action: 'keep', value: '' })).toEqual({ set: true });
    expect(secretInputOf({ saved: false, action: 'keep', value: '' })).toEqual({ set: false });
    expect(secretInputOf({ saved: true, action: 'replace', value: 'new' })).toEqual({ value: 'new' });
    // "Replace" with nothing typed keeps the saved one.
    expect(secretInputOf({ saved: true, action: 'replace', value: '' })).toEqual({ set: true });
    expect(secretInputOf({ saved: true, action: 'clear', value: 'ignored' })).toEqual({ set: false });
  });

  it('a new profile: empty form has no reconnect enabled and passes once it has a name and URL', () => {
    const draft = emptyEditorDraft();
    expect(checkEditorDraft(draft, null).problems).toMatchObject({ name: expect.any(String), url: expect.any(String) });
    draft.name = 'local echo';
    draft.url = 'ws://127.0.0.1:9000/';
    const { input, problems } = checkEditorDraft(draft, null);
    expect(problems).toEqual({});
    expect(input.reconnect).toEqual({ enabled: false, initialDelayMs: 1000, maxDelayMs: 30000, maxAttempts: 10 });
  });

  it('names the place of each problem, including in lists', () => {
    const draft = emptyEditorDraft();
    draft.name = 'x';
    draft.url = 'http://not-ws';
    draft.headers.push(newEditorHeader());
    const message = newEditorMessage();
    message.name = 'bad json';
    message.kind = 'json';
    message.body = '{nope';
    draft.savedMessages.push(message);
    draft.proxy.mode = 'manual';
    draft.reconnect = { enabled: true, initialDelaySeconds: 10, maxDelaySeconds: 1, maxAttempts: 3 };
    const { problems } = checkEditorDraft(draft, null);
    expect(Object.keys(problems).sort()).toEqual(['headers.0.name', 'proxy.url', 'reconnect.maxDelayMs', 'savedMessages.0.body', 'url']);
    expect(problems['headers.0.name']).toBe('a header needs a name (or remove the row)');
  });

  it('the print changes with an edit and never holds a typed secret', () => {
    const draft = editorDraftFromView(fullView());
    const before = editorFingerprint(draft);
    expect(editorFingerprint(editorDraftFromView(fullView()))).not.toBe('');
    draft.proxy.password = { saved: true, action: 'replace', value: 'p4ss-word-typed' };
    const after = editorFingerprint(draft);
    expect(after).not.toBe(before);
    expect(after).not.toContain('p4ss-word-typed');
    draft.proxy.password = { saved: true, action: 'keep', value: '' };
    expect(editorFingerprint(draft)).toBe(before);
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
