/**
 * What an import found wrong, each with where: `line 7` for NDJSON, the JSON path of the
 * object such as `log.entries[0]._webSocketMessages[12]` for HAR, and a sentence naming the
 * field in plain words (import-wording.ts). Every problem is collected (up to a cap) so the
 * user can fix the file in one go.
 */
import type { z } from 'zod';
import { issueSentence, type FieldNames } from './import-wording';

export interface ImportProblem {
  /** `line 7` or `log.entries[0]._webSocketMessages[3]`; empty for the whole file. */
  where: string;
  message: string;
}

const MAX_PROBLEMS_KEPT = 1000;
const MAX_PROBLEMS_SHOWN = 50;

export class ProblemList {
  readonly items: ImportProblem[] = [];
  /** Problems beyond the cap (counted, not kept). */
  overflow = 0;

  get count(): number {
    return this.items.length + this.overflow;
  }

  add(where: string, message: string): void {
    if (this.items.length < MAX_PROBLEMS_KEPT) this.items.push({ where, message });
    else this.overflow += 1;
  }

  /** Takes every problem of `other` (kept and counted ones). */
  absorb(other: ProblemList): void {
    for (const item of other.items) this.add(item.where, item.message);
    this.overflow += other.overflow;
  }

  /** Every issue of a failed zod parse, at `where`, each a sentence about its field (named by `names`). */
  addZod(where: string, error: z.ZodError, names: FieldNames): void {
    for (const issue of error.issues) this.add(where, issueSentence(issue, names));
  }
}

/** `log.entries[0]` + ['request', 'url'] → `log.entries[0].request.url`; for lines, `line 4: request.url`. */
export function joinPath(prefix: string, parts: readonly PropertyKey[], join: 'json' | 'line'): string {
  let path = '';
  const bare = join === 'line' || prefix === '';
  for (const part of parts) path += typeof part === 'number' ? `[${part}]` : path === '' && bare ? String(part) : `.${String(part)}`;
  if (join === 'line') return path === '' ? prefix : `${prefix}: ${path}`;
  return `${prefix}${path}`;
}

/** How many left-out places the notes list one by one; the rest are counted. */
const MAX_LEFT_OUT_LISTED = 20;

/**
 * The notes for what an import left out (a cut or broken line, a repeated seq, a bad HAR
 * message): a count, then each place with what was wrong, so the user sees what is missing.
 */
export function leftOutNotes(leftOut: ProblemList, unit: 'line' | 'message'): string[] {
  if (leftOut.count === 0) return [];
  const n = leftOut.count;
  const head = `${n} ${unit}${n === 1 ? '' : 's'} of the file could not be read and ${n === 1 ? 'was' : 'were'} left out; the rest is imported:`;
  const listed = leftOut.items.slice(0, MAX_LEFT_OUT_LISTED).map((p) => `left out ${p.where}: ${p.message}`);
  const more = n - listed.length;
  return [head, ...listed, ...(more > 0 ? [`… and ${more} more ${unit}s left out`] : [])];
}

/** One message for a command error: every problem (up to a page of them), each with its place. */
export function describeProblems(name: string, problems: ProblemList): string {
  const shown = problems.items.slice(0, MAX_PROBLEMS_SHOWN).map((p) => (p.where === '' ? p.message : `${p.where}: ${p.message}`));
  const more = problems.count - shown.length;
  const head = `${name}: ${problems.count} problem${problems.count === 1 ? '' : 's'}, nothing imported`;
  return [head, ...shown.map((line) => `- ${line}`), ...(more > 0 ? [`- … and ${more} more`] : [])].join('\n');
}
