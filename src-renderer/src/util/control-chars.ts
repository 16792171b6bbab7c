/**
 * Control characters in a payload's text, shown as escapes. C0 controls other than tab, line
 * feed and carriage return, and DEL, have no glyph in the app's fonts: Chromium draws a box
 * (STOMP's NUL frame end, SignalR's record separator 0x1E), which says nothing. Display only:
 * search, copy and export keep the characters as they are.
 */

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const C0_NAMES = [
  'NUL', 'SOH', 'STX', 'ETX', 'EOT', 'ENQ', 'ACK', 'BEL', 'BS', 'HT', 'LF', 'VT', 'FF', 'CR', 'SO', 'SI',
  'DLE', 'DC1', 'DC2', 'DC3', 'DC4', 'NAK', 'SYN', 'ETB', 'CAN', 'EM', 'SUB', 'ESC', 'FS', 'GS', 'RS', 'US',
] as const;

/** A piece of text as shown: plain, or one control character as its escape with its name. */
export interface TextRun {
  text: string;
  /** For a control character: its name and code, e.g. "NUL (0x00)". */
  control?: string;
}

export function hasControlChars(text: string): boolean {
  return CONTROL.test(text);
}

/** `\0` for NUL (as STOMP's specification writes it), else `\x1e` and the like. */
export function controlEscape(code: number): string {
  return code === 0 ? '\\0' : `\\x${code.toString(16).padStart(2, '0')}`;
}

export function controlName(code: number): string {
  return `${C0_NAMES[code] ?? 'DEL'} (0x${code.toString(16).padStart(2, '0')})`;
}

/** The text as runs: each control character a run of its own, plain text between them. */
export function controlRuns(text: string): TextRun[] {
  if (!hasControlChars(text)) return [{ text }];
  const runs: TextRun[] = [];
  let at = 0;
  for (const found of text.matchAll(CONTROLS)) {
    if (found.index > at) runs.push({ text: text.slice(at, found.index) });
    const code = text.charCodeAt(found.index);
    runs.push({ text: controlEscape(code), control: controlName(code) });
    at = found.index + 1;
  }
  if (at < text.length) runs.push({ text: text.slice(at) });
  return runs;
}
