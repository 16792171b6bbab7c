/**
 * `connect --export <file>`: write the session's log when it ends. The format comes from the
 * file's extension (.ndjson or .jsonl: NDJSON; .har: HAR 1.2 with Chrome's WebSocket messages),
 * the folder must exist, and the path must not be a folder or a symbolic link: all checked
 * before connecting. An existing file is replaced at the end (temporary file, then rename).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LogFormat } from '../shared/log-file';
import type { ExportDecoding } from '../shared/export-decoding';
import type { LoggedDecode } from '../shared/log-decode';
import { UsageError } from './usage-error';
import { outputProblem } from '../core';
import { isProtobufSpec, protobufSpec } from './decode-flag';

export interface ExportTarget {
  path: string;
  format: LogFormat;
  /** --export-decoded: each frame also gets its decoding, as --decode chose. */
  decoded?: ExportDecoding;
  /** --decode as given, recorded in the file so an import decodes the same way (a profile's: connect-command.ts). */
  decode?: LoggedDecode;
}

/** What the file records of --decode: the choice; for Protocol Buffers the schema file's name (not its path) and the type. */
export function loggedDecodeOf(rawDecode: string): LoggedDecode {
  if (!isProtobufSpec(rawDecode)) return { choice: rawDecode.trim().toLowerCase() };
  const { file, type } = protobufSpec(rawDecode);
  return { choice: 'protobuf', protobuf: { schema: path.basename(file), type } };
}

/** --export-decoded: the export decodes as --decode does (auto unless given; none refused). */
function exportDecoding(rawDecode: string | undefined): ExportDecoding {
  if (rawDecode === undefined) return { choice: 'auto' };
  if (isProtobufSpec(rawDecode)) return { choice: 'protobuf', protobuf: protobufSpec(rawDecode) };
  const choice = rawDecode.trim().toLowerCase();
  if (choice === 'none') throw new UsageError('--export-decoded cannot be combined with --decode none (nothing would be decoded)', 'connect');
  return { choice };
}

/** `--export <file>` and `--export-decoded` (which needs --export); `rawDecode` is --decode as given. */
export function parseExportFlag(value: string | undefined, decoded = false, rawDecode?: string): { exportLog?: ExportTarget } {
  if (value === undefined) {
    if (decoded) throw new UsageError('--export-decoded goes with --export <file>', 'connect');
    return {};
  }
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
  return {
    exportLog: {
      path: target,
      format,
      ...(decoded ? { decoded: exportDecoding(rawDecode) } : {}),
      ...(rawDecode !== undefined ? { decode: loggedDecodeOf(rawDecode) } : {}),
    },
  };
}
