import { describe, expect, it } from 'vitest';
import {
  contentHeight,
  isAtEnd,
  isScaled,
  MAX_SPACER_HEIGHT,
  maxOffset,
  maxScrollTop,
  offsetForRow,
  offsetToScrollTop,
  rowAtOffset,
  rowTop,
  scrollTopToOffset,
  spacerHeight,
  visibleRange,
  type ScrollGeometry,
} from '../../../src-renderer/src/util/scroll-mapping';

const ROW = 22;
const VIEW = 440;

function geometry(count: number, maxSpacerHeight?: number): ScrollGeometry {
  return { count, rowHeight: ROW, viewportHeight: VIEW, ...(maxSpacerHeight !== undefined ? { maxSpacerHeight } : {}) };
}

describe('scroll mapping below the cap', () => {
  const g = geometry(1000);

  it('is the identity: spacer = content, scrollTop = offset', () => {
    expect(isScaled(g)).toBe(false);
    expect(spacerHeight(g)).toBe(22_000);
    expect(scrollTopToOffset(g, 1234)).toBe(1234);
    expect(offsetToScrollTop(g, 1234)).toBe(1234);
    expect(maxOffset(g)).toBe(22_000 - VIEW);
  });

  it('clamps both ways', () => {
    expect(scrollTopToOffset(g, -50)).toBe(0);
    expect(scrollTopToOffset(g, 1e9)).toBe(maxOffset(g));
    expect(offsetToScrollTop(g, 1e9)).toBe(maxScrollTop(g));
  });

  it('gives the rows that cover the viewport, with overscan, within the list', () => {
    expect(visibleRange(g, 0)).toEqual({ first: 0, last: 19 });
    expect(visibleRange(g, 0, 5)).toEqual({ first: 0, last: 24 });
    // Half a row scrolled: the 21st row peeks in at the bottom.
    expect(visibleRange(g, 11)).toEqual({ first: 0, last: 20 });
    expect(visibleRange(g, maxOffset(g), 5)).toEqual({ first: 975, last: 999 });
    expect(visibleRange(geometry(0), 0)).toEqual({ first: 0, last: -1 });
  });

  it('places rows relative to the scroll position they were laid out for', () => {
    expect(rowTop(g, 100, 2200, 2200)).toBe(2200);
    expect(rowAtOffset(g, 2200 + 21)).toBe(100);
  });
});

describe('scroll mapping past the browser maximum (a million rows)', () => {
  const million = geometry(1_000_000);

  it('caps the spacer below Chromium’s limit and scales the scroll range', () => {
    expect(contentHeight(million)).toBe(22_000_000);
    expect(isScaled(million)).toBe(true);
    expect(spacerHeight(million)).toBe(MAX_SPACER_HEIGHT);
    expect(MAX_SPACER_HEIGHT).toBeLessThan(16_777_216);
  });

  it('maps the ends of the scrollbar onto the ends of the list', () => {
    expect(scrollTopToOffset(million, 0)).toBe(0);
    expect(scrollTopToOffset(million, maxScrollTop(million))).toBe(maxOffset(million));
    const last = visibleRange(million, scrollTopToOffset(million, maxScrollTop(million)));
    expect(last.last).toBe(999_999);
    expect(isAtEnd(million, scrollTopToOffset(million, maxScrollTop(million)))).toBe(true);
  });

  it('reaches every row: the offset for any row maps to a scrollTop and back to that row', () => {
    for (const index of [0, 1, 123_456, 500_000, 777_777, 999_980, 999_999]) {
      const offset = offsetForRow(million, index, 'start');
      const scrollTop = offsetToScrollTop(million, offset);
      expect(scrollTop).toBeLessThanOrEqual(maxScrollTop(million));
      // A whole-pixel scrollTop lands within a row of the target (a pixel is ≈ 1.47 content px).
      const back = scrollTopToOffset(million, Math.round(scrollTop));
      const range = visibleRange(million, back);
      expect(range.first).toBeLessThanOrEqual(index);
      expect(range.last).toBeGreaterThanOrEqual(index);
    }
  });

  it('keeps rows 22 px apart inside the spacer and the last one at its end', () => {
    const scrollTop = maxScrollTop(million);
    const offset = scrollTopToOffset(million, scrollTop);
    const lastTop = rowTop(million, 999_999, offset, scrollTop);
    expect(rowTop(million, 999_998, offset, scrollTop)).toBe(lastTop - ROW);
    expect(lastTop + ROW).toBeCloseTo(spacerHeight(million), 6);
  });

  it('scales with a small cap too (the same arithmetic at any size)', () => {
    const g = geometry(100, 1100); // 2,200 px of rows in an 1,100 px spacer
    expect(maxScrollTop(g)).toBe(660);
    expect(maxOffset(g)).toBe(1760);
    expect(scrollTopToOffset(g, 330)).toBe(880);
    expect(offsetToScrollTop(g, 880)).toBe(330);
  });
});

describe('bringing a row into view', () => {
  const g = geometry(1000);

  it('aligns at the start, centre or end, and clamps at the list ends', () => {
    expect(offsetForRow(g, 100, 'start')).toBe(2200);
    expect(offsetForRow(g, 100, 'end')).toBe(2200 + ROW - VIEW);
    expect(offsetForRow(g, 100, 'center')).toBe(2200 - (VIEW - ROW) / 2);
    expect(offsetForRow(g, 0, 'center')).toBe(0);
    expect(offsetForRow(g, 999, 'center')).toBe(maxOffset(g));
  });

  it('moves as little as possible for "nearest"', () => {
    expect(offsetForRow(g, 10, 'nearest', 0)).toBe(0);
    expect(offsetForRow(g, 25, 'nearest', 0)).toBe(26 * ROW - VIEW);
    expect(offsetForRow(g, 5, 'nearest', 2200)).toBe(110);
  });

  it('says whether the view is at the live end, with slack', () => {
    expect(isAtEnd(g, maxOffset(g))).toBe(true);
    expect(isAtEnd(g, maxOffset(g) - 10, 11)).toBe(true);
    expect(isAtEnd(g, maxOffset(g) - 30, 11)).toBe(false);
  });
});
