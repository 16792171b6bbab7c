/**
 * The profile editor: a copy of a profile (or a new one) in the connection form every tab
 * uses, plus its name and saved messages (profile-editor-draft.ts), with an "unsaved changes"
 * flag, problems at their fields, and a save that names the revision it is based on (a
 * conflict offers reload or overwrite). Secrets are only "set"; typed ones go to the engine.
 */
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { ProfileView } from '../../../src-main/shared/profiles';
import { getBridge } from '../bridge/active-bridge';
import {
  checkEditorDraft,
  editorDraftFromView,
  editorFingerprint,
  emptyEditorDraft,
  problemFromError,
  type EditorDraft,
  type EditorProblems,
} from '../connection-form/profile-editor-draft';
import { errorPath, errorText, isConflict } from '../profiles/profile-command-errors';
import { useProfileListStore } from './profile-list-store';
import { useProfileNoticesStore } from './profile-notices-store';
import { useProfileTabsStore } from './profile-tabs-store';

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

export const useProfileEditorStore = defineStore('profile-editor', () => {
  const list = useProfileListStore();
  const notices = useProfileNoticesStore();
  const editor = ref<EditorState | null>(null);
  const editorDirty = computed(() => (editor.value ? editorFingerprint(editor.value.draft) !== editor.value.savedPrint : false));

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
    const result = await list.fetchProfile(id);
    if (!result.ok) {
      notices.showToast(`Cannot edit the profile: ${errorText(result.error)}`, 'error');
      return;
    }
    list.select(id);
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
    const result = await list.saveInput(input, expected);
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
    list.select(view.id);
    useProfileTabsStore().syncTabs(view);
    notices.showToast(`Saved “${view.name}”.`);
    return true;
  }

  /** After a conflict: takes the profile as it is now, dropping the editor's changes. */
  async function reloadEditor(): Promise<void> {
    const state = editor.value;
    if (!state?.id) return;
    const result = await list.fetchProfile(state.id);
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

  /** A deleted profile: its editor closes. */
  function forget(id: string): void {
    if (editor.value?.id === id) editor.value = null;
  }

  return { editor, editorDirty, startCreate, startEdit, closeEditor, keepEditing, saveEditor, reloadEditor, overwriteEditor, forget };
});
