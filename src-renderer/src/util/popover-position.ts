/**
 * Where a popover or menu goes so that it stays inside the window: below its anchor (above
 * when there is more room there), aligned to the anchor's start or end edge, shifted back
 * inside when it would cross a side, and never taller than the room it has.
 */

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Size {
  width: number;
  height: number;
}

export interface PopoverOptions {
  /** Which anchor edge the popover lines up with: its left edge ('start') or its right ('end'). */
  align: 'start' | 'end';
  /** Space between anchor and popover. */
  gap: number;
  /** Space kept free at the window's edges. */
  margin: number;
}

export interface PopoverPlacement {
  left: number;
  top: number;
  /** The height it may take; its content scrolls beyond that. */
  maxHeight: number;
  /** The width it may take (the window may be narrower than the popover wants). */
  maxWidth: number;
  side: 'below' | 'above';
}

export const DEFAULT_POPOVER: PopoverOptions = { align: 'end', gap: 4, margin: 8 };

export function placePopover(anchor: Box, popover: Size, viewport: Size, options: PopoverOptions = DEFAULT_POPOVER): PopoverPlacement {
  const { gap, margin } = options;
  const maxWidth = Math.max(0, viewport.width - 2 * margin);
  const width = Math.min(popover.width, maxWidth);
  const wanted = options.align === 'end' ? anchor.left + anchor.width - width : anchor.left;
  const left = clamp(wanted, margin, viewport.width - margin - width);

  const roomBelow = viewport.height - margin - (anchor.top + anchor.height + gap);
  const roomAbove = anchor.top - gap - margin;
  // Below unless it does not fit there and the room above is larger.
  const side = popover.height <= roomBelow || roomBelow >= roomAbove ? 'below' : 'above';
  const room = Math.max(0, side === 'below' ? roomBelow : roomAbove);
  const height = Math.min(popover.height, room);
  const top = side === 'below' ? anchor.top + anchor.height + gap : anchor.top - gap - height;
  return { left, top: Math.max(margin, top), maxHeight: room, maxWidth, side };
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(value, max));
}
