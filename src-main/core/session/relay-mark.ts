/**
 * An intercepted frame's mark in the log (core/intercept/): edited (with its original payload),
 * dropped, or injected. The session stores it beside the frame (FrameStore.mark).
 */
import type { FrameMark } from '../../shared/intercept-control';

export interface RelayMark {
  mark: FrameMark;
  original?: Buffer;
}
