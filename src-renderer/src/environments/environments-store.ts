/**
 * Environments in the UI: the saved list (environments:list), which one each tab uses, and
 * the editor's saves and deletes. Values of secret variables never reach the renderer (the
 * list says set / not set); a typed one goes straight to the engine. The engine fills the
 * `{{name}}`s in when the tab connects (session:open `variables`), so every host does the same.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { EnvironmentInputDraft, EnvironmentView } from '../../../src-main/shared/environments';
import { getBridge } from '../bridge/active-bridge';
import { profileEnvironment } from './profile-environment';

export const useEnvironmentsStore = defineStore('environments', () => {
  const environments = ref<EnvironmentView[]>([]);
  const loaded = ref(false);
  const loadError = ref<string | null>(null);
  /** The environment each tab uses (tab id → environment id); absent: none. */
  const chosen = ref<Record<string, string>>({});
  /** The editor is open (on this environment id, or on the first). */
  const editorOpen = ref(false);
  const editorFocus = ref<string | null>(null);

  async function load(): Promise<void> {
    const result = await getBridge()['environments:list']({});
    if (!result.ok) {
      loadError.value = result.error.message;
      return;
    }
    loadError.value = null;
    environments.value = result.value.environments;
    loaded.value = true;
    // A tab whose environment was deleted (here or in another window) uses none.
    for (const [tabId, id] of Object.entries(chosen.value)) if (!environments.value.some((e) => e.id === id)) choose(tabId, null);
  }

  function chosenFor(tabId: string): EnvironmentView | null {
    const id = chosen.value[tabId];
    return id === undefined ? null : (environments.value.find((e) => e.id === id) ?? null);
  }

  function choose(tabId: string, environmentId: string | null): void {
    const next = { ...chosen.value };
    if (environmentId === null) delete next[tabId];
    else next[tabId] = environmentId;
    chosen.value = next;
  }

  /**
   * A tab opened from a profile uses the profile's environment: 'chosen', 'none' (the profile
   * has none), 'deleted' (it names one deleted since: the tab uses none) or 'unreadable'.
   */
  async function chooseProfileEnvironment(tabId: string, environmentId: string | undefined): Promise<'chosen' | 'none' | 'deleted' | 'unreadable'> {
    if (environmentId === undefined) return 'none';
    if (!loaded.value) await load();
    if (!loaded.value) return 'unreadable';
    const found = profileEnvironment(environmentId, environments.value);
    choose(tabId, found.kind === 'found' ? found.environment.id : null);
    return found.kind === 'found' ? 'chosen' : 'deleted';
  }

  /** What session:open adds for the tab: its environment, if it has one. */
  function openArg(tabId: string): { variables?: { environmentId: string } } {
    const environment = chosenFor(tabId);
    return environment ? { variables: { environmentId: environment.id } } : {};
  }

  /** Saves (creates or updates) one environment; the error message when refused. */
  async function save(input: EnvironmentInputDraft, expectedRevision?: number): Promise<{ ok: true; environment: EnvironmentView } | { ok: false; message: string; path?: string }> {
    const result = await getBridge()['environments:save']({ environment: input, ...(expectedRevision !== undefined ? { expectedRevision } : {}) });
    if (!result.ok) return { ok: false, message: result.error.message, ...('path' in result.error && result.error.path !== undefined ? { path: result.error.path } : {}) };
    await load();
    return { ok: true, environment: result.value };
  }

  async function remove(id: string): Promise<string | null> {
    const result = await getBridge()['environments:delete']({ id });
    if (!result.ok) return result.error.message;
    await load();
    return null;
  }

  function openEditor(focusId: string | null = null): void {
    editorFocus.value = focusId;
    editorOpen.value = true;
    void load();
  }

  const names = computed(() => environments.value.map((e) => e.name));

  return { environments, loaded, loadError, chosen, editorOpen, editorFocus, names, load, chosenFor, choose, chooseProfileEnvironment, openArg, save, remove, openEditor };
});
