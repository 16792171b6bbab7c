/**
 * What the log says after Clear, for a live session and an imported log alike, so the banner,
 * the empty log and the imported log's header agree. Clear only hides frames from this view
 * (frame-log-view.ts clearView); nothing in the app brings them back — live frames keep coming,
 * an imported log's come back by importing its file again — and Export still writes them all.
 */
import { formatCount, plural } from '../util/format';

/** The banner over the log once frames were cleared; null when none were. */
export function clearedBanner(cleared: number, imported: boolean): string | null {
  if (cleared <= 0) return null;
  if (!imported) return `Cleared ${plural(cleared, 'frame')} from the log: the engine keeps them, so Export still writes them; filters, search and Go to start after the clear.`;
  return `Cleared ${plural(cleared, 'frame')} of this imported log from the view: Export still writes them, and Import log… with the same file shows them again.`;
}

/** The empty log of an imported log: cleared, or a file that held no frame. */
export function importedEmptyText(cleared: number): string {
  if (cleared <= 0) return 'This imported log has no frames.';
  return `All ${plural(cleared, 'frame')} of this imported log were cleared from the view (Export still writes them; Import log… with the same file shows them again).`;
}

/** The imported log's header count: `16 frames`, or what is shown beside what was cleared. */
export function importedCountText(frames: number, cleared: number): string {
  if (cleared <= 0) return plural(frames, 'frame');
  const shown = Math.max(0, frames - cleared);
  return shown === 0 ? `${plural(frames, 'frame')}, all cleared from the view` : `${plural(frames, 'frame')}: ${formatCount(shown)} shown, ${formatCount(cleared)} cleared`;
}
