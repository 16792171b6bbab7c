/**
 * Outside text inside a decoder's words (a library's error message that quotes the bytes it
 * refused, as V8's JSON.parse does) with its control characters written as \xNN, so a problem
 * never shows raw control bytes (decoded-frame.ts `quote` does the same for text it quotes).
 */
const CONTROLS = /[\u0000-\u001f\u007f]/g;

export function withoutControls(text: string): string {
  return text.replace(CONTROLS, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
