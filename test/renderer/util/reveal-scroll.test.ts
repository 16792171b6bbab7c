import { describe, expect, it } from 'vitest';
import { revealScroll } from '../../../src-renderer/src/util/reveal-scroll';

describe('revealScroll', () => {
  it('leaves a strip alone when the item is already in view', () => {
    expect(revealScroll(100, 500, 200, 150, 24)).toBe(100);
  });

  it('scrolls back to an item left of the view, with room before it', () => {
    expect(revealScroll(400, 500, 300, 150, 24)).toBe(276);
    expect(revealScroll(400, 500, 10, 150, 24)).toBe(0);
  });

  it('scrolls forward to an item right of the view, its end and the room after it in view', () => {
    expect(revealScroll(0, 500, 2000, 150, 24)).toBe(2000 + 150 + 24 - 500);
  });

  it('shows the start of an item wider than the view', () => {
    expect(revealScroll(0, 100, 300, 150, 24)).toBe(276);
  });
});
