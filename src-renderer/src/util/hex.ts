/**
 * Bytes as the user types and reads them: hex (spaces allowed) and base64, parsed with errors
 * that point at the offending character, plus the hex dump rows of the frame detail. No Node
 * Buffer here: this runs in the renderer.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const HEX_DIGIT = /^[0-9a-fA-F]$/;

/** Shows a character so that a space, a tab or a control character is visible in a message. */
function showChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `“${char}”`;
}

/**
 * Parses hex such as `de ad be ef`, `DEADBEEF` or `0x01 0x02`. Whitespace separates groups;
 * each group needs an even number of digits, so a missing digit is caught where it happens.
 */
export function parseHex(input: string): Parsed<Uint8Array> {
  const digits: string[] = [];
  const groupPattern = /\S+/g;
  for (let match = groupPattern.exec(input); match; match = groupPattern.exec(input)) {
    let group = match[0];
    let start = match.index;
    if (/^0[xX]/.test(group)) {
      group = group.slice(2);
      start += 2;
    }
    for (let i = 0; i < group.length; i++) {
      const char = group[i] ?? '';
      if (!HEX_DIGIT.test(char)) {
        return { ok: false, error: `${showChar(char)} at position ${start + i + 1} is not a hex digit (0–9, a–f).` };
      }
    }
    if (group.length % 2 !== 0) {
      return {
        ok: false,
        error: `“${match[0]}” at position ${match.index + 1} has an odd number of hex digits: each byte needs two.`,
      };
    }
    digits.push(group);
  }
  const all = digits.join('');
  const bytes = new Uint8Array(all.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(all.slice(i * 2, i * 2 + 2), 16);
  return { ok: true, value: bytes };
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUES = new Map<string, number>([...BASE64_ALPHABET].map((c, i) => [c, i]));
// The URL-safe alphabet is accepted too: people paste tokens in either form.
BASE64_VALUES.set('-', 62);
BASE64_VALUES.set('_', 63);

/** Parses base64 (standard or URL-safe, padding optional, whitespace ignored). */
export function parseBase64(input: string): Parsed<Uint8Array> {
  const values: number[] = [];
  let padding = 0;
  for (let i = 0; i < input.length; i++) {
    const char = input[i] ?? '';
    if (/\s/.test(char)) continue;
    if (char === '=') {
      padding += 1;
      if (padding > 2) return { ok: false, error: `Too much “=” padding at position ${i + 1}: base64 ends with at most two.` };
      continue;
    }
    const value = BASE64_VALUES.get(char);
    if (value === undefined) {
      return { ok: false, error: `${showChar(char)} at position ${i + 1} is not a base64 character (A–Z, a–z, 0–9, +, /).` };
    }
    if (padding > 0) return { ok: false, error: `“=” padding may only come at the end (found a character after it at position ${i + 1}).` };
    values.push(value);
  }
  const remainder = values.length % 4;
  if (remainder === 1) {
    return {
      ok: false,
      error: `${values.length} base64 characters cannot be decoded: every 4 characters make 3 bytes, and 1 left-over character makes no byte. A character is probably missing or extra.`,
    };
  }
  if (padding > 0 && (values.length + padding) % 4 !== 0) {
    return { ok: false, error: 'The “=” padding does not match the length: base64 comes in groups of 4 characters.' };
  }
  const bytes = new Uint8Array(Math.floor((values.length * 3) / 4));
  let out = 0;
  for (let i = 0; i < values.length; i += 4) {
    const a = values[i] ?? 0;
    const b = values[i + 1] ?? 0;
    const c = values[i + 2] ?? 0;
    const d = values[i + 3] ?? 0;
    const triple = (a << 18) | (b << 12) | (c << 6) | d;
    if (out < bytes.length) bytes[out++] = (triple >> 16) & 0xff;
    if (out < bytes.length) bytes[out++] = (triple >> 8) & 0xff;
    if (out < bytes.length) bytes[out++] = triple & 0xff;
  }
  return { ok: true, value: bytes };
}

/** Standard base64 with padding: what the contract's `session:send` accepts. */
export function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1] ?? 0;
    const c = bytes[i + 2] ?? 0;
    const triple = (a << 16) | (b << 8) | c;
    out += BASE64_ALPHABET[(triple >> 18) & 63];
    out += BASE64_ALPHABET[(triple >> 12) & 63];
    out += i + 1 < bytes.length ? BASE64_ALPHABET[(triple >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? BASE64_ALPHABET[triple & 63] : '=';
  }
  return out;
}

const HEX_BYTES: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `68 65 6c 6c 6f` (or without separator). */
export function bytesToHex(bytes: Uint8Array, separator = ' '): string {
  const parts: string[] = new Array<string>(bytes.length);
  for (let i = 0; i < bytes.length; i++) parts[i] = HEX_BYTES[bytes[i] ?? 0] ?? '00';
  return parts.join(separator);
}

export const HEX_ROW_BYTES = 16;

export interface HexRow {
  /** Offset of the row's first byte, 8 hex digits. */
  offset: string;
  /** Two groups of eight bytes, padded so the ASCII column lines up on the last row. */
  hex: string;
  /** Printable ASCII, a dot for anything else. */
  ascii: string;
}

/** One row of a hex dump: `perRow` bytes (16, or 8 in a narrow pane) from `row * perRow`. */
export function hexRow(bytes: Uint8Array, row: number, perRow: number = HEX_ROW_BYTES): HexRow {
  const start = row * perRow;
  const cells: string[] = [];
  let ascii = '';
  for (let i = 0; i < perRow; i++) {
    const index = start + i;
    if (index < bytes.length) {
      const byte = bytes[index] ?? 0;
      cells.push(HEX_BYTES[byte] ?? '00');
      ascii += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
    } else {
      cells.push('  ');
    }
  }
  const half = perRow / 2;
  const hex = `${cells.slice(0, half).join(' ')}  ${cells.slice(half).join(' ')}`;
  return { offset: start.toString(16).padStart(8, '0'), hex, ascii };
}

export function hexRowCount(bytes: Uint8Array, perRow: number = HEX_ROW_BYTES): number {
  return Math.ceil(bytes.length / perRow);
}

/** The whole dump as text, as the Hex view shows it (for the clipboard). */
export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  const rows = hexRowCount(bytes);
  for (let row = 0; row < rows; row++) {
    const r = hexRow(bytes, row);
    lines.push(`${r.offset}  ${r.hex}  ${r.ascii}`);
  }
  return lines.join('\n');
}
