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

/** A schema is rarely over a few MB (the app takes 1 MiB): past this the path is surely not one. */
export const MAX_SCHEMA_FILE_BYTES = 64 * 1024 * 1024;

/**
 * What is wrong with a Protocol Buffers schema file (`--decode protobuf:<file>#<Type>`) before
 * protobufjs reads it (it would say only EISDIR or EACCES), as the end of a sentence that starts
 * with the path: "is a directory, not a .proto or descriptor set file". Undefined when it can be
 * read; what is in it is for the schema's own loader to judge.
 */
export function schemaFileProblem(file: string): string | undefined {
  const wanted = 'a .proto or descriptor set file';
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    return cannotRead(error);
  }
  if (stat.isDirectory()) return `is a directory, not ${wanted}`;
  // A FIFO or a device would be read until it ends (never, for /dev/zero).
  if (!stat.isFile()) return `is not a regular file (a device, socket or pipe), not ${wanted}`;
  if (stat.size > MAX_SCHEMA_FILE_BYTES) return `is ${stat.size} bytes, too large for ${wanted} (at most ${MAX_SCHEMA_FILE_BYTES / 1024 / 1024} MiB)`;
  if (stat.size === 0) return `is empty, not ${wanted}`;
  // stat needs only the folder's permission: opening says whether the file itself can be read.
  try {
    fs.closeSync(fs.openSync(file, 'r'));
  } catch (error) {
    return cannotRead(error);
  }
  return undefined;
}

function cannotRead(error: unknown): string {
  const why = describeFsError(error);
  if (why === 'no such file') return 'does not exist';
  return `cannot be read: ${why}`;
}

/** A file system error in a few words (no such file, permission denied, …). */
export function describeFsError(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'ENOTDIR') return 'a folder on its path is a file';
  if (code === 'ELOOP') return 'too many symbolic links';
  return code || (error instanceof Error ? error.message : String(error));
}
