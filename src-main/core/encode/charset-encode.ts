/**
 * Text written in a WHATWG encoding (the charset a STOMP body's content-type names), for the
 * composer: the inverse of what the decoders read (stomp-charset.ts decodeIn), so the log shows
 * the body as typed. Node writes only UTF-8 and UTF-16LE itself (Buffer); every other encoding
 * is written from a table made by decoding its bytes once, when first asked: each single byte,
 * and for the double-byte encodings (shift_jis, euc-jp, euc-kr, big5, gbk, gb18030) each lead
 * and trail pair, in one non-fatal decode of all pairs (8-37 ms of CPU once per encoding, Node
 * 20, load 13-19; a fatal decode of each pair took 0.8 s for euc-kr, most of it in throws). A character is written as the first bytes found for it. Left out: gb18030's
 * four-byte forms and iso-2022-jp's escapes (their characters are refused, not sent wrong).
 * Whatever the table says, the bytes are decoded back and must give the text (`written`).
 */
import { TextDecoder } from 'node:util';
import { decodeIn } from '../decode/stomp-charset';

/** The bytes, or the first character the encoding cannot hold (its index in the text, in UTF-16 units). */
export type Written = { ok: true; bytes: Uint8Array } | { ok: false; index: number; character: string };

/** The WHATWG encodings whose characters take two bytes (and ASCII one). */
const DOUBLE_BYTE = new Set(['shift_jis', 'euc-jp', 'euc-kr', 'big5', 'gbk', 'gb18030', 'iso-2022-jp']);

/** Per encoding: each character (a code point, as a string) and its bytes. */
const tables = new Map<string, Map<string, Uint8Array>>();

function single(code: string): boolean {
  const first = code.codePointAt(0);
  return first !== undefined && code.length === (first > 0xffff ? 2 : 1);
}

function tableOf(encoding: string): Map<string, Uint8Array> {
  let table = tables.get(encoding);
  if (table) return table;
  table = new Map();
  for (let byte = 0; byte <= 0xff; byte++) {
    const text = decodeIn(encoding, Uint8Array.of(byte));
    if (text !== undefined && single(text) && !table.has(text)) table.set(text, Uint8Array.of(byte));
  }
  if (DOUBLE_BYTE.has(encoding)) {
    // Every lead (0x81-0xFE) and trail (0x30-0xFE) pair, each followed by a newline: the
    // decoder's replacement for a pair it refuses gives back an ASCII trail and the newline, so
    // the pieces line up with the pairs (checked: otherwise no pair is taken).
    const pairs: number[] = [];
    for (let lead = 0x81; lead <= 0xfe; lead++) for (let trail = 0x30; trail <= 0xfe; trail++) pairs.push((lead << 8) | trail);
    const bytes = new Uint8Array(pairs.length * 3);
    pairs.forEach((pair, i) => bytes.set([pair >> 8, pair & 0xff, 0x0a], i * 3));
    const pieces = new TextDecoder(encoding).decode(bytes).split('\n');
    if (pieces.length === pairs.length + 1) {
      pairs.forEach((pair, i) => {
        const text = pieces[i] ?? '';
        if (text !== '\ufffd' && single(text) && !table?.has(text)) table?.set(text, Uint8Array.of(pair >> 8, pair & 0xff));
      });
    }
  }
  tables.set(encoding, table);
  return table;
}

function viaTable(text: string, encoding: string): Written {
  const table = tableOf(encoding);
  const parts: Uint8Array[] = [];
  let length = 0;
  let index = 0;
  for (const character of text) {
    const bytes = table.get(character);
    if (bytes === undefined) return { ok: false, index, character };
    parts.push(bytes);
    length += bytes.byteLength;
    index += character.length;
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return { ok: true, bytes: out };
}

function utf16(text: string, bigEndian: boolean): Uint8Array {
  const bytes = Buffer.from(text, 'utf16le');
  if (bigEndian) bytes.swap16();
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Written without the read-back check (UTF-16 by Buffer, the others by their table). */
function unchecked(encoding: string, text: string): Written {
  if (encoding === 'utf-16le' || encoding === 'utf-16be') return { ok: true, bytes: utf16(text, encoding === 'utf-16be') };
  return viaTable(text, encoding);
}

/**
 * The first character the bytes read back lost: where the text read back (`decoded`) leaves it,
 * or when the bytes were not valid at all, the first character not read back alone.
 */
function firstLost(encoding: string, text: string, decoded: string | undefined): { index: number; character: string } {
  let index = 0;
  for (const character of text) {
    const alone = unchecked(encoding, character);
    const lost = decoded === undefined ? !alone.ok || decodeIn(encoding, alone.bytes) !== character : !decoded.startsWith(character, index);
    if (lost) return { index, character };
    index += character.length;
  }
  return { index: 0, character: text.slice(0, 1) };
}

/** `text` in `encoding` (a WHATWG name stomp-charset.ts encodingOf gave), or the first character it cannot hold. */
export function writeIn(encoding: string, text: string): Written {
  if (encoding === 'utf-8') return { ok: true, bytes: new Uint8Array(Buffer.from(text, 'utf8')) };
  const written = unchecked(encoding, text);
  if (!written.ok) return written;
  // Read back as the decoders read it: a lone surrogate in UTF-16, or a sequence a table cannot see.
  const decoded = decodeIn(encoding, written.bytes);
  return decoded === text ? written : { ok: false, ...firstLost(encoding, text, decoded) };
}
