/**
 * `connect --export <file>`: write the session's log when it ends. The format comes from the
 * file's extension (.ndjson or .jsonl: NDJSON; .har: HAR 1.2 with Chrome's WebSocket messages),
 * the folder must exist, and the path must not be a folder or a symbolic link: all checked
 * before connecting. An existing file is replaced at the end (temporary file, then rename).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LogFormat } from '../shared/log-file';
import { UsageError } from './usage-error';
import { outputProblem } from '../core';

export interface ExportTarget {
  path: string;
  format: LogFormat;
}

export function parseExportFlag(value: string | undefined): { exportLog?: ExportTarget } {
  if (value === undefined) return {};
  if (value.trim() === '') throw new UsageError('--export needs a file name ending in .ndjson or .har', 'connect');
  const extension = path.extname(value).toLowerCase();
  const format: LogFormat | undefined = extension === '.har' ? 'har' : extension === '.ndjson' || extension === '.jsonl' ? 'ndjson' : undefined;
  if (!format) {
    throw new UsageError(`--export: "${value}" must end in .ndjson (one JSON object per frame) or .har (HAR 1.2, opens in Chrome DevTools)`, 'connect');
  }
  const target = path.resolve(value);
  const folder = path.dirname(target);
  let isFolder = false;
  try {
    isFolder = fs.statSync(folder).isDirectory();
  } catch {
    isFolder = false;
  }
  if (!isFolder) throw new UsageError(`--export: the folder ${folder} does not exist`, 'connect');
  // Said before connecting, not after the session: a folder or a link there is never written.
  const problem = outputProblem(target, true);
  if (problem) throw new UsageError(`--export: ${problem.message}`, 'connect');
  return { exportLog: { path: target, format } };
}
