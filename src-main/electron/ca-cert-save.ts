/**
 * The desktop app's CA download (`intercept-proxy:ca-save`): the main process asks where to
 * save (its own save dialog) and writes the certificate there; the page hears where it went.
 */
import type { CommandResult } from '../shared/commands';
import { fail, ok, type Result } from '../shared/result';
import { writeOutputFile } from '../core';

export interface CaCertSaveDeps<W> {
  /** The engine's CA certificate (in process). */
  caCert(): Promise<Result<CommandResult<'intercept-proxy:ca-cert'>>>;
  /** The save dialog for `window`, proposing `fileName`; undefined when the user closed it. */
  chooseFile(window: W, fileName: string): Promise<string | undefined>;
  /** Writes the file (default: replacing what the dialog agreed to replace, never through a link; 0644, a certificate is public). */
  write?(file: string, text: string): Promise<void>;
}

export type CaCertSaver<W> = (window: W) => Promise<Result<CommandResult<'intercept-proxy:ca-save'>>>;

export function caCertSaver<W>(deps: CaCertSaveDeps<W>): CaCertSaver<W> {
  const write = deps.write ?? ((file: string, text: string) => writeOutputFile(file, text, { replace: true, mode: 0o644 }));
  return async (window) => {
    // The certificate first: a CA that cannot be opened is said before a dialog asks where to put it.
    const cert = await deps.caCert();
    if (!cert.ok) return cert;
    const file = await deps.chooseFile(window, cert.value.fileName);
    if (file === undefined) return ok({ canceled: true });
    try {
      await write(file, cert.value.pem);
    } catch (error) {
      return fail('STORAGE_ERROR', `intercept-proxy:ca-save: the certificate was not saved to ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return ok({ savedTo: file });
  };
}
