import { describe, expect, it } from 'vitest';
import { placePopover } from '../../../src-renderer/src/util/popover-position';

const VIEW = { width: 1280, height: 800 };
const OPTIONS = { align: 'end' as const, gap: 4, margin: 8 };

describe('placePopover', () => {
  it('opens below the anchor, its right edge on the anchor’s', () => {
    const anchor = { left: 1000, top: 100, width: 140, height: 24 };
    expect(placePopover(anchor, { width: 400, height: 200 }, VIEW, OPTIONS)).toEqual({ left: 740, top: 128, maxHeight: 800 - 8 - 128, maxWidth: 1264, side: 'below' });
  });

  it('shifts a popover that would leave by the left edge back inside', () => {
    const anchor = { left: 20, top: 100, width: 60, height: 24 };
    expect(placePopover(anchor, { width: 640, height: 100 }, VIEW, OPTIONS).left).toBe(8);
  });

  it('shifts a start-aligned popover that would leave by the right edge back inside', () => {
    const anchor = { left: 1200, top: 100, width: 60, height: 24 };
    const placed = placePopover(anchor, { width: 340, height: 100 }, VIEW, { ...OPTIONS, align: 'start' });
    expect(placed.left + 340).toBe(1280 - 8);
  });

  it('opens above an anchor near the bottom when there is more room there', () => {
    const anchor = { left: 900, top: 700, width: 140, height: 24 };
    const placed = placePopover(anchor, { width: 400, height: 300 }, VIEW, OPTIONS);
    expect(placed.side).toBe('above');
    expect(placed.top).toBe(700 - 4 - 300);
    expect(placed.top + 300).toBeLessThanOrEqual(700);
  });

  it('caps the height at the room it has, and a popover wider than the window at its width', () => {
    const anchor = { left: 100, top: 380, width: 100, height: 24 };
    const placed = placePopover(anchor, { width: 2000, height: 2000 }, { width: 600, height: 800 }, OPTIONS);
    expect(placed.maxWidth).toBe(584);
    expect(placed.left).toBe(8);
    expect(placed.side).toBe('below');
    expect(placed.maxHeight).toBe(800 - 8 - (380 + 24 + 4));
  });
});
