/**
 * The note said of a frame decoded without the frames before it (the engine had not read that
 * far yet: core/decode/frame-decode-cache.ts), so the user sees that state set earlier (an MQTT 5
 * topic alias, a GraphQL id) may be missing. The engine's cache ends such a summary with it;
 * `frames:decode` sends the summary without it and the flag `unread` instead (shared/decoding.ts),
 * and the renderer words it again from that flag (a row's tooltip, the detail pane).
 */

/** " — decoded without the 812,280 frames before #812,281 (not read yet)". */
export function unreadNote(frames: number, from: number): string {
  return ` — decoded without the ${frames.toLocaleString('en-US')} frames before #${from.toLocaleString('en-US')} (not read yet)`;
}

/** The summary without the note `unreadNote(frames, from)` added to it (as it is sent: `unread` says it). */
export function withoutUnreadNote(summary: string, frames: number, from: number): string {
  const note = unreadNote(frames, from);
  return summary.endsWith(note) ? summary.slice(0, -note.length) : summary;
}
