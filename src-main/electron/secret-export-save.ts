/**
 * The desktop app's export with secrets: the main process asks where to save (its own save
 * dialog, which the page cannot fill in or skip), gets the export from the engine and writes
 * the file itself, 0600. The page only learns where it went: the secrets never cross IPC.
 */
import type { CommandArg } from '../shared/commands';
import type { ProfileExportResult } from '../shared/profiles';
import { fail, ok, type Result } from '../shared/result';
import { writeOutputFile } from '../core';

export const SECRET_EXPORT_FILE_NAME = 'tunnelscope-profiles-with-secrets.json';

export interface SecretExportDeps<W> {
  /** The engine's export (in-process: the page's IPC gate is not in the way). */
  exportProfiles(arg: CommandArg<'profiles:export'>): Promise<Result<ProfileExportResult>>;
  /** The save dialog for `window`; undefined when the user closed it. */
  chooseFile(window: W): Promise<string | undefined>;
  /** Writes the file (default: private, replacing what the dialog agreed to replace, never through a link). */
  write?(file: string, text: string): Promise<void>;
}

export type SecretExportSaver<W> = (arg: CommandArg<'profiles:export'>, window: W) => Promise<Result<ProfileExportResult>>;

export function secretExportSaver<W>(deps: SecretExportDeps<W>): SecretExportSaver<W> {
  const write = deps.write ?? ((file: string, text: string) => writeOutputFile(file, text, { replace: true, mode: 0o600 }));
  return async (arg, window) => {
    // The dialog first: nothing is decrypted unless the user picks a file.
    const file = await deps.chooseFile(window);
    if (file === undefined) return ok({ text: '', count: 0, containsSecrets: false, warnings: [], canceled: true });
    const exported = await deps.exportProfiles({ ...(arg.ids ? { ids: arg.ids } : {}), includeSecrets: true });
    if (!exported.ok) return exported;
    try {
      await write(file, exported.value.text);
    } catch (error) {
      return fail('STORAGE_ERROR', `the export was not saved to ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const { count, containsSecrets, warnings } = exported.value;
    return ok({ text: '', count, containsSecrets, warnings, savedTo: file });
  };
}
