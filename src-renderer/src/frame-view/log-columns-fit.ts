/**
 * Which of the log's columns are shown: the ones chosen under Columns ▾, as the log's width
 * allows. A log with a decoded Summary whose rows cannot hold every chosen column at its
 * narrowest beside a scrollbar is compact: Type ("text" or "binary" on every decoded row) and
 * Preview give their room to the Summary. For the Columns menu it also says, per chosen column
 * not shown, why, and what would show Type and Preview again: a ticked box that changes nothing
 * on screen must say so.
 */
import type { LogColumn } from '../stores/log-prefs-store';

/** What the log measured (FrameLog.vue, measure()); 0 where nothing was laid out yet. */
export interface LogRoom {
  /** The log's width, its scrollbar's place included (so a scrollbar coming and going does not switch the layout). */
  width: number;
  /** A row of the chosen columns at their narrowest: padding and gaps included, no scrollbar. */
  fullRow: number;
  /** A classic scrollbar's width on this platform (0 where scrollbars overlay the content). */
  scrollbar: number;
  /** Px the divider beside the detail pane can still give the log; null: no divider (the detail is under the log); undefined: not known. */
  detailRoom?: number | null;
}

export interface ColumnsFit {
  shown: Record<LogColumn, boolean>;
  compact: boolean;
  /** Why a chosen column is not shown, in a few words (beside its box in the menu). */
  held: Partial<Record<LogColumn, string>>;
  /** Compact, with Type or Preview chosen: how much room they lack and how to give it. */
  hint: string | null;
}

/** Words beside Type and Preview in the menu while the log is compact. */
export const HELD_NARROW = 'hidden: log too narrow';
/** Words beside Summary while no protocol decodes the session. */
export const HELD_NO_PROTOCOL = 'needs a protocol (Decode)';

export function fitColumns(chosen: readonly LogColumn[], decoding: boolean, room: LogRoom): ColumnsFit {
  const on = (column: LogColumn): boolean => chosen.includes(column);
  const summary = on('summary') && decoding;
  // Unmeasured (no layout yet, or a test's DOM): every chosen column, as before the first layout.
  const short = room.fullRow > 0 && room.width > 0 ? room.fullRow + room.scrollbar - room.width : 0;
  const compact = summary && short > 0;
  const shown: Record<LogColumn, boolean> = {
    seq: on('seq'),
    time: on('time'),
    dir: on('dir'),
    type: on('type') && !compact,
    size: on('size'),
    summary,
    preview: on('preview') && !compact,
  };
  const held: Partial<Record<LogColumn, string>> = {};
  if (on('summary') && !decoding) held.summary = HELD_NO_PROTOCOL;
  const narrowed = (['type', 'preview'] as const).filter((c) => on(c) && compact);
  for (const column of narrowed) held[column] = HELD_NARROW;
  const names = narrowed.map((c) => (c === 'type' ? 'Type' : 'Preview'));
  const lack = Math.ceil(short);
  const hint = names.length === 0 ? null : `${names.join(' and ')} ${names.length === 1 ? 'needs' : 'need'} ${lack} px more beside the Summary: ${howToWiden(lack, room.detailRoom)}`;
  return { shown, compact, held, hint };
}

/** What gives the log `lack` px: the divider only where it can give that much (at 900 px the detail pane is at its narrowest already). */
function howToWiden(lack: number, detailRoom: number | null | undefined): string {
  if (detailRoom === null) return 'widen the window or hide a column.';
  if (detailRoom === undefined || detailRoom >= lack) return 'widen the log (drag the divider beside the detail pane, or widen the window) or hide a column.';
  if (detailRoom === 0) return 'widen the window (the detail pane is at its narrowest) or hide a column.';
  return `widen the window (the divider beside the detail pane can give the log only ${detailRoom} px more) or hide a column.`;
}
