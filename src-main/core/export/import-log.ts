/**
 * Imports a log file's text: checks its size, picks the reader (the format given, or guessed:
 * a HAR file is one JSON document with `log`, anything else is read as NDJSON) and returns
 * the log, or every problem found.
 */
import type { LogFormat } from '../../shared/log-file';
import type { FrameStoreOptions } from '../session/frame-store';
import { importHar } from './har-import';
import type { ImportedLog } from './imported-log';
import { ProblemList } from './import-problems';
import { importNdjson } from './ndjson-import';

/** Larger files are refused with a clear message (256 Mi characters of text). */
export const MAX_IMPORT_CHARS = 256 * 1024 * 1024;

export type ImportOutcome = { ok: true; log: ImportedLog } | { ok: false; problems: ProblemList };

export async function importLog(
  text: string,
  options: { format?: LogFormat; store?: FrameStoreOptions; maxChars?: number },
): Promise<ImportOutcome> {
  const problems = new ProblemList();
  const maxChars = options.maxChars ?? MAX_IMPORT_CHARS;
  if (text.length > maxChars) {
    problems.add('', `the file is ${megabytes(text.length)} MiB; the largest file that can be imported is ${megabytes(maxChars)} MiB`);
    return { ok: false, problems };
  }
  if (text.trim() === '') {
    problems.add('', 'the file is empty');
    return { ok: false, problems };
  }
  const format = options.format ?? guessFormat(text);
  const store = options.store ?? {};
  const log = format === 'har' ? await importHar(text, store, problems) : await importNdjson(text, store, problems);
  return log && problems.count === 0 ? { ok: true, log } : { ok: false, problems };
}

/** A HAR file is a single JSON object with a `log` member near the start. */
export function guessFormat(text: string): LogFormat {
  const head = text.slice(0, 4096).trimStart();
  if (!head.startsWith('{')) return 'ndjson';
  const firstLine = head.split('\n', 1)[0] ?? '';
  // NDJSON's first line is a complete object; HAR's first line is usually just "{".
  if (/^\{\s*"log"\s*:/.test(head) || firstLine.trim() === '{') return 'har';
  return 'ndjson';
}

function megabytes(chars: number): string {
  const mb = chars / (1024 * 1024);
  return mb >= 10 ? mb.toFixed(0) : mb.toFixed(1);
}
