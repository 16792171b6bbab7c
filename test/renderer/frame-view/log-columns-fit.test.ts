// Which log columns are shown for the room the log has, and what the Columns menu says about the
// chosen ones it cannot show. Figures from Chromium on Linux (DejaVu Sans Mono, 15 px scrollbars):
// every column at its narrowest took 497.6 px (541 since the Summary's minimum is 20ch, not 14ch:
// these are inputs, the rule is the same), the log at 1024 px is 494 px with the page's
// scrollbar, 503 without, and at 900 px 408.
import { describe, expect, it } from 'vitest';
import { fitColumns, HELD_NARROW, HELD_NO_PROTOCOL, type LogRoom } from '../../../src-renderer/src/frame-view/log-columns-fit';
import { LOG_COLUMNS, type LogColumn } from '../../../src-renderer/src/stores/log-prefs-store';

const ALL = [...LOG_COLUMNS];
const room = (width: number, scrollbar = 15, fullRow = 497.6): LogRoom => ({ width, fullRow, scrollbar });
const shownOf = (chosen: readonly LogColumn[], decoding: boolean, r: LogRoom): LogColumn[] => {
  const { shown } = fitColumns(chosen, decoding, r);
  return LOG_COLUMNS.filter((c) => shown[c]);
};

describe('fitColumns', () => {
  it.each([
    // width, scrollbar, compact: a classic scrollbar counts whether the rows have one yet or not.
    [494, 15, true], // 1024 px, both scrollbars: the Preview ran 18.6 px past the rows
    [503, 15, true], // 1024 px, the rows' scrollbar only
    [503, 0, false], // 1024 px, overlay scrollbars: every column, as before
    [408, 0, true], // 900 px
    [512.5, 15, false, 497.5], // exactly room enough
    [512.25, 15, true, 497.5],
    [662, 15, false], // 1280 px
  ])('a decoded log %d px wide with a %d px scrollbar: compact %s', (width, scrollbar, compact, fullRow = 497.6) => {
    const fit = fitColumns(ALL, true, room(width, scrollbar, fullRow));
    expect(fit.compact).toBe(compact);
    expect(shownOf(ALL, true, room(width, scrollbar, fullRow))).toEqual(compact ? ['seq', 'time', 'dir', 'size', 'summary'] : ALL);
  });

  it('is never compact without a Summary, nor before the log is measured', () => {
    expect(fitColumns(ALL, false, room(300)).compact).toBe(false);
    expect(shownOf(ALL, false, room(300))).toEqual(['seq', 'time', 'dir', 'type', 'size', 'preview']);
    expect(fitColumns(['seq', 'time', 'type', 'preview'], true, room(300)).compact).toBe(false);
    expect(fitColumns(ALL, true, { width: 0, fullRow: 497.6, scrollbar: 15 }).compact).toBe(false);
    expect(fitColumns(ALL, true, { width: 400, fullRow: 0, scrollbar: 15 }).compact).toBe(false);
  });

  it('says why a chosen column is hidden, and how many pixels Type and Preview lack', () => {
    const fit = fitColumns(ALL, true, room(494));
    expect(fit.held).toEqual({ type: HELD_NARROW, preview: HELD_NARROW });
    expect(fit.hint).toBe(
      'Type and Preview need 19 px more beside the Summary: widen the log (drag the divider beside the detail pane, or widen the window) or hide a column.',
    );
    // A column not chosen is not "held": the hint names only what the user asked for.
    const typeOnly = fitColumns(['seq', 'time', 'dir', 'type', 'size', 'summary'], true, room(440, 15, 430));
    expect(typeOnly.held).toEqual({ type: HELD_NARROW });
    expect(typeOnly.hint).toMatch(/^Type needs 5 px more beside the Summary:/);
    const neither = fitColumns(['seq', 'time', 'dir', 'size', 'summary'], true, room(300));
    expect(neither).toMatchObject({ compact: true, held: {}, hint: null });
  });

  it('advises the divider only where it can give the log what it lacks', () => {
    const advice = (detailRoom: number | null | undefined) => fitColumns(ALL, true, { ...room(494), detailRoom }).hint?.replace(/^.*beside the Summary: /, '');
    const divider = 'widen the log (drag the divider beside the detail pane, or widen the window) or hide a column.';
    expect(advice(undefined)).toBe(divider); // not measured: both ways
    expect(advice(19)).toBe(divider); // exactly enough
    expect(advice(400)).toBe(divider);
    expect(advice(18)).toBe('widen the window (the divider beside the detail pane can give the log only 18 px more) or hide a column.');
    expect(advice(0)).toBe('widen the window (the detail pane is at its narrowest) or hide a column.'); // 900 px
    expect(advice(null)).toBe('widen the window or hide a column.'); // the detail under the log
  });

  it('says the Summary needs a protocol when none decodes the session', () => {
    expect(fitColumns(ALL, false, room(900))).toMatchObject({ held: { summary: HELD_NO_PROTOCOL }, hint: null });
    expect(fitColumns(['seq', 'preview'], false, room(900)).held).toEqual({});
    expect(fitColumns(ALL, true, room(900)).held).toEqual({});
  });
});
