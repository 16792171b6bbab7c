/**
 * Scroll mapping with bands (the attempt separators' strips between rows): every function
 * equals what a list of each row's start, built row by row, says, on generated geometries
 * (bands at the top, at the end, in runs, none; scaled and not); without bands nothing changes.
 */
import { describe, expect, it } from 'vitest';
import {
  contentHeight,
  maxOffset,
  offsetForRow,
  rowAtOffset,
  rowOffset,
  rowTop,
  visibleRange,
  type ScrollGeometry,
} from '../../../src-renderer/src/util/scroll-mapping';

const ROW = 22;
const BAND = 20;

/** Each row's start, and the content's end, walked row by row. */
function walk(count: number, at: readonly number[]): { starts: number[]; end: number } {
  const starts: number[] = [];
  let y = 0;
  for (let index = 0; index <= count; index++) {
    y += at.filter((place) => place === index).length * BAND;
    if (index < count) starts.push(y);
    if (index < count) y += ROW;
  }
  return { starts, end: y };
}

function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

describe('bands between rows', () => {
  const cases: Array<{ count: number; at: number[]; view: number; cap?: number }> = [
    { count: 10, at: [0], view: 100 },
    { count: 10, at: [10], view: 100 },
    { count: 10, at: [0, 1, 2, 10], view: 50 },
    { count: 1, at: [0, 1], view: 300 },
    { count: 3, at: [1, 2], view: 1000 },
  ];
  const next = random(7);
  for (let i = 0; i < 40; i++) {
    const count = 1 + Math.floor(next() * 400);
    const at = [...new Set(Array.from({ length: Math.floor(next() * 12) }, () => Math.floor(next() * (count + 1))))].sort((a, b) => a - b);
    cases.push({ count, at, view: 10 + Math.floor(next() * 500), ...(next() < 0.3 ? { cap: 2000 } : {}) });
  }

  it.each(cases)('%#: rows, ranges and jumps equal a row-by-row walk', ({ count, at, view, cap }) => {
    const g: ScrollGeometry = { count, rowHeight: ROW, viewportHeight: view, bands: { at, height: BAND }, ...(cap ? { maxSpacerHeight: cap } : {}) };
    const { starts, end } = walk(count, at);
    expect(contentHeight(g)).toBe(end);
    expect(rowOffset(g, count)).toBe(end);
    starts.forEach((start, index) => {
      expect(rowOffset(g, index)).toBe(start);
      expect(rowTop(g, index, 0, 0)).toBe(start);
      expect(offsetForRow(g, index, 'start')).toBe(Math.min(start, maxOffset(g)));
    });
    for (let offset = 0; offset <= maxOffset(g); offset += 7) {
      // The row at the top: the last one starting at or above the offset (the first in a top band).
      const top = Math.max(0, starts.filter((start) => start <= offset).length - 1);
      expect(rowAtOffset(g, offset)).toBe(top);
      // Every row with a pixel in view is laid out.
      const shown = starts.map((start, index) => [start, index] as const).filter(([start]) => start < offset + view && start + ROW > offset).map(([, index]) => index);
      const range = visibleRange(g, offset);
      for (const index of shown) expect(index >= range.first && index <= range.last).toBe(true);
      // From the top row (whose band below may be all of it in view) to the last starting in view.
      expect(range.first).toBe(top);
      expect(range.last).toBe(Math.min(count - 1, starts.filter((start) => start < offset + view).length - 1));
    }
  });

  it('without bands (or an empty list of them) the arithmetic is the plain one', () => {
    for (const bands of [undefined, { at: [], height: BAND }]) {
      const g: ScrollGeometry = { count: 1000, rowHeight: ROW, viewportHeight: 440, ...(bands ? { bands } : {}) };
      expect(contentHeight(g)).toBe(22_000);
      expect(rowAtOffset(g, 4_400)).toBe(200);
      expect(visibleRange(g, 4_400, 8)).toEqual({ first: 192, last: 227 });
      expect(offsetForRow(g, 500, 'center')).toBe(500 * ROW - (440 - ROW) / 2);
    }
  });
});
