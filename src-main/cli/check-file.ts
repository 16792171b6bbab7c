/**
 * Checks, before connecting, that a file named on the command line can be read and looks like
 * what it should be, so a typo is a usage error (exit 2) and not a failed session.
 */
import fs from 'node:fs';
import { checkPemFile } from '../core';

export type PemKind = 'certificate' | 'key' | 'any';

/** A PAC file is a few KB; anything huge is a wrong path. */
const MAX_BYTES = 10 * 1024 * 1024;

/** Returns what is wrong with the file, or undefined when it is usable. */
export function checkReadableFile(file: string, kind: PemKind): string | undefined {
  if (kind !== 'any') {
    // The engine's own check, so the CLI refuses exactly what the engine would.
    const checked = checkPemFile(file, kind === 'key' ? 'private-key' : 'certificate');
    return checked.ok ? undefined : checked.message;
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    return `cannot read "${file}": ${describeFsError(error)}`;
  }
  if (stat.isDirectory()) return `"${file}" is a directory, not a file`;
  if (stat.size > MAX_BYTES) return `"${file}" is ${stat.size} bytes; that is too large for a PAC file`;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return `cannot read "${file}": ${describeFsError(error)}`;
  }
  if (text.trim() === '') return `"${file}" is empty`;
  return undefined;
}

/** A file system error in a few words (no such file, permission denied, …). */
export function describeFsError(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return code || (error instanceof Error ? error.message : String(error));
}
