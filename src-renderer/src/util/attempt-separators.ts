/**
 * Where the log's attempt separators go: an ended attempt sits after the last frame it
 * recorded (`afterSeq`), i.e. above the first row whose seq is later. Attempts with no row
 * between them (none recorded, or the filters hide those recorded) share one place and one
 * separator. Only places among the rows on screen (or just below the last one, at the end of
 * the list) are returned.
 *
 * With a band (`band` > 0) the log leaves that many pixels free at each place
 * (`separatorPlaces`, ScrollGeometry's `bands`): the separator fills the band, so its label
 * covers no row. Without one it is a line on the rows' boundary, its label over a row.
 */
import { describeAttempt, type AttemptRecord } from '../../../src-main/shared/attempts';

export interface SeparatorRow {
  key: string;
  /** Pixels from the spacer's top: the band's top, or (no band) the boundary between two rows. */
  top: number;
  /** At the end of the list: without a band, the label goes above the line (nothing below it). */
  atEnd: boolean;
  /** One line for the label: the last attempt of the group, with how many more. */
  label: string;
  /** Every attempt of the group, a line each. */
  detail: string;
  /** A reconnect follows (warn) or the connection ended there. */
  retrying: boolean;
}

/**
 * Short, for a label over the rows' right end: "attempt 3 CONNECTION_LOST · next in 3.8 s", or
 * "· next at once (Now)" when the user cut the wait short (the record says when: `cutShortAt`).
 */
function shortLabel(record: AttemptRecord): string {
  const { outcome, next } = record;
  const what = outcome.error ? outcome.error.code : outcome.kind === 'closed' ? `closed ${outcome.code ?? ''}`.trim() : 'lost';
  const after = next ? (next.cutShortAt !== undefined ? 'next at once (Now)' : `next in ${(next.waitMs / 1000).toFixed(1)} s`) : 'no reconnect';
  return `attempt ${record.attempt} ${what} · ${after}`;
}

export interface PlacedRow {
  position: number;
  top: number;
}

export interface SeparatorList {
  readonly count: number;
  lowerBound(seq: number): number;
}

/** The attempts by place (the position of the row below them; `count` at the end), in order. */
function groupByPlace(attempts: readonly AttemptRecord[], list: SeparatorList): Map<number, AttemptRecord[]> {
  const groups = new Map<number, AttemptRecord[]>();
  let lastSeq = Number.NaN;
  let lastPlace = 0;
  for (const record of attempts) {
    // Attempts end in order and most share their afterSeq with the one before: one search each run.
    if (record.afterSeq !== lastSeq) {
      lastSeq = record.afterSeq;
      lastPlace = list.lowerBound(record.afterSeq + 1);
    }
    const group = groups.get(lastPlace);
    if (group) group.push(record);
    else groups.set(lastPlace, [record]);
  }
  return groups;
}

/**
 * The positions with a separator above them (`count`: below the last row), ascending and
 * distinct: where the log leaves a band. A binary search of the list per run of attempts, not
 * per frame.
 */
export function separatorPlaces(attempts: readonly AttemptRecord[], list: SeparatorList): number[] {
  if (attempts.length === 0) return [];
  return [...groupByPlace(attempts, list).keys()].sort((a, b) => a - b);
}

export function separatorRows(attempts: readonly AttemptRecord[], list: SeparatorList, rows: readonly PlacedRow[], rowHeight: number, band = 0): SeparatorRow[] {
  if (attempts.length === 0) return [];
  const topOf = new Map(rows.map((row) => [row.position, row.top]));
  const last = rows.at(-1);
  const out: SeparatorRow[] = [];
  for (const [position, group] of groupByPlace(attempts, list)) {
    const atEnd = position >= list.count;
    const below = topOf.get(position);
    let top: number | undefined;
    // With a band, the band lies right above the row below it, or right below the last row.
    if (below !== undefined) top = below - band;
    else if (atEnd && last !== undefined && last.position === list.count - 1) top = last.top + rowHeight;
    else if (atEnd && list.count === 0) top = 0;
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
