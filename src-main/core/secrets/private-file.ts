/**
 * Files that only their owner may read (0600 on POSIX): the profiles and the key file. Windows
 * has no mode bits to check (a user's AppData is already private), so the checks are POSIX-only.
 */
import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

export function checksModes(platform: NodeJS.Platform = process.platform): boolean {
  return platform !== 'win32';
}

/** The `code` of a Node error (`ENOENT`), or '' for anything else. */
export function errnoCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : '';
}

export function describeError(error: unknown): string {
  const code = errnoCode(error);
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder, not a file';
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'EROFS') return 'the file system is read-only';
  return error instanceof Error ? error.message : String(error);
}

/** Creates the data folder (private) when it is missing; an existing folder is left as it is. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/**
 * Makes `file` private when others may read or write it. Returns what was done, in words, or
 * undefined when the file was already private (or the platform has no modes).
 */
export function fixWidePermissions(file: string, platform: NodeJS.Platform = process.platform): string | undefined {
  if (!checksModes(platform)) return undefined;
  let mode: number;
  try {
    mode = fs.statSync(file).mode & 0o777;
  } catch {
    return undefined;
  }
  if ((mode & 0o077) === 0) return undefined;
  const name = path.basename(file);
  const was = mode.toString(8).padStart(4, '0');
  try {
    fs.chmodSync(file, PRIVATE_FILE_MODE);
    return `${name} could be read by other users (mode ${was}); it was changed to 0600 (only you).`;
  } catch (error) {
    return `${name} can be read by other users (mode ${was}) and could not be changed to 0600: ${describeError(error)}.`;
  }
}

/** `2024-05-01T12-30-00-123Z`: a timestamp that is safe in a file name on every OS. */
function fileTimestamp(at: number): string {
  return new Date(at).toISOString().replace(/[:.]/g, '-');
}

/**
 * Moves `file` aside to `<file>.<label>-<timestamp>` (never over an existing file) and returns
 * the new path.
 */
export function moveAside(file: string, label: string, at: number): string {
  const base = `${file}.${label}-${fileTimestamp(at)}`;
  let target = base;
  for (let n = 2; fs.existsSync(target); n++) target = `${base}-${n}`;
  fs.renameSync(file, target);
  return target;
}
