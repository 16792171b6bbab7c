/**
 * What the profiles UI tells the user beside the list: the toast (saved, deleted with Undo,
 * failures), and the profile store's status (where it is, how well secrets are protected,
 * damaged files set aside, a file from a newer version), with its notices until dismissed.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ProfileStatus } from '../../../src-main/shared/profiles';
import { getBridge } from '../bridge/active-bridge';
import { errorText } from '../profiles/profile-command-errors';

/** How long a deleted profile can be brought back from the toast. */
export const UNDO_MS = 10_000;
/** How long other toasts stay. */
export const TOAST_MS = 5000;

export interface ProfileToast {
  id: number;
  message: string;
  tone: 'ok' | 'info' | 'warn' | 'error';
  /** A deleted profile's undo token: the toast offers "Undo". */
  undoToken?: string;
}

export const useProfileNoticesStore = defineStore('profile-notices', () => {
  const toast = ref<ProfileToast | null>(null);
  const status = ref<ProfileStatus | null>(null);
  const statusError = ref<string | null>(null);
  const noticeDismissed = ref(false);
  /** False when the host keeps no profiles (FORBIDDEN). */
  const available = ref(true);
  let toastTimer: ReturnType<typeof setTimeout> | undefined;
  let toastCounter = 0;

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

  async function refreshStatus(): Promise<void> {
    const result = await getBridge()['profiles:status']({});
    if (!result.ok && result.error.code === 'FORBIDDEN') {
      available.value = false;
      return;
    }
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

  return { toast, available, status, statusError, weakProtection, storeNotices, setAsideFiles, storeDamaged, readOnlyReason, showToast, dismissToast, refreshStatus, dismissNotices };
});
