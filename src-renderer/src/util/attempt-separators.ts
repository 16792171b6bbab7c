/**
 * Where the log's attempt separators go: an ended attempt sits after the last frame it
 * recorded (`afterSeq`), i.e. above the first row whose seq is later. Attempts that recorded
 * nothing in between share one place and one separator. Only places among the rows on screen
 * (or just below the last one, at the end of the list) are returned.
 */
import { describeAttempt, type AttemptRecord } from '../../../src-main/shared/attempts';

export interface SeparatorRow {
  key: string;
  /** Pixels from the spacer's top: the boundary between two rows. */
  top: number;
  /** At the end of the list: the label goes above the line (nothing below it). */
  atEnd: boolean;
  /** One line for the label: the last attempt of the group, with how many more. */
  label: string;
  /** Every attempt of the group, a line each. */
  detail: string;
  /** A reconnect follows (warn) or the connection ended there. */
  retrying: boolean;
}

/** Short, for a label over the rows' right end: "attempt 3 CONNECTION_LOST · next in 3.8 s". */
function shortLabel(record: AttemptRecord): string {
  const { outcome } = record;
  const what = outcome.error ? outcome.error.code : outcome.kind === 'closed' ? `closed ${outcome.code ?? ''}`.trim() : 'lost';
  const after = record.next ? `next in ${(record.next.waitMs / 1000).toFixed(1)} s` : 'no reconnect';
  return `attempt ${record.attempt} ${what} · ${after}`;
}

export interface PlacedRow {
  position: number;
  top: number;
}

export function separatorRows(
  attempts: readonly AttemptRecord[],
  list: { readonly count: number; lowerBound(seq: number): number },
  rows: readonly PlacedRow[],
  rowHeight: number,
): SeparatorRow[] {
  if (attempts.length === 0) return [];
  const groups = new Map<number, AttemptRecord[]>();
  for (const record of attempts) {
    const group = groups.get(record.afterSeq);
    if (group) group.push(record);
    else groups.set(record.afterSeq, [record]);
  }
  const topOf = new Map(rows.map((row) => [row.position, row.top]));
  const last = rows.at(-1);
  const out: SeparatorRow[] = [];
  for (const [afterSeq, group] of groups) {
    const position = list.lowerBound(afterSeq + 1);
    const atEnd = position >= list.count;
    let top = topOf.get(position);
    if (top === undefined && atEnd) top = last !== undefined && last.position === list.count - 1 ? last.top + rowHeight : list.count === 0 ? 0 : undefined;
    if (top === undefined) continue;
    const newest = group[group.length - 1];
    if (!newest) continue;
    const lines = group.map(describeAttempt);
    out.push({
      key: `a${group[0]?.attempt ?? 0}`,
      top,
      atEnd: atEnd && list.count > 0,
      label: `${group.length > 1 ? `${group.length} attempts · ` : ''}${shortLabel(newest)}`,
      detail: lines.join('\n'),
      retrying: newest.next !== null,
    });
  }
  return out;
}
