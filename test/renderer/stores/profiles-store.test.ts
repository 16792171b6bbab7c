/**
 * The profiles store against the fake bridge's in-memory profile commands: list and search,
 * the editor (unsaved changes, save, CONFLICT → reload or overwrite), duplicate, rename,
 * delete with undo, import all-or-nothing, export with and without secrets, the store's
 * status, and tabs opened from a profile (connect by id, save, save as, the connect choice).
 */
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import { UNDO_MS, useProfilesStore } from '../../../src-renderer/src/stores/profiles-store';
import { useSessionsStore } from '../../../src-renderer/src/stores/sessions-store';
import type { ProfileInputDraft, ProfileView } from '../../../src-main/shared/profiles';
import { createFakeBridge, type FakeBridge } from './fake-bridge';

const saved = vi.hoisted(() => ({ files: [] as { name: string; text: string }[] }));
vi.mock('../../../src-renderer/src/util/save-text-file', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src-renderer/src/util/save-text-file')>();
  return { ...original, saveTextFile: (name: string, text: string) => saved.files.push({ name, text }) };
});

let fake: FakeBridge;

beforeEach(() => {
  setActivePinia(createPinia());
  fake = createFakeBridge();
  setBridge(fake.bridge);
  saved.files = [];
});
afterEach(() => {
  vi.useRealTimers();
});

function seed(input: Partial<ProfileInputDraft> & { name: string }): ProfileView {
  const result = fake.profiles.handlers['profiles:save']?.({ profile: { url: 'wss://echo.test/', proxy: { mode: 'none' }, tls: {}, ...input } });
  if (!result?.ok) throw new Error(`seed failed: ${JSON.stringify(result)}`);
  const view = fake.profiles.views.get(String((result.value as { id: string }).id));
  if (!view) throw new Error('seed: not stored');
  return view;
}

function callsOf(name: string) {
  return fake.calls.filter((c) => c.name === name);
}

describe('list, search and status', () => {
  it('lists sorted by name and filters by every word in name or URL', async () => {
    seed({ name: 'staging', url: 'wss://staging.corp/ws' });
    seed({ name: 'Prod gateway', url: 'wss://gw.corp/socket' });
    seed({ name: 'local echo', url: 'ws://127.0.0.1:9000/' });
    const store = useProfilesStore();
    await store.load();
    expect(store.filtered.map((p) => p.name)).toEqual(['local echo', 'Prod gateway', 'staging']);
    store.query = 'CORP';
    expect(store.filtered.map((p) => p.name)).toEqual(['Prod gateway', 'staging']);
    store.query = 'corp socket';
    expect(store.filtered.map((p) => p.name)).toEqual(['Prod gateway']);
    store.query = 'nothing like it';
    expect(store.filtered).toEqual([]);
  });

  it('reads the status: weak protection and files set aside are shown until dismissed', async () => {
    fake.profiles.status = {
      dataDir: '/d',
      file: '/d/profiles.json',
      protection: 'key-file',
      cipher: 'keyfile',
      warning: 'Secrets are encrypted with a key kept in /d/secret.key …',
      notices: [{ kind: 'set-aside', message: 'profiles.json was not valid JSON; it was kept as profiles.json.corrupt-1', file: '/d/profiles.json.corrupt-1', at: 1 }],
      setAsideFiles: ['/d/profiles.json.corrupt-1'],
    };
    const store = useProfilesStore();
    await store.load();
    expect(store.weakProtection).toBe(true);
    expect(store.storeNotices).toHaveLength(1);
    store.dismissNotices();
    expect(store.storeNotices).toHaveLength(0);
  });

  it('a host without a data folder (FORBIDDEN) makes profiles unavailable, not an error', async () => {
    fake.answer('profiles:list', () => ({ ok: false, error: { code: 'FORBIDDEN', message: 'this host keeps no profiles' } }));
    fake.answer('profiles:status', () => ({ ok: false, error: { code: 'FORBIDDEN', message: 'this host keeps no profiles' } }));
    const store = useProfilesStore();
    await store.load();
    expect(store.available).toBe(false);
    expect(store.loadError).toBeNull();
  });
});

describe('the editor', () => {
  it('creates a profile: unsaved changes until saved, then the list has it', async () => {
    const store = useProfilesStore();
    await store.load();
    store.startCreate();
    expect(store.editorDirty).toBe(false);
    const editor = store.editor;
    if (!editor) throw new Error('no editor');
    editor.draft.name = 'local echo';
    editor.draft.form.url = 'ws://127.0.0.1:9000/';
    editor.draft.form.proxyPassword = 'typed-secret';
    editor.draft.form.proxyUsername = 'u';
    expect(store.editorDirty).toBe(true);
    expect(await store.saveEditor()).toBe(true);
    expect(store.editorDirty).toBe(false);
    expect(store.profiles.map((p) => p.name)).toEqual(['local echo']);
    // The saved view says "set"; the value went to the engine only.
    expect(store.editor?.draft.form.proxyPassword).toBe('');
    expect(store.editor?.draft.form.keptSecrets?.proxyPassword).toBe(true);
    expect(JSON.stringify(store.profiles)).not.toContain('typed-secret');
    expect(fake.profiles.secrets.get(`${store.profiles[0]?.id}/proxy.password`)).toBe('typed-secret');
  });

  it('shows problems by place and sends nothing while the form is invalid', async () => {
    const store = useProfilesStore();
    store.startCreate();
    expect(await store.saveEditor()).toBe(false);
    expect(store.editor?.problems).toMatchObject({ name: expect.any(String), url: expect.any(String) });
    expect(callsOf('profiles:save')).toHaveLength(0);
  });

  it("shows the engine's refusal next to the field it names", async () => {
    seed({ name: 'taken' });
    const store = useProfilesStore();
    store.startCreate();
    if (!store.editor) throw new Error('no editor');
    store.editor.draft.name = 'Taken';
    store.editor.draft.form.url = 'ws://x.test/';
    expect(await store.saveEditor()).toBe(false);
    expect(store.editor.problems).toEqual({ name: 'a profile named "Taken" already exists; choose another name' });
  });

  it('a save based on an old revision is a CONFLICT: reload takes theirs, overwrite keeps mine', async () => {
    const view = seed({ name: 'shared' });
    const store = useProfilesStore();
    await store.startEdit(view.id);
    if (!store.editor) throw new Error('no editor');
    store.editor.draft.form.url = 'ws://mine.test/';
    fake.profiles.touch(view.id, { url: 'ws://theirs.test/' });

    expect(await store.saveEditor()).toBe(false);
    expect(store.editor.conflict).toContain('was changed elsewhere');
    await store.reloadEditor();
    expect(store.editor?.draft.form.url).toBe('ws://theirs.test/');
    expect(store.editor?.conflict).toBeNull();
    expect(store.editorDirty).toBe(false);

    if (!store.editor) throw new Error('the editor closed');
    store.editor.draft.form.url = 'ws://mine-again.test/';
    fake.profiles.touch(view.id, { url: 'ws://theirs-again.test/' });
    expect(await store.saveEditor()).toBe(false);
    expect(await store.overwriteEditor()).toBe(true);
    expect(fake.profiles.views.get(view.id)?.url).toBe('ws://mine-again.test/');
  });

  it('closing with unsaved changes asks first', async () => {
    const store = useProfilesStore();
    store.startCreate();
    if (!store.editor) throw new Error('no editor');
    store.editor.draft.name = 'half done';
    expect(store.closeEditor()).toBe(false);
    expect(store.editor.confirmDiscard).toBe(true);
    store.keepEditing();
    expect(store.editor.confirmDiscard).toBe(false);
    expect(store.closeEditor(true)).toBe(true);
    expect(store.editor).toBeNull();
  });
});

describe('list actions', () => {
  it('duplicates and renames (a taken name is refused with the reason)', async () => {
    const a = seed({ name: 'alpha' });
    seed({ name: 'beta' });
    const store = useProfilesStore();
    await store.load();
    const copy = await store.duplicate(a.id);
    expect(copy?.name).toBe('alpha (copy)');
    expect(store.selectedId).toBe(copy?.id);
    expect(await store.rename(a.id, 'beta')).toBe('a profile named "beta" already exists; choose another name');
    expect(await store.rename(a.id, 'gamma')).toBeNull();
    expect(store.byId(a.id)?.name).toBe('gamma');
  });

  it('deletes with an Undo toast for 10 s; Undo restores it', async () => {
    vi.useFakeTimers();
    const a = seed({ name: 'alpha' });
    const store = useProfilesStore();
    await store.load();
    expect(await store.remove(a.id)).toBe(true);
    expect(store.profiles).toHaveLength(0);
    expect(store.toast).toMatchObject({ message: 'Deleted “alpha”.', undoToken: expect.any(String) });
    vi.advanceTimersByTime(UNDO_MS - 100);
    expect(store.toast?.undoToken).toBeDefined();
    expect(await store.undoDelete()).toBe(true);
    expect(store.profiles.map((p) => p.name)).toEqual(['alpha']);
    expect(callsOf('profiles:restore')).toHaveLength(1);
  });

  it('the Undo toast goes away after 10 s', async () => {
    vi.useFakeTimers();
    const a = seed({ name: 'alpha' });
    const store = useProfilesStore();
    await store.load();
    await store.remove(a.id);
    vi.advanceTimersByTime(UNDO_MS + 1);
    expect(store.toast).toBeNull();
    expect(await store.undoDelete()).toBe(false);
  });
});

describe('import and export', () => {
  it('an import with problems imports nothing and lists every problem with its place', async () => {
    const store = useProfilesStore();
    const text = JSON.stringify({ profiles: [{ name: 'ok', url: 'wss://ok.test/' }, { name: '', url: 'http://bad' }] });
    expect(await store.importText(text, 'bad.json')).toBe(false);
    expect(store.importReport).toMatchObject({
      fileName: 'bad.json',
      ok: false,
      problems: [
        { path: 'profiles[1].name', message: 'a profile needs a name' },
        { path: 'profiles[1].url', message: 'the URL must start with ws:// or wss://' },
      ],
    });
    expect(fake.profiles.views.size).toBe(0);
  });

  it('a good import reloads the list and says how many came in', async () => {
    const store = useProfilesStore();
    expect(await store.importText(JSON.stringify({ profiles: [{ name: 'one', url: 'wss://1.test/' }, { name: 'two', url: 'wss://2.test/' }] }), 'good.json')).toBe(true);
    expect(store.profiles.map((p) => p.name).sort()).toEqual(['one', 'two']);
    expect(store.toast?.message).toBe('Imported 2 profiles from good.json.');
  });

  it('exports one profile without secrets, or all with them once confirmed', async () => {
    const a = seed({ name: 'prod gateway', proxy: { mode: 'manual', url: 'http://p.test:1', username: 'u', password: { value: 'pw-1' } } });
    seed({ name: 'b' });
    const store = useProfilesStore();
    await store.load();
    store.requestExport(a.id);
    expect(store.exportRequest).toMatchObject({ label: '“prod gateway”', hasSecrets: true, fileName: 'prod-gateway.tunnelscope.json' });
    expect(await store.confirmExport(false)).toBe(true);
    expect(callsOf('profiles:export').at(-1)?.arg).toEqual({ ids: [a.id], includeSecrets: false });
    expect(saved.files.at(-1)?.name).toBe('prod-gateway.tunnelscope.json');
    expect(saved.files.at(-1)?.text).not.toContain('pw-1');

    store.requestExport(null);
    expect(store.exportRequest?.label).toBe('all 2 profiles');
    expect(await store.confirmExport(true)).toBe(true);
    expect(callsOf('profiles:export').at(-1)?.arg).toEqual({ includeSecrets: true });
    expect(saved.files.at(-1)?.name).toBe('tunnelscope-profiles.with-secrets.json');
    expect(store.toast?.tone).toBe('warn');
  });
});

describe('tabs opened from a profile', () => {
  it('opens a new tab with the profile name and id, and connects by profile id', async () => {
    const view = seed({ name: 'prod gateway', url: 'wss://gw.test/', headers: [{ name: 'Authorization', secret: true, value: { value: 'Bearer hidden' } }] });
    const store = useProfilesStore();
    const sessions = useSessionsStore();
    const tab = await store.openInTab(view.id);
    expect(tab?.profile).toMatchObject({ id: view.id, name: 'prod gateway' });
    expect(sessions.activeTabId).toBe(tab?.id);
    expect(JSON.stringify(tab?.draft)).not.toContain('Bearer hidden');
    await sessions.connect(tab?.id ?? '');
    expect(callsOf('session:open').at(-1)?.arg).toEqual({ profileId: view.id, label: 'prod gateway', pin: true });
    expect(store.tabDirty(tab?.id ?? '')).toBe(false);
  });

  it('a changed tab connects at once with its changes; the engine fills in the secret it kept; the profile stays as saved', async () => {
    const view = seed({ name: 'gw', headers: [{ name: 'Authorization', secret: true, value: { value: 'Bearer hidden' } }] });
    const store = useProfilesStore();
    const sessions = useSessionsStore();
    const tab = await store.openInTab(view.id);
    if (!tab) throw new Error('no tab');
    tab.draft.url = 'wss://echo.test/v2';
    expect(store.tabDirty(tab.id)).toBe(true);
    await sessions.connect(tab.id);
    expect(callsOf('session:open').at(-1)?.arg).toMatchObject({
      label: 'gw',
      options: { url: 'wss://echo.test/v2', headers: [{ name: 'Authorization', value: '', secret: true }] },
      savedSecrets: { profileId: view.id, headers: [{ index: 0, profileHeaderId: view.headers[0]?.id ?? '' }] },
    });
    expect(JSON.stringify(callsOf('session:open'))).not.toContain('Bearer hidden');
    // Connecting saved nothing: the tab still has its unsaved change.
    expect(fake.profiles.views.get(view.id)?.url).toBe('wss://echo.test/');
    expect(store.tabDirty(tab.id)).toBe(true);
  });

  it('a saved secret the engine will not send there is said next to its field', async () => {
    const view = seed({ name: 'gw', headers: [{ name: 'Authorization', secret: true, value: { value: 'Bearer hidden' } }] });
    fake.answer('session:open', () => ({
      ok: false,
      error: {
        code: 'INVALID_ARGUMENT',
        message: 'session:open: the saved value of header Authorization in profile "gw" is only sent to wss://echo.test:443; type it again to send it to wss://elsewhere.test:443, or save the profile',
        path: 'savedSecrets.headers.0',
      },
    }));
    const store = useProfilesStore();
    const sessions = useSessionsStore();
    const tab = await store.openInTab(view.id);
    if (!tab) throw new Error('no tab');
    tab.draft.url = 'wss://elsewhere.test/';
    await sessions.connect(tab.id);
    expect(tab.commandProblem).toMatchObject({ path: 'savedSecrets.headers.0' });
    expect(tab.commandProblem?.message).toContain('is only sent to wss://echo.test:443');
  });

  it('"Save as profile" turns a plain tab into a profile tab; its typed secrets leave the form', async () => {
    const store = useProfilesStore();
    const sessions = useSessionsStore();
    const tab = sessions.newTab();
    tab.draft.url = 'wss://echo.test/';
    tab.draft.proxyMode = 'manual';
    tab.draft.proxyUrl = 'http://p.test:3128';
    tab.draft.proxyUsername = 'alice';
    tab.draft.proxyPassword = 'typed-pw';
    expect(await store.saveTabAsProfile(tab.id, 'from tab')).toBeNull();
    expect(tab.profile?.name).toBe('from tab');
    expect(tab.draft.proxyPassword).toBe('');
    expect(tab.draft.keptSecrets).toEqual({ proxyPassword: true, passphrase: false });
    expect(store.tabDirty(tab.id)).toBe(false);
    expect(fake.profiles.secrets.get(`${tab.profile?.id ?? ''}/proxy.password`)).toBe('typed-pw');
    expect(await store.saveTabAsProfile(tab.id, 'from tab')).toContain('already exists');
  });

  it('"Save" in a tab updates the profile; a conflict is kept on the tab until reload or overwrite', async () => {
    const view = seed({ name: 'gw' });
    const store = useProfilesStore();
    const tab = await store.openInTab(view.id);
    if (!tab) throw new Error('no tab');
    tab.draft.origin = 'https://app.test';
    expect(await store.saveTab(tab.id)).toBe(true);
    expect(fake.profiles.views.get(view.id)?.origin).toBe('https://app.test');

    tab.draft.origin = 'https://mine.test';
    fake.profiles.touch(view.id, { url: 'wss://theirs.test/' });
    expect(await store.saveTab(tab.id)).toBe(false);
    expect(tab.profile?.conflict).toContain('changed elsewhere');
    expect(await store.overwriteTab(tab.id)).toBe(true);
    expect(fake.profiles.views.get(view.id)?.origin).toBe('https://mine.test');
    expect(tab.profile?.conflict).toBeNull();
  });

  it('a tab without changes follows an edit made in the editor', async () => {
    const view = seed({ name: 'gw' });
    const store = useProfilesStore();
    const tab = await store.openInTab(view.id);
    await store.startEdit(view.id);
    if (!store.editor || !tab) throw new Error('setup');
    store.editor.draft.form.url = 'wss://edited.test/';
    store.editor.draft.name = 'gw renamed';
    await store.saveEditor();
    expect(tab.draft.url).toBe('wss://edited.test/');
    expect(tab.profile?.name).toBe('gw renamed');
  });
});
