/**
 * Bytes as the user reads them: hex, base64 and the hex dump rows of the frame detail. Parsing
 * what the user types lives in the contract (shared/byte-text.ts, the engine parses a hex
 * search the same way) and is re-exported here. No Node Buffer here: this runs in the renderer.
 */

export { parseBase64, parseHex, type Parsed } from '../../../src-main/shared/byte-text';

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

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

/**
 * Hex digits an offset needs for a payload of `length` bytes: at least 4 (a frame under 64 KiB
 * shows `0010`, not `00000010`: in a narrow detail pane the four saved characters are what the
 * ASCII column needs), more for larger payloads.
 */
export function offsetDigits(length: number): number {
  return Math.max(4, Math.max(0, length - 1).toString(16).length);
}

/**
 * One row of a hex dump: `perRow` bytes (16, or 8 in a narrow pane) from `row * perRow`, the
 * offset in `digits` hex digits (8, the classic dump's, unless told).
 */
export function hexRow(bytes: Uint8Array, row: number, perRow: number = HEX_ROW_BYTES, digits = 8): HexRow {
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
  return { offset: start.toString(16).padStart(digits, '0'), hex, ascii };
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
