/**
 * The profiles store against the fake bridge's in-memory profile commands: list and search,
 * the editor (unsaved changes, save, CONFLICT → reload or overwrite), duplicate, rename,
 * delete with undo, import all-or-nothing, export with and without secrets, the store's
 * status, and tabs opened from a profile (connect by id, save, save as, the connect choice).
 */
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import { useProfileListStore } from '../../../src-renderer/src/stores/profile-list-store';
import { UNDO_MS, useProfileNoticesStore } from '../../../src-renderer/src/stores/profile-notices-store';
import { useProfileEditorStore } from '../../../src-renderer/src/stores/profile-editor-store';
import { useProfileTabsStore } from '../../../src-renderer/src/stores/profile-tabs-store';
import { useProfileTransferStore } from '../../../src-renderer/src/stores/profile-transfer-store';
import { useTabsStore } from '../../../src-renderer/src/stores/tabs-store';
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
    const list = useProfileListStore();
    await list.load();
    expect(list.filtered.map((p) => p.name)).toEqual(['local echo', 'Prod gateway', 'staging']);
    list.query = 'CORP';
    expect(list.filtered.map((p) => p.name)).toEqual(['Prod gateway', 'staging']);
    list.query = 'corp socket';
    expect(list.filtered.map((p) => p.name)).toEqual(['Prod gateway']);
    list.query = 'nothing like it';
    expect(list.filtered).toEqual([]);
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
    const list = useProfileListStore();
    const notices = useProfileNoticesStore();
    await list.load();
    expect(notices.weakProtection).toBe(true);
    expect(notices.storeNotices).toHaveLength(1);
    notices.dismissNotices();
    expect(notices.storeNotices).toHaveLength(0);
  });

  it('a host without a data folder (FORBIDDEN) makes profiles unavailable, not an error', async () => {
    fake.answer('profiles:list', () => ({ ok: false, error: { code: 'FORBIDDEN', message: 'this host keeps no profiles' } }));
    fake.answer('profiles:status', () => ({ ok: false, error: { code: 'FORBIDDEN', message: 'this host keeps no profiles' } }));
    const list = useProfileListStore();
    const notices = useProfileNoticesStore();
    await list.load();
    expect(notices.available).toBe(false);
    expect(list.loadError).toBeNull();
  });
});

describe('the editor', () => {
  it('creates a profile: unsaved changes until saved, then the list has it', async () => {
    const list = useProfileListStore();
    const editorStore = useProfileEditorStore();
    await list.load();
    editorStore.startCreate();
    expect(editorStore.editorDirty).toBe(false);
    const editor = editorStore.editor;
    if (!editor) throw new Error('no editor');
    editor.draft.name = 'local echo';
    editor.draft.form.url = 'ws://127.0.0.1:9000/';
    editor.draft.form.proxyPassword = 'typed-secret';
    editor.draft.form.proxyUsername = 'u';
    expect(editorStore.editorDirty).toBe(true);
    expect(await editorStore.saveEditor()).toBe(true);
    expect(editorStore.editorDirty).toBe(false);
    expect(list.profiles.map((p) => p.name)).toEqual(['local echo']);
    // The saved view says "set"; the value went to the engine only.
    expect(editorStore.editor?.draft.form.proxyPassword).toBe('');
    expect(editorStore.editor?.draft.form.keptSecrets?.proxyPassword).toBe(true);
    expect(JSON.stringify(list.profiles)).not.toContain('typed-secret');
    expect(fake.profiles.secrets.get(`${list.profiles[0]?.id}/proxy.password`)).toBe('typed-secret');
  });

  it('shows problems by place and sends nothing while the form is invalid', async () => {
    const editorStore = useProfileEditorStore();
    editorStore.startCreate();
    expect(await editorStore.saveEditor()).toBe(false);
    expect(editorStore.editor?.problems).toMatchObject({ name: expect.any(String), url: expect.any(String) });
    expect(callsOf('profiles:save')).toHaveLength(0);
  });

  it("shows the engine's refusal next to the field it names", async () => {
    seed({ name: 'taken' });
    const editorStore = useProfileEditorStore();
    editorStore.startCreate();
    if (!editorStore.editor) throw new Error('no editor');
    editorStore.editor.draft.name = 'Taken';
    editorStore.editor.draft.form.url = 'ws://x.test/';
    expect(await editorStore.saveEditor()).toBe(false);
    expect(editorStore.editor.problems).toEqual({ name: 'a profile named "Taken" already exists; choose another name' });
  });

  it('a save based on an old revision is a CONFLICT: reload takes theirs, overwrite keeps mine', async () => {
    const view = seed({ name: 'shared' });
    const editorStore = useProfileEditorStore();
    await editorStore.startEdit(view.id);
    if (!editorStore.editor) throw new Error('no editor');
    editorStore.editor.draft.form.url = 'ws://mine.test/';
    fake.profiles.touch(view.id, { url: 'ws://theirs.test/' });

    expect(await editorStore.saveEditor()).toBe(false);
    expect(editorStore.editor.conflict).toContain('was changed elsewhere');
    await editorStore.reloadEditor();
    expect(editorStore.editor?.draft.form.url).toBe('ws://theirs.test/');
    expect(editorStore.editor?.conflict).toBeNull();
    expect(editorStore.editorDirty).toBe(false);

    if (!editorStore.editor) throw new Error('the editor closed');
    editorStore.editor.draft.form.url = 'ws://mine-again.test/';
    fake.profiles.touch(view.id, { url: 'ws://theirs-again.test/' });
    expect(await editorStore.saveEditor()).toBe(false);
    expect(await editorStore.overwriteEditor()).toBe(true);
    expect(fake.profiles.views.get(view.id)?.url).toBe('ws://mine-again.test/');
  });

  it('closing with unsaved changes asks first', async () => {
    const editorStore = useProfileEditorStore();
    editorStore.startCreate();
    if (!editorStore.editor) throw new Error('no editor');
    editorStore.editor.draft.name = 'half done';
    expect(editorStore.closeEditor()).toBe(false);
    expect(editorStore.editor.confirmDiscard).toBe(true);
    editorStore.keepEditing();
    expect(editorStore.editor.confirmDiscard).toBe(false);
    expect(editorStore.closeEditor(true)).toBe(true);
    expect(editorStore.editor).toBeNull();
  });
});

describe('list actions', () => {
  it('duplicates and renames (a taken name is refused with the reason)', async () => {
    const a = seed({ name: 'alpha' });
    seed({ name: 'beta' });
    const list = useProfileListStore();
    await list.load();
    const copy = await list.duplicate(a.id);
    expect(copy?.name).toBe('alpha (copy)');
    expect(list.selectedId).toBe(copy?.id);
    expect(await list.rename(a.id, 'beta')).toBe('a profile named "beta" already exists; choose another name');
    expect(await list.rename(a.id, 'gamma')).toBeNull();
    expect(list.byId(a.id)?.name).toBe('gamma');
  });

  it('deletes with an Undo toast for 10 s; Undo restores it', async () => {
    vi.useFakeTimers();
    const a = seed({ name: 'alpha' });
    const list = useProfileListStore();
    const notices = useProfileNoticesStore();
    await list.load();
    expect(await list.remove(a.id)).toBe(true);
    expect(list.profiles).toHaveLength(0);
    expect(notices.toast).toMatchObject({ message: 'Deleted “alpha”.', undoToken: expect.any(String) });
    vi.advanceTimersByTime(UNDO_MS - 100);
    expect(notices.toast?.undoToken).toBeDefined();
    expect(await list.undoDelete()).toBe(true);
    expect(list.profiles.map((p) => p.name)).toEqual(['alpha']);
    expect(callsOf('profiles:restore')).toHaveLength(1);
  });

  it('the Undo toast goes away after 10 s', async () => {
    vi.useFakeTimers();
    const a = seed({ name: 'alpha' });
    const list = useProfileListStore();
    const notices = useProfileNoticesStore();
    await list.load();
    await list.remove(a.id);
    vi.advanceTimersByTime(UNDO_MS + 1);
    expect(notices.toast).toBeNull();
    expect(await list.undoDelete()).toBe(false);
  });
});

describe('import and export', () => {
  it('an import with problems imports nothing and lists every problem with its place', async () => {
    const transfer = useProfileTransferStore();
    const text = JSON.stringify({ profiles: [{ name: 'ok', url: 'wss://ok.test/' }, { name: '', url: 'http://bad' }] });
    expect(await transfer.importText(text, 'bad.json')).toBe(false);
    expect(transfer.importReport).toMatchObject({
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
    const list = useProfileListStore();
    const notices = useProfileNoticesStore();
    const transfer = useProfileTransferStore();
    expect(await transfer.importText(JSON.stringify({ profiles: [{ name: 'one', url: 'wss://1.test/' }, { name: 'two', url: 'wss://2.test/' }] }), 'good.json')).toBe(true);
    expect(list.profiles.map((p) => p.name).sort()).toEqual(['one', 'two']);
    expect(notices.toast?.message).toBe('Imported 2 profiles from good.json.');
  });

  it('exports one profile without secrets, or all with them once confirmed', async () => {
    const a = seed({ name: 'prod gateway', proxy: { mode: 'manual', url: 'http://p.test:1', username: 'u', password: { value: 'pw-1' } } });
    seed({ name: 'b' });
    const list = useProfileListStore();
    const notices = useProfileNoticesStore();
    const transfer = useProfileTransferStore();
    await list.load();
    transfer.requestExport(a.id);
    expect(transfer.exportRequest).toMatchObject({ label: '“prod gateway”', hasSecrets: true, fileName: 'prod-gateway.tunnelscope.json' });
    expect(await transfer.confirmExport(false)).toBe(true);
    expect(callsOf('profiles:export').at(-1)?.arg).toEqual({ ids: [a.id], includeSecrets: false });
    expect(saved.files.at(-1)?.name).toBe('prod-gateway.tunnelscope.json');
    expect(saved.files.at(-1)?.text).not.toContain('pw-1');

    transfer.requestExport(null);
    expect(transfer.exportRequest?.label).toBe('all 2 profiles');
    expect(await transfer.confirmExport(true)).toBe(true);
    expect(callsOf('profiles:export').at(-1)?.arg).toEqual({ includeSecrets: true });
    expect(saved.files.at(-1)?.name).toBe('tunnelscope-profiles.with-secrets.json');
    expect(notices.toast?.tone).toBe('warn');
  });
});

describe('tabs opened from a profile', () => {
  it('opens a new tab with the profile name and id, and connects by profile id', async () => {
    const view = seed({ name: 'prod gateway', url: 'wss://gw.test/', headers: [{ name: 'Authorization', secret: true, value: { value: 'Bearer hidden' } }] });
    const profileTabs = useProfileTabsStore();
    const tabStore = useTabsStore();
    const tab = await profileTabs.openInTab(view.id);
    expect(tab?.profile).toMatchObject({ id: view.id, name: 'prod gateway' });
    expect(tabStore.activeTabId).toBe(tab?.id);
    expect(JSON.stringify(tab?.draft)).not.toContain('Bearer hidden');
    await tabStore.connect(tab?.id ?? '');
    expect(callsOf('session:open').at(-1)?.arg).toEqual({ profileId: view.id, label: 'prod gateway', pin: true });
    expect(profileTabs.tabDirty(tab?.id ?? '')).toBe(false);
  });

  it('a changed tab connects at once with its changes; the engine fills in the secret it kept; the profile stays as saved', async () => {
    const view = seed({ name: 'gw', headers: [{ name: 'Authorization', secret: true, value: { value: 'Bearer hidden' } }] });
    const profileTabs = useProfileTabsStore();
    const tabStore = useTabsStore();
    const tab = await profileTabs.openInTab(view.id);
    if (!tab) throw new Error('no tab');
    tab.draft.url = 'wss://echo.test/v2';
    expect(profileTabs.tabDirty(tab.id)).toBe(true);
    await tabStore.connect(tab.id);
    expect(callsOf('session:open').at(-1)?.arg).toMatchObject({
      label: 'gw',
      options: { url: 'wss://echo.test/v2', headers: [{ name: 'Authorization', value: '', secret: true }] },
      savedSecrets: { profileId: view.id, headers: [{ index: 0, profileHeaderId: view.headers[0]?.id ?? '' }] },
    });
    expect(JSON.stringify(callsOf('session:open'))).not.toContain('Bearer hidden');
    // Connecting saved nothing: the tab still has its unsaved change.
    expect(fake.profiles.views.get(view.id)?.url).toBe('wss://echo.test/');
    expect(profileTabs.tabDirty(tab.id)).toBe(true);
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
    const profileTabs = useProfileTabsStore();
    const tabStore = useTabsStore();
    const tab = await profileTabs.openInTab(view.id);
    if (!tab) throw new Error('no tab');
    tab.draft.url = 'wss://elsewhere.test/';
    await tabStore.connect(tab.id);
    expect(tab.commandProblem).toMatchObject({ path: 'savedSecrets.headers.0' });
    expect(tab.commandProblem?.message).toContain('is only sent to wss://echo.test:443');
  });

  it('"Save as profile" turns a plain tab into a profile tab; its typed secrets leave the form', async () => {
    const profileTabs = useProfileTabsStore();
    const tabStore = useTabsStore();
    const tab = tabStore.newTab();
    tab.draft.url = 'wss://echo.test/';
    tab.draft.proxyMode = 'manual';
    tab.draft.proxyUrl = 'http://p.test:3128';
    tab.draft.proxyUsername = 'alice';
    tab.draft.proxyPassword = 'typed-pw';
    expect(await profileTabs.saveTabAsProfile(tab.id, 'from tab')).toBeNull();
    expect(tab.profile?.name).toBe('from tab');
    expect(tab.draft.proxyPassword).toBe('');
    expect(tab.draft.keptSecrets).toEqual({ proxyPassword: true, passphrase: false });
    expect(profileTabs.tabDirty(tab.id)).toBe(false);
    expect(fake.profiles.secrets.get(`${tab.profile?.id ?? ''}/proxy.password`)).toBe('typed-pw');
    expect(await profileTabs.saveTabAsProfile(tab.id, 'from tab')).toContain('already exists');
  });

  it('"Save" in a tab updates the profile; a conflict is kept on the tab until reload or overwrite', async () => {
    const view = seed({ name: 'gw' });
    const profileTabs = useProfileTabsStore();
    const tab = await profileTabs.openInTab(view.id);
    if (!tab) throw new Error('no tab');
    tab.draft.origin = 'https://app.test';
    expect(await profileTabs.saveTab(tab.id)).toBe(true);
    expect(fake.profiles.views.get(view.id)?.origin).toBe('https://app.test');

    tab.draft.origin = 'https://mine.test';
    fake.profiles.touch(view.id, { url: 'wss://theirs.test/' });
    expect(await profileTabs.saveTab(tab.id)).toBe(false);
    expect(tab.profile?.conflict).toContain('changed elsewhere');
    expect(await profileTabs.overwriteTab(tab.id)).toBe(true);
    expect(fake.profiles.views.get(view.id)?.origin).toBe('https://mine.test');
    expect(tab.profile?.conflict).toBeNull();
  });

  it('a tab without changes follows an edit made in the editor', async () => {
    const view = seed({ name: 'gw' });
    const editorStore = useProfileEditorStore();
    const profileTabs = useProfileTabsStore();
    const tab = await profileTabs.openInTab(view.id);
    await editorStore.startEdit(view.id);
    if (!editorStore.editor || !tab) throw new Error('setup');
    editorStore.editor.draft.form.url = 'wss://edited.test/';
    editorStore.editor.draft.name = 'gw renamed';
    await editorStore.saveEditor();
    expect(tab.draft.url).toBe('wss://edited.test/');
    expect(tab.profile?.name).toBe('gw renamed');
  });
});
