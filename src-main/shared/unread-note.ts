/**
 * The note a decoded summary ends with when its frame was decoded without the frames before it
 * (the engine had not read that far yet: core/decode/frame-decode-cache.ts), so the user sees
 * that state set earlier (an MQTT 5 topic alias, a GraphQL id) may be missing. The renderer asks
 * such a frame again later (the engine reads up to it meanwhile); both ends use this one wording.
 */

/** " — decoded without the 812,280 frames before #812,281 (not read yet)". */
export function unreadNote(frames: number, from: number): string {
  return ` — decoded without the ${frames.toLocaleString('en-US')} frames before #${from.toLocaleString('en-US')} (not read yet)`;
}

const UNREAD_NOTE = / — decoded without the [\d,]+ frames before #[\d,]+ \(not read yet\)$/;

/** Whether a decoded summary carries the note (the frame is worth asking again). */
export function hasUnreadNote(summary: string): boolean {
  return UNREAD_NOTE.test(summary);
}
