/**
 * The saved profiles as a list: loading it, the search over it, the selection, and what is
 * done to a profile from the list (duplicate, rename, delete with Undo). Every profile saved or
 * fetched anywhere goes through `remember`, so the list is the one copy; tabs opened from a
 * profile follow its changes (profile-tabs-store.ts).
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Result } from '../../../src-main/shared/result';
import type { ProfileInputDraft, ProfileView } from '../../../src-main/shared/profiles';
import { getBridge } from '../bridge/active-bridge';
import { problemFromError } from '../connection-form/profile-editor-draft';
import { errorPath, errorText, isConflict } from '../profiles/profile-command-errors';
import { useProfileEditorStore } from './profile-editor-store';
import { useProfileNoticesStore } from './profile-notices-store';
import { useProfileTabsStore } from './profile-tabs-store';

function byName(a: ProfileView, b: ProfileView): number {
  return a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true });
}

export const useProfileListStore = defineStore('profile-list', () => {
  const notices = useProfileNoticesStore();

  const profiles = ref<ProfileView[]>([]);
  const listRevision = ref(-1);
  const loaded = ref(false);
  const loadError = ref<string | null>(null);
  const query = ref('');
  const selectedId = ref<string | null>(null);

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

  function byId(id: string): ProfileView | undefined {
    return profiles.value.find((p) => p.id === id);
  }

  /** Reads the list (and, the first time, the store's status). */
  async function load(): Promise<void> {
    const first = !loaded.value;
    const [list] = await Promise.all([getBridge()['profiles:list']({}), first ? notices.refreshStatus() : Promise.resolve()]);
    loaded.value = true;
    if (!list.ok && list.error.code === 'FORBIDDEN') {
      notices.available = false;
      return;
    }
    if (!list.ok) {
      loadError.value = errorText(list.error);
      return;
    }
    loadError.value = null;
    notices.available = true;
    listRevision.value = list.value.revision;
    profiles.value = list.value.profiles;
    if (selectedId.value !== null && !byId(selectedId.value)) selectedId.value = null;
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

  /** Fetches one profile (into the list); one the engine no longer has leaves the list. */
  async function fetchProfile(id: string): Promise<Result<ProfileView>> {
    const result = await getBridge()['profiles:get']({ id });
    if (result.ok) remember(result.value);
    else if (result.error.code === 'UNKNOWN_PROFILE') {
      profiles.value = profiles.value.filter((p) => p.id !== id);
    }
    return result;
  }

  /** Saves a profile input (an update names the revision it is based on). */
  async function saveInput(input: ProfileInputDraft, expectedRevision: number | undefined): Promise<Result<ProfileView>> {
    const result = await getBridge()['profiles:save']({ profile: input, ...(expectedRevision !== undefined ? { expectedRevision } : {}) });
    if (result.ok) remember(result.value);
    return result;
  }

  async function duplicate(id: string): Promise<ProfileView | null> {
    const result = await getBridge()['profiles:duplicate']({ id });
    if (!result.ok) {
      notices.showToast(`Not duplicated: ${errorText(result.error)}`, 'error');
      return null;
    }
    remember(result.value);
    selectedId.value = result.value.id;
    notices.showToast(`Duplicated as “${result.value.name}”.`);
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
    useProfileTabsStore().syncTabs(result.value, true);
    return null;
  }

  /** Deletes, with an "Undo" toast for UNDO_MS. */
  async function remove(id: string): Promise<boolean> {
    const current = byId(id);
    const result = await getBridge()['profiles:delete']({ id, ...(current ? { expectedRevision: current.revision } : {}) });
    if (!result.ok) {
      if (isConflict(result.error)) await load();
      notices.showToast(`Not deleted: ${errorText(result.error)}`, 'error');
      return false;
    }
    profiles.value = profiles.value.filter((p) => p.id !== id);
    if (selectedId.value === id) selectedId.value = null;
    useProfileEditorStore().forget(id);
    notices.showToast(`Deleted “${result.value.profile.name}”.`, 'info', result.value.undoToken);
    return true;
  }

  async function undoDelete(): Promise<boolean> {
    const token = notices.toast?.undoToken;
    if (token === undefined) return false;
    notices.dismissToast();
    const result = await getBridge()['profiles:restore']({ undoToken: token });
    if (!result.ok) {
      notices.showToast(`Could not undo: ${errorText(result.error)}`, 'error');
      return false;
    }
    remember(result.value);
    selectedId.value = result.value.id;
    useProfileTabsStore().syncTabs(result.value);
    notices.showToast(`Restored “${result.value.name}”.`);
    return true;
  }

  return { profiles, listRevision, loaded, loadError, query, selectedId, selected, filtered, byId, load, remember, select, fetchProfile, saveInput, duplicate, rename, remove, undoDelete };
});
