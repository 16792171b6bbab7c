/**
 * Virtual scrolling past the browser's maximum element height. A million 22 px rows are 22 M
 * pixels, more than Chromium lets an element be (about 16.7 M), so the scrolling spacer is
 * capped and the scroll position is mapped proportionally onto the rows' real "content
 * offset". Below the cap the mapping is the identity. Everything here is plain arithmetic on
 * numbers, so it is tested without a browser.
 *
 * Terms: `offset` is a position in the full list of rows (0 … contentHeight − viewport);
 * `scrollTop` is the scroller's position in the capped spacer (0 … spacerHeight − viewport).
 *
 * Bands: a few places may have a strip of their own above a row (the attempt separators):
 * row i then starts at i × rowHeight + height × (bands at or before i), found back from an
 * offset by a binary search over the rows with one over the bands inside it, so the cost
 * grows with the log of the rows and of the bands, never with the rows.
 */

/** Below Chromium's ~16.7 M px limit (and Firefox's ~17.9 M), with room for rounding. */
export const MAX_SPACER_HEIGHT = 15_000_000;

export interface ScrollGeometry {
  count: number;
  rowHeight: number;
  viewportHeight: number;
  /** Defaults to MAX_SPACER_HEIGHT; tests use small caps. */
  maxSpacerHeight?: number;
  /** Strips between rows; none when absent. */
  bands?: Bands;
}

export interface Bands {
  /** The rows with a band above them, ascending and distinct (`count`: below the last row). */
  at: readonly number[];
  /** Each band's height, px. */
  height: number;
}

export interface RowRange {
  /** First row index to render (inclusive). */
  first: number;
  /** Last row index to render (inclusive); first > last when there are no rows. */
  last: number;
}

function cap(g: ScrollGeometry): number {
  return g.maxSpacerHeight ?? MAX_SPACER_HEIGHT;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/** How many bands lie above row `index` (at or before it). */
function bandsThrough(g: ScrollGeometry, index: number): number {
  const at = g.bands?.at;
  if (!at || at.length === 0) return 0;
  let low = 0;
  let high = at.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((at[mid] ?? 0) <= index) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Where row `index` starts in the full list (`count`: the list's end, a band below the last row included). */
export function rowOffset(g: ScrollGeometry, index: number): number {
  return index * g.rowHeight + (g.bands ? bandsThrough(g, index) * g.bands.height : 0);
}

/** The last row starting at or before `y` (`inclusive`) or before it; -1 if none (with bands, at most the last row). */
function lastRowFrom(g: ScrollGeometry, y: number, inclusive: boolean): number {
  if (!g.bands || g.bands.at.length === 0) {
    // Without bands, the arithmetic as it always was (callers clamp).
    return inclusive ? Math.floor(y / g.rowHeight) : Math.ceil(y / g.rowHeight) - 1;
  }
  let low = -1;
  let high = g.count - 1;
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    const start = rowOffset(g, mid);
    if (inclusive ? start <= y : start < y) low = mid;
    else high = mid - 1;
  }
  return low;
}

export function contentHeight(g: ScrollGeometry): number {
  return rowOffset(g, Math.max(0, g.count));
}

/** The height to give the scrolling spacer. */
export function spacerHeight(g: ScrollGeometry): number {
  return Math.min(contentHeight(g), cap(g));
}

/** Whether the spacer is capped (so the mapping is not 1:1). */
export function isScaled(g: ScrollGeometry): boolean {
  return contentHeight(g) > cap(g);
}

/** The largest content offset: the last row's bottom at the viewport's bottom. */
export function maxOffset(g: ScrollGeometry): number {
  return Math.max(0, contentHeight(g) - g.viewportHeight);
}

/** The largest scrollTop the spacer allows. */
export function maxScrollTop(g: ScrollGeometry): number {
  return Math.max(0, spacerHeight(g) - g.viewportHeight);
}

/** Content pixels per spacer pixel (1 when not scaled). */
export function scrollRatio(g: ScrollGeometry): number {
  const scrollRange = maxScrollTop(g);
  if (!isScaled(g) || scrollRange <= 0) return 1;
  return maxOffset(g) / scrollRange;
}

/** Where a scroll position puts the rows. */
export function scrollTopToOffset(g: ScrollGeometry, scrollTop: number): number {
  const top = clamp(scrollTop, 0, maxScrollTop(g));
  return clamp(top * scrollRatio(g), 0, maxOffset(g));
}

/** The scroll position that shows the rows from `offset` (its inverse, up to rounding). */
export function offsetToScrollTop(g: ScrollGeometry, offset: number): number {
  const at = clamp(offset, 0, maxOffset(g));
  return clamp(at / scrollRatio(g), 0, maxScrollTop(g));
}

/** The rows that cover the viewport at `offset`, with `overscan` more on each side. */
export function visibleRange(g: ScrollGeometry, offset: number, overscan = 0): RowRange {
  if (g.count <= 0 || g.rowHeight <= 0) return { first: 0, last: -1 };
  const at = clamp(offset, 0, maxOffset(g));
  const first = lastRowFrom(g, at, true);
  const last = lastRowFrom(g, at + g.viewportHeight, false);
  return { first: Math.max(0, first - overscan), last: Math.min(g.count - 1, last + overscan) };
}

/**
 * Where row `index` goes inside the spacer: relative to the scroll position the rows were
 * laid out for, so the browser's own scrolling moves them 1:1 until the next layout.
 */
export function rowTop(g: ScrollGeometry, index: number, offset: number, scrollTop: number): number {
  return scrollTop + rowOffset(g, index) - clamp(offset, 0, maxOffset(g));
}

/** Rows wholly below the viewport at `offset` (a row cut by the bottom edge is in view). */
export function rowsBelow(g: ScrollGeometry, offset: number): number {
  if (g.count <= 0) return 0;
  return g.count - 1 - visibleRange(g, offset).last;
}

/** The row at the top edge of the viewport. */
export function rowAtOffset(g: ScrollGeometry, offset: number): number {
  if (g.count <= 0) return -1;
  return clamp(lastRowFrom(g, clamp(offset, 0, maxOffset(g)), true), 0, g.count - 1);
}

export type Align = 'start' | 'center' | 'end' | 'nearest';

/** The offset that shows row `index` aligned as asked (`nearest`: move as little as possible). */
export function offsetForRow(g: ScrollGeometry, index: number, align: Align, current = 0): number {
  const top = rowOffset(g, index);
  const bottom = top + g.rowHeight;
  let target: number;
  switch (align) {
    case 'start':
      target = top;
      break;
    case 'end':
      target = bottom - g.viewportHeight;
      break;
    case 'center':
      target = top - (g.viewportHeight - g.rowHeight) / 2;
      break;
    case 'nearest':
      if (top < current) target = top;
      else if (bottom > current + g.viewportHeight) target = bottom - g.viewportHeight;
      else target = current;
      break;
  }
  return clamp(target, 0, maxOffset(g));
}

/** Whether `offset` shows the last row (within `slack` pixels). */
export function isAtEnd(g: ScrollGeometry, offset: number, slack = 0): boolean {
  return maxOffset(g) - offset <= slack;
}
