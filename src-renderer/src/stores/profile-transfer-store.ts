/**
 * Profiles in and out of files: an import (all or nothing, every problem listed at its place)
 * and an export (one profile or all; secrets in only after a warning, and in the web host only
 * with the one-time code the host printed).
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ProfileView, TransferProblem } from '../../../src-main/shared/profiles';
import { getBridge } from '../bridge/active-bridge';
import { errorPath, errorText } from '../profiles/profile-command-errors';
import { fileNameFor, saveTextFile } from '../util/save-text-file';
import { useProfileListStore } from './profile-list-store';
import { useProfileNoticesStore } from './profile-notices-store';

/** The contract's cap on an import's text; the engine itself refuses files over MAX_PROFILES_FILE_BYTES with a problem. */
export const MAX_IMPORT_FILE_BYTES = 64 * 1024 * 1024;

/** The largest profiles file the engine imports (core's MAX_IMPORT_BYTES, which the renderer cannot import): 5 MiB. */
export const MAX_PROFILES_FILE_BYTES = 5 * 1024 * 1024;

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

function holdsSecret(view: ProfileView): boolean {
  return view.proxy.password.set || view.tls.passphrase.set || view.headers.some((h) => h.secret && h.value.set);
}

export const useProfileTransferStore = defineStore('profile-transfer', () => {
  const list = useProfileListStore();
  const notices = useProfileNoticesStore();
  const importReport = ref<ImportReport | null>(null);
  const exportRequest = ref<ExportRequest | null>(null);

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
    await list.load();
    if (warnings.length > 0) {
      importReport.value = { fileName, ok: true, problems: [], warnings, imported: imported.map((entry) => entry.name) };
    } else {
      importReport.value = null;
      notices.showToast(`Imported ${imported.length} profile${imported.length === 1 ? '' : 's'} from ${fileName}.`);
    }
    const first = imported[0];
    if (first) list.select(first.id);
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
    const chosen = id === null ? list.profiles : list.profiles.filter((p) => p.id === id);
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
      notices.showToast(`Exported ${saved} to ${result.value.savedTo}${result.value.containsSecrets ? ' — with secrets in clear text: keep it private' : ''}.`, 'warn');
      return true;
    }
    const name = result.value.containsSecrets ? request.fileName.replace(/\.json$/, '.with-secrets.json') : request.fileName;
    saveTextFile(name, result.value.text);
    exportRequest.value = null;
    const count = `${result.value.count} profile${result.value.count === 1 ? '' : 's'}`;
    const more = result.value.warnings.filter((w) => !result.value.containsSecrets || !/in clear text/.test(w));
    notices.showToast(
      `Exported ${count} to ${name}${result.value.containsSecrets ? ' — with secrets in clear text: keep it private' : ', secrets left out'}.${more.length > 0 ? ` ${more.join(' ')}` : ''}`,
      result.value.containsSecrets || more.length > 0 ? 'warn' : 'ok',
    );
    return true;
  }

  return { importReport, exportRequest, importText, reportUnreadableImport, closeImportReport, requestExport, cancelExport, confirmExport };
});
