/**
 * Connection profiles in the UI: the list with its search, the editor (a copy of a profile
 * with an "unsaved changes" flag), save with conflict handling, duplicate, rename, delete with
 * undo, import and export, the store's status (where, how well secrets are protected, files
 * set aside), and the tabs opened from profiles (open, save, save as, discard). The renderer
 * only ever sees whether a secret is set; typed replacements go straight to the engine.
 */
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { CommandError, Result } from '../../../src-main/shared/result';
import type { NetError } from '../../../src-main/shared/errors';
import type { ProfileInputDraft, ProfileStatus, ProfileView, TransferProblem } from '../../../src-main/shared/profiles';
import { getBridge } from '../bridge/active-bridge';
import { fileNameFor, saveTextFile } from '../util/save-text-file';
import { draftDiffers, draftFromProfile, linkFor, profileInputFromDraft } from '../connection-form/profile-draft';
import {
  checkEditorDraft,
  editorDraftFromView,
  editorFingerprint,
  emptyEditorDraft,
  problemFromError,
  type EditorDraft,
  type EditorProblems,
} from '../connection-form/profile-editor-draft';
import { useSessionsStore, type Tab } from './sessions-store';

/** How long a deleted profile can be brought back from the toast. */
export const UNDO_MS = 10_000;
/** How long other toasts stay. */
export const TOAST_MS = 5000;
/** The contract's cap on an import's text; the engine itself refuses files over 5 MB with a problem. */
export const MAX_IMPORT_FILE_BYTES = 64 * 1024 * 1024;

export interface ProfileToast {
  id: number;
  message: string;
  tone: 'ok' | 'info' | 'warn' | 'error';
  /** A deleted profile's undo token: the toast offers "Undo". */
  undoToken?: string;
}

export interface EditorState {
  /** The profile being edited, or null for a new one. */
  id: string | null;
  /** The revision the edit is based on (a save names it; CONFLICT when it is no longer current). */
  revision: number | null;
  draft: EditorDraft;
  /** editorFingerprint of the form as last loaded or saved. */
  savedPrint: string;
  problems: EditorProblems;
  /** A save found problems: from then on every edit checks the form again. */
  checkEachEdit: boolean;
  /** The CONFLICT message: the profile changed elsewhere (reload, or overwrite). */
  conflict: string | null;
  saving: boolean;
  /** Closing was asked with unsaved changes: the editor asks to confirm. */
  confirmDiscard: boolean;
}

export interface ImportReport {
  fileName: string;
  ok: boolean;
  problems: TransferProblem[];
  warnings: string[];
  imported: string[];
}

export interface ExportRequest {
  /** null: every profile. */
  ids: string[] | null;
  /** "prod gateway", or "all 12 profiles". */
  label: string;
  fileName: string;
  /** Whether some of the chosen profiles hold secrets (only then is "include secrets" offered). */
  hasSecrets: boolean;
  busy: boolean;
  error: string | null;
  /** The web host asked for the one-time code it printed in its terminal (export with secrets). */
  needsCode: boolean;
}

function errorText(error: CommandError | NetError): string {
  return error.message.replace(/^profiles:[a-z-]+: /, '');
}

function errorPath(error: CommandError | NetError): string | undefined {
  return 'path' in error && typeof error.path === 'string' ? error.path : undefined;
}

function isConflict(error: CommandError | NetError): boolean {
  return error.code === 'CONFLICT';
}

function holdsSecret(view: ProfileView): boolean {
  return view.proxy.password.set || view.tls.passphrase.set || view.headers.some((h) => h.secret && h.value.set);
}

function byName(a: ProfileView, b: ProfileView): number {
  return a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true });
}

export const useProfilesStore = defineStore('profiles', () => {
  const sessions = useSessionsStore();

  const profiles = ref<ProfileView[]>([]);
  const listRevision = ref(-1);
  const loaded = ref(false);
  /** False when the host keeps no profiles (FORBIDDEN). */
  const available = ref(true);
  const loadError = ref<string | null>(null);
  const query = ref('');
  const selectedId = ref<string | null>(null);
  const status = ref<ProfileStatus | null>(null);
  const statusError = ref<string | null>(null);
  const noticeDismissed = ref(false);
  const editor = ref<EditorState | null>(null);
  const toast = ref<ProfileToast | null>(null);
  const importReport = ref<ImportReport | null>(null);
  const exportRequest = ref<ExportRequest | null>(null);
  let toastTimer: ReturnType<typeof setTimeout> | undefined;
  let toastCounter = 0;

  const sorted = computed(() => [...profiles.value].sort(byName));
  /** The list as searched: every word must appear in the name or the URL. */
  const filtered = computed(() => {
    const words = query.value.trim().toLowerCase().split(/\s+/).filter((w) => w !== '');
    if (words.length === 0) return sorted.value;
    return sorted.value.filter((p) => {
      const text = `${p.name}\n${p.url}`.toLowerCase();
      return words.every((w) => text.includes(w));
    });
  });
  const selected = computed(() => profiles.value.find((p) => p.id === selectedId.value) ?? null);
  const editorDirty = computed(() => (editor.value ? editorFingerprint(editor.value.draft) !== editor.value.savedPrint : false));
  /** A key file, or no protection at all (basic_text): shown as a warning. */
  const weakProtection = computed(() => status.value !== null && status.value.protection !== 'os-store');
  /** Damaged files kept aside (and other store notices), until dismissed. */
  const storeNotices = computed(() => {
    if (!status.value || noticeDismissed.value) return [];
    return status.value.notices.filter((n) => n.kind === 'set-aside' || n.kind === 'salvaged' || n.kind === 'unusable' || n.kind === 'newer-version' || n.kind === 'key-file');
  });

  /**
   * Damaged profiles files set aside in an earlier run (still in the data folder), not named by
   * a notice of this run: said on every start while they are there, so an empty list is never
   * mistaken for "no profiles".
   */
  const setAsideFiles = computed(() => {
    if (!status.value || noticeDismissed.value) return [];
    const named = new Set(status.value.notices.map((n) => n.file));
    return status.value.setAsideFiles.filter((file) => !named.has(file));
  });
  /** Whether a damaged profiles file was set aside (whether or not the notice was dismissed). */
  const storeDamaged = computed(() => (status.value?.setAsideFiles.length ?? 0) > 0);

  /** Set when the file was written by a newer Tunnelscope (nothing is saved), until dismissed. */
  const readOnlyReason = computed(() => (noticeDismissed.value ? null : (status.value?.readOnly ?? null)));

  function byId(id: string): ProfileView | undefined {
    return profiles.value.find((p) => p.id === id);
  }

  // ---- toasts ------------------------------------------------------------------------------

  function showToast(message: string, tone: ProfileToast['tone'] = 'ok', undoToken?: string): void {
    clearTimeout(toastTimer);
    toastCounter += 1;
    toast.value = { id: toastCounter, message, tone, ...(undoToken !== undefined ? { undoToken } : {}) };
    const id = toastCounter;
    toastTimer = setTimeout(
      () => {
        if (toast.value?.id === id) toast.value = null;
      },
      undoToken !== undefined ? UNDO_MS : TOAST_MS,
    );
  }

  function dismissToast(): void {
    clearTimeout(toastTimer);
    toast.value = null;
  }

  // ---- list and status ---------------------------------------------------------------------

  function unavailable<T>(result: Result<T>): boolean {
    if (!result.ok && result.error.code === 'FORBIDDEN') {
      available.value = false;
      return true;
    }
    return false;
  }

  /** Reads the list (and, the first time, the store's status). */
  async function load(): Promise<void> {
    const first = !loaded.value;
    const [list] = await Promise.all([getBridge()['profiles:list']({}), first ? refreshStatus() : Promise.resolve()]);
    loaded.value = true;
    if (unavailable(list)) return;
    if (!list.ok) {
      loadError.value = errorText(list.error);
      return;
    }
    loadError.value = null;
    available.value = true;
    listRevision.value = list.value.revision;
    profiles.value = list.value.profiles;
    if (selectedId.value !== null && !byId(selectedId.value)) selectedId.value = null;
  }

  async function refreshStatus(): Promise<void> {
    const result = await getBridge()['profiles:status']({});
    if (unavailable(result)) return;
    if (result.ok) {
      status.value = result.value;
      statusError.value = null;
    } else {
      statusError.value = errorText(result.error);
    }
  }

  function dismissNotices(): void {
    noticeDismissed.value = true;
  }

  /** Puts a saved or fetched profile into the list. */
  function remember(view: ProfileView): void {
    const index = profiles.value.findIndex((p) => p.id === view.id);
    if (index >= 0) profiles.value.splice(index, 1, view);
    else profiles.value.push(view);
  }

  function select(id: string | null): void {
    selectedId.value = id;
  }

  async function fetchProfile(id: string): Promise<Result<ProfileView>> {
    const result = await getBridge()['profiles:get']({ id });
    if (result.ok) remember(result.value);
    else if (result.error.code === 'UNKNOWN_PROFILE') {
      profiles.value = profiles.value.filter((p) => p.id !== id);
    }
    return result;
  }

  // ---- tabs opened from profiles -------------------------------------------------------------

  function tabOf(tabId: string): Tab | undefined {
    return sessions.tabs.find((t) => t.id === tabId);
  }

  /** Opens the profile in a new session tab (the form made from it; secrets stay in the engine). */
  async function openInTab(id: string): Promise<Tab | null> {
    const result = await fetchProfile(id);
    if (!result.ok) {
      showToast(`Cannot open the profile: ${errorText(result.error)}`, 'error');
      return null;
    }
    selectedId.value = id;
    return sessions.newTab(draftFromProfile(result.value), linkFor(result.value));
  }

  /** Points the tab at a saved version of its profile and resets its form to it. */
  function relinkTab(tab: Tab, view: ProfileView): void {
    const compression = tab.draft.compression;
    Object.assign(tab.draft, draftFromProfile(view), { compression });
    tab.profile = linkFor(view);
  }

  /** Whether the tab's form differs from its profile. */
  function tabDirty(tabId: string): boolean {
    const tab = tabOf(tabId);
    return tab?.profile ? draftDiffers(tab.draft, tab.profile) : false;
  }

  /**
   * Follows a profile saved elsewhere (the editor, a rename, an undo): tabs without changes
   * take the new version; tabs with changes keep theirs (saving them will ask what to do).
   */
  function syncTabs(view: ProfileView, renamed = false): void {
    for (const tab of sessions.tabs) {
      const link = tab.profile;
      if (!link || link.id !== view.id) continue;
      if (!draftDiffers(tab.draft, link)) relinkTab(tab, view);
      else if (renamed && link.revision === view.revision - 1) {
        // A rename changed nothing the form holds: the tab's edit is still based on the current version.
        link.name = view.name;
        link.revision = view.revision;
        link.view = view;
      } else link.name = view.name;
    }
  }

  async function saveInput(input: ProfileInputDraft, expectedRevision: number | undefined): Promise<Result<ProfileView>> {
    const result = await getBridge()['profiles:save']({ profile: input, ...(expectedRevision !== undefined ? { expectedRevision } : {}) });
    if (result.ok) remember(result.value);
    return result;
  }

  /** Saves the tab's form as a new profile and ties the tab to it. Returns the problem, or null. */
  async function saveTabAsProfile(tabId: string, name: string): Promise<string | null> {
    const tab = tabOf(tabId);
    if (!tab) return 'the tab is gone';
    if (name.trim() === '') return 'a profile needs a name';
    const result = await saveInput(profileInputFromDraft(tab.draft, null, name), undefined);
    if (!result.ok) return problemFromError(result.error.message, errorPath(result.error)).message;
    relinkTab(tab, result.value);
    showToast(`Saved as profile “${result.value.name}”.`);
    return null;
  }

  /** Saves the tab's form into its profile (based on the revision it was opened with). */
  async function saveTab(tabId: string): Promise<boolean> {
    const tab = tabOf(tabId);
    const link = tab?.profile;
    if (!tab || !link) return false;
    const result = await saveInput(profileInputFromDraft(tab.draft, link.view, link.name), link.revision);
    if (!result.ok) {
      if (isConflict(result.error)) link.conflict = errorText(result.error);
      else showToast(`Not saved: ${errorText(result.error)}`, 'error');
      return false;
    }
    relinkTab(tab, result.value);
    syncTabs(result.value);
    showToast(`Saved “${result.value.name}”.`);
    return true;
  }

  /** After a conflict: saves the tab's form over whatever the profile is now. */
  async function overwriteTab(tabId: string): Promise<boolean> {
    const tab = tabOf(tabId);
    const link = tab?.profile;
    if (!tab || !link) return false;
    const latest = await fetchProfile(link.id);
    if (!latest.ok) {
      showToast(`Not saved: ${errorText(latest.error)}`, 'error');
      return false;
    }
    link.conflict = null;
    link.view = latest.value;
    link.revision = latest.value.revision;
    return saveTab(tabId);
  }

  /** Drops the tab's changes and takes the profile as it is saved now. */
  async function reloadTab(tabId: string): Promise<boolean> {
    const tab = tabOf(tabId);
    const link = tab?.profile;
    if (!tab || !link) return false;
    const latest = await fetchProfile(link.id);
    if (!latest.ok) {
      showToast(`Cannot reload the profile: ${errorText(latest.error)}`, 'error');
      return false;
    }
    relinkTab(tab, latest.value);
    return true;
  }

  function dismissTabConflict(tabId: string): void {
    const link = tabOf(tabId)?.profile;
    if (link) link.conflict = null;
  }

  // ---- the editor ----------------------------------------------------------------------------

  function openEditor(view: ProfileView | null, draft: EditorDraft): void {
    editor.value = {
      id: view?.id ?? null,
      revision: view?.revision ?? null,
      draft,
      savedPrint: view ? editorFingerprint(editorDraftFromView(view)) : editorFingerprint(emptyEditorDraft()),
      problems: {},
      checkEachEdit: false,
      conflict: null,
      saving: false,
      confirmDiscard: false,
    };
  }

  // Once a save has found problems, every edit checks the form again: a fixed field loses its
  // mark at once, and a new mistake gets one, instead of both waiting for the next save.
  watch(
    () => editor.value?.draft,
    () => {
      const state = editor.value;
      if (state?.checkEachEdit) state.problems = checkEditorDraft(state.draft).problems;
    },
    { deep: true },
  );

  function startCreate(): void {
    openEditor(null, emptyEditorDraft());
  }

  async function startEdit(id: string): Promise<void> {
    const result = await fetchProfile(id);
    if (!result.ok) {
      showToast(`Cannot edit the profile: ${errorText(result.error)}`, 'error');
      return;
    }
    selectedId.value = id;
    openEditor(result.value, editorDraftFromView(result.value));
  }

  /** Closes the editor; with unsaved changes only when `force` (else it asks first). */
  function closeEditor(force = false): boolean {
    if (!editor.value) return true;
    if (editorDirty.value && !force) {
      editor.value.confirmDiscard = true;
      return false;
    }
    editor.value = null;
    return true;
  }

  function keepEditing(): void {
    if (editor.value) editor.value.confirmDiscard = false;
  }

  async function saveEditor(expectedOverride?: number): Promise<boolean> {
    const state = editor.value;
    if (!state || state.saving) return false;
    const { input, problems } = checkEditorDraft(state.draft);
    state.problems = problems;
    if (Object.keys(problems).length > 0) {
      state.checkEachEdit = true;
      return false;
    }
    state.saving = true;
    const expected = state.id === null ? undefined : (expectedOverride ?? state.revision ?? undefined);
    const result = await saveInput(input, expected);
    state.saving = false;
    if (!result.ok) {
      if (isConflict(result.error)) {
        state.conflict = errorText(result.error);
      } else {
        const problem = problemFromError(result.error.message, errorPath(result.error));
        state.problems = { [problem.place]: problem.message };
      }
      return false;
    }
    const view = result.value;
    // Still the same editor (not closed or replaced meanwhile): it now edits the saved version.
    if (editor.value === state) {
      state.id = view.id;
      state.revision = view.revision;
      state.draft = editorDraftFromView(view);
      state.savedPrint = editorFingerprint(state.draft);
      state.conflict = null;
      state.problems = {};
    }
    selectedId.value = view.id;
    syncTabs(view);
    showToast(`Saved “${view.name}”.`);
    return true;
  }

  /** After a conflict: takes the profile as it is now, dropping the editor's changes. */
  async function reloadEditor(): Promise<void> {
    const state = editor.value;
    if (!state?.id) return;
    const result = await fetchProfile(state.id);
    if (!result.ok) {
      state.conflict = null;
      state.problems = { general: errorText(result.error) };
      return;
    }
    openEditor(result.value, editorDraftFromView(result.value));
  }

  /** After a conflict: saves the editor's version over the newer one. */
  async function overwriteEditor(): Promise<boolean> {
    const state = editor.value;
    if (!state?.id) return false;
    const result = await getBridge()['profiles:get']({ id: state.id });
    if (!result.ok) {
      state.conflict = null;
      state.problems = { general: errorText(result.error) };
      return false;
    }
    state.conflict = null;
    return saveEditor(result.value.revision);
  }

  // ---- list actions --------------------------------------------------------------------------

  async function duplicate(id: string): Promise<ProfileView | null> {
    const result = await getBridge()['profiles:duplicate']({ id });
    if (!result.ok) {
      showToast(`Not duplicated: ${errorText(result.error)}`, 'error');
      return null;
    }
    remember(result.value);
    selectedId.value = result.value.id;
    showToast(`Duplicated as “${result.value.name}”.`);
    return result.value;
  }

  /** Renames; returns the problem (a taken name …) or null. */
  async function rename(id: string, name: string): Promise<string | null> {
    const current = byId(id);
    if (current && current.name === name.trim()) return null;
    const result = await getBridge()['profiles:rename']({ id, name, ...(current ? { expectedRevision: current.revision } : {}) });
    if (!result.ok) {
      if (isConflict(result.error)) await load();
      return problemFromError(result.error.message, errorPath(result.error)).message;
    }
    remember(result.value);
    syncTabs(result.value, true);
    return null;
  }

  /** Deletes, with an "Undo" toast for UNDO_MS. */
  async function remove(id: string): Promise<boolean> {
    const current = byId(id);
    const result = await getBridge()['profiles:delete']({ id, ...(current ? { expectedRevision: current.revision } : {}) });
    if (!result.ok) {
      if (isConflict(result.error)) await load();
      showToast(`Not deleted: ${errorText(result.error)}`, 'error');
      return false;
    }
    profiles.value = profiles.value.filter((p) => p.id !== id);
    if (selectedId.value === id) selectedId.value = null;
    if (editor.value?.id === id) editor.value = null;
    showToast(`Deleted “${result.value.profile.name}”.`, 'info', result.value.undoToken);
    return true;
  }

  async function undoDelete(): Promise<boolean> {
    const token = toast.value?.undoToken;
    if (token === undefined) return false;
    dismissToast();
    const result = await getBridge()['profiles:restore']({ undoToken: token });
    if (!result.ok) {
      showToast(`Could not undo: ${errorText(result.error)}`, 'error');
      return false;
    }
    remember(result.value);
    selectedId.value = result.value.id;
    syncTabs(result.value);
    showToast(`Restored “${result.value.name}”.`);
    return true;
  }

  // ---- import and export ---------------------------------------------------------------------

  /** Imports a file's text: all or nothing; every problem is listed with its place. */
  async function importText(text: string, fileName: string): Promise<boolean> {
    const result = await getBridge()['profiles:import']({ text });
    if (!result.ok) {
      importReport.value = { fileName, ok: false, problems: [{ path: '', message: errorText(result.error) }], warnings: [], imported: [] };
      return false;
    }
    const { imported, problems, warnings } = result.value;
    if (problems.length > 0) {
      importReport.value = { fileName, ok: false, problems, warnings, imported: [] };
      return false;
    }
    await load();
    if (warnings.length > 0) {
      importReport.value = { fileName, ok: true, problems: [], warnings, imported: imported.map((entry) => entry.name) };
    } else {
      importReport.value = null;
      showToast(`Imported ${imported.length} profile${imported.length === 1 ? '' : 's'} from ${fileName}.`);
    }
    const first = imported[0];
    if (first) selectedId.value = first.id;
    return true;
  }

  /** A file too large to read (checked before reading it). */
  function reportUnreadableImport(fileName: string, message: string): void {
    importReport.value = { fileName, ok: false, problems: [{ path: '', message }], warnings: [], imported: [] };
  }

  function closeImportReport(): void {
    importReport.value = null;
  }

  /** Asks how to export (one profile, or all when `id` is null): secrets in or out. */
  function requestExport(id: string | null): void {
    const chosen = id === null ? profiles.value : profiles.value.filter((p) => p.id === id);
    const one = id === null ? undefined : chosen[0];
    exportRequest.value = {
      ids: id === null ? null : [id],
      label: one ? `“${one.name}”` : `all ${chosen.length} profile${chosen.length === 1 ? '' : 's'}`,
      fileName: one ? fileNameFor(one.name, '.tunnelscope.json') : 'tunnelscope-profiles.json',
      hasSecrets: chosen.some(holdsSecret),
      busy: false,
      error: null,
      needsCode: false,
    };
  }

  function cancelExport(): void {
    exportRequest.value = null;
  }

  /**
   * Exports as asked and hands the file to the browser. `includeSecrets` comes after the warning.
   * With secrets, the desktop app saves the file itself (the answer says where, without the
   * text) and the web host first asks for the code it printed in its terminal (`code`).
   */
  async function confirmExport(includeSecrets: boolean, code?: string): Promise<boolean> {
    const request = exportRequest.value;
    if (!request || request.busy) return false;
    request.busy = true;
    const confirmation = includeSecrets && code !== undefined && code.trim() !== '' ? { confirmationCode: code.trim() } : {};
    const result = await getBridge()['profiles:export']({ ...(request.ids ? { ids: request.ids } : {}), includeSecrets, ...confirmation });
    request.busy = false;
    if (!result.ok) {
      request.error = errorText(result.error);
      if (errorPath(result.error) === 'confirmationCode') request.needsCode = true;
      return false;
    }
    if (result.value.canceled === true) return false; // the save dialog was closed: the choice stays open
    if (result.value.savedTo !== undefined) {
      exportRequest.value = null;
      const saved = `${result.value.count} profile${result.value.count === 1 ? '' : 's'}`;
      showToast(`Exported ${saved} to ${result.value.savedTo}${result.value.containsSecrets ? ' — with secrets in clear text: keep it private' : ''}.`, 'warn');
      return true;
    }
    const name = result.value.containsSecrets ? request.fileName.replace(/\.json$/, '.with-secrets.json') : request.fileName;
    saveTextFile(name, result.value.text);
    exportRequest.value = null;
    const count = `${result.value.count} profile${result.value.count === 1 ? '' : 's'}`;
    const more = result.value.warnings.filter((w) => !result.value.containsSecrets || !/in clear text/.test(w));
    showToast(
      `Exported ${count} to ${name}${result.value.containsSecrets ? ' — with secrets in clear text: keep it private' : ', secrets left out'}.${more.length > 0 ? ` ${more.join(' ')}` : ''}`,
      result.value.containsSecrets || more.length > 0 ? 'warn' : 'ok',
    );
    return true;
  }

  return {
    profiles,
    listRevision,
    loaded,
    available,
    loadError,
    query,
    selectedId,
    selected,
    filtered,
    status,
    statusError,
    weakProtection,
    storeNotices,
    setAsideFiles,
    storeDamaged,
    readOnlyReason,
    editor,
    editorDirty,
    toast,
    importReport,
    exportRequest,
    byId,
    load,
    refreshStatus,
    dismissNotices,
    select,
    showToast,
    dismissToast,
    openInTab,
    tabDirty,
    saveTabAsProfile,
    saveTab,
    overwriteTab,
    reloadTab,
    dismissTabConflict,
    startCreate,
    startEdit,
    closeEditor,
    keepEditing,
    saveEditor,
    reloadEditor,
    overwriteEditor,
    duplicate,
    rename,
    remove,
    undoDelete,
    importText,
    reportUnreadableImport,
    closeImportReport,
    requestExport,
    cancelExport,
    confirmExport,
  };
});
