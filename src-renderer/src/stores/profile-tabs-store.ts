/**
 * Session tabs opened from a profile (or saved as one): open a profile in a tab, save the
 * tab's form into its profile or as a new one, resolve a conflict (overwrite or reload), and
 * follow a profile saved elsewhere. The form and the link live on the tab (profile-draft.ts).
 */
import { defineStore } from 'pinia';
import type { ProfileView } from '../../../src-main/shared/profiles';
import { draftDiffers, draftFromProfile, linkFor, profileInputFromDraft } from '../connection-form/profile-draft';
import { problemFromError } from '../connection-form/profile-editor-draft';
import { errorPath, errorText, isConflict } from '../profiles/profile-command-errors';
import { DELETED_ENVIRONMENT_NOTE } from '../environments/profile-environment';
import { useEnvironmentsStore } from '../environments/environments-store';
import { useProfileListStore } from './profile-list-store';
import { useProfileNoticesStore } from './profile-notices-store';
import { useTabsStore, type Tab } from './tabs-store';
import { useDecodingStore } from './decoding-store';
import type { ProfileInputDraft } from '../../../src-main/shared/profiles';

export const useProfileTabsStore = defineStore('profile-tabs', () => {
  const tabStore = useTabsStore();
  const list = useProfileListStore();
  const notices = useProfileNoticesStore();

  function tabOf(tabId: string): Tab | undefined {
    return tabStore.tabs.find((t) => t.id === tabId);
  }

  /** Opens the profile in a new session tab (the form made from it; secrets stay in the engine). */
  async function openInTab(id: string): Promise<Tab | null> {
    const result = await list.fetchProfile(id);
    if (!result.ok) {
      notices.showToast(`Cannot open the profile: ${errorText(result.error)}`, 'error');
      return null;
    }
    list.select(id);
    const tab = tabStore.newTab(draftFromProfile(result.value), linkFor(result.value));
    // The tab decodes as the profile says (auto when it says nothing).
    void useDecodingStore().choose(tab.id, null, result.value.decode ?? 'auto');
    // With its Protocol Buffers schema, when it keeps one (sent to the engine when the tab connects).
    const protobuf = result.value.decodeProtobuf;
    if (result.value.decode === 'protobuf' && protobuf) void useDecodingStore().chooseProtobuf(tab.id, null, protobuf);
    // The tab uses the profile's environment (one deleted since: none, and a note says so).
    const environment = await useEnvironmentsStore().chooseProfileEnvironment(tab.id, result.value.environmentId);
    if (environment === 'deleted') notices.showToast(DELETED_ENVIRONMENT_NOTE, 'warn');
    else if (environment === 'unreadable') notices.showToast("Cannot read the saved environments: the tab uses none (choose one under Environment).", 'warn');
    return tab;
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
    for (const tab of tabStore.tabs) {
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

  /** The input with the tab's decode choice (auto is the default: left out) and its Protocol Buffers schema. */
  function withTabDecode(tabId: string, input: ProfileInputDraft): ProfileInputDraft {
    const { decode: _profile, decodeProtobuf: _schema, ...rest } = input;
    const choice = useDecodingStore().choiceOf(tabId);
    const protobuf = choice === 'protobuf' ? useDecodingStore().protobufOf(tabId) : undefined;
    return choice === 'auto' ? rest : { ...rest, decode: choice, ...(protobuf ? { decodeProtobuf: protobuf } : {}) };
  }

  /** Saves the tab's form as a new profile and ties the tab to it. Returns the problem, or null. */
  async function saveTabAsProfile(tabId: string, name: string): Promise<string | null> {
    const tab = tabOf(tabId);
    if (!tab) return 'the tab is gone';
    if (name.trim() === '') return 'a profile needs a name';
    const result = await list.saveInput(withTabDecode(tabId, profileInputFromDraft(tab.draft, null, name)), undefined);
    if (!result.ok) return problemFromError(result.error.message, errorPath(result.error)).message;
    relinkTab(tab, result.value);
    notices.showToast(`Saved as profile “${result.value.name}”.`);
    return null;
  }

  /** Saves the tab's form into its profile (based on the revision it was opened with). */
  async function saveTab(tabId: string): Promise<boolean> {
    const tab = tabOf(tabId);
    const link = tab?.profile;
    if (!tab || !link) return false;
    const result = await list.saveInput(withTabDecode(tabId, profileInputFromDraft(tab.draft, link.view, link.name)), link.revision);
    if (!result.ok) {
      if (isConflict(result.error)) link.conflict = errorText(result.error);
      else notices.showToast(`Not saved: ${errorText(result.error)}`, 'error');
      return false;
    }
    relinkTab(tab, result.value);
    syncTabs(result.value);
    notices.showToast(`Saved “${result.value.name}”.`);
    return true;
  }

  /** After a conflict: saves the tab's form over whatever the profile is now. */
  async function overwriteTab(tabId: string): Promise<boolean> {
    const tab = tabOf(tabId);
    const link = tab?.profile;
    if (!tab || !link) return false;
    const latest = await list.fetchProfile(link.id);
    if (!latest.ok) {
      notices.showToast(`Not saved: ${errorText(latest.error)}`, 'error');
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
    const latest = await list.fetchProfile(link.id);
    if (!latest.ok) {
      notices.showToast(`Cannot reload the profile: ${errorText(latest.error)}`, 'error');
      return false;
    }
    relinkTab(tab, latest.value);
    return true;
  }

  function dismissTabConflict(tabId: string): void {
    const link = tabOf(tabId)?.profile;
    if (link) link.conflict = null;
  }

  return { openInTab, tabDirty, syncTabs, saveTabAsProfile, saveTab, overwriteTab, reloadTab, dismissTabConflict };
});
