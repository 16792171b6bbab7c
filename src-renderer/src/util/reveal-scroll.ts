/**
 * The scroll offset that brings an item fully into a scrolled strip (with `pad` of room to
 * spare at the side it came in from), or the current offset when it is already in view.
 */
export function revealScroll(scroll: number, viewSize: number, itemStart: number, itemSize: number, pad = 0): number {
  const itemEnd = itemStart + itemSize;
  if (itemStart >= scroll && itemEnd <= scroll + viewSize) return scroll;
  // Wider than the strip: its start (where the name is) wins.
  if (itemStart < scroll || itemSize + pad >= viewSize) return Math.max(0, itemStart - pad);
  return itemEnd + pad - viewSize;
}
