/**
 * The note said of a frame decoded without the frames before it (the engine had not read that
 * far yet: core/decode/frame-decode-cache.ts), so the user sees that state set earlier (an MQTT 5
 * topic alias, a GraphQL id) may be missing. The engine flags such an answer (`unread` in
 * `frames:decode`, shared/decoding.ts; its summary is the decoder's) and the renderer words the
 * note from that flag (a row's tooltip).
 */

/** " — decoded without the 812,280 frames before #812,281 (not read yet)". */
export function unreadNote(frames: number, from: number): string {
  return ` — decoded without the ${frames.toLocaleString('en-US')} frames before #${from.toLocaleString('en-US')} (not read yet)`;
}

/**
 * " — decoded without the 4,000 frames before #4,001 (dropped from memory)": the decoder never read
 * them and never will (the store dropped them past its frame limit: `withoutEvicted` in
 * `frames:decode`), so unlike the note above nothing is promised.
 */
export function evictedNote(frames: number, from: number): string {
  return ` — decoded without the ${frames.toLocaleString('en-US')} frames before #${from.toLocaleString('en-US')} (dropped from memory)`;
}
