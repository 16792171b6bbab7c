/**
 * Where a search hits the bytes a hex view shows (a binary row's preview, the detail pane's
 * hex dump), as byte ranges and as segments to render with <mark>. Byte-aligned like the
 * engine's search: a hex search `88` marks a 0x88 byte, never the halves of `38 38`. A text
 * search marks the bytes of its UTF-8 (ASCII letters in either case unless "match case").
 */
import { payloadAsOf, searchBytes, hasSearch, type SearchQuery } from '../frame-view/frame-filter';
import type { Segment } from './highlight';

export interface ByteNeedle {
  bytes: Uint8Array;
  /** ASCII letters match in either case. */
  foldCase: boolean;
}

/** [start, end) in bytes. */
export interface ByteRange {
  start: number;
  end: number;
}

/** What to look for in bytes, or null (no search, a regular expression, JSONPath, bad hex). */
export function byteNeedle(search: SearchQuery): ByteNeedle | null {
  if (!hasSearch(search) || search.mode !== 'text') return null;
  if (payloadAsOf(search) !== 'text') {
    const bytes = searchBytes(search);
    return bytes ? { bytes, foldCase: false } : null;
  }
  return { bytes: new TextEncoder().encode(search.query), foldCase: !search.caseSensitive };
}

function lower(byte: number): number {
  return byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte;
}

/** Non-overlapping hits of the needle, at most `max`. */
export function findBytes(haystack: Uint8Array, needle: ByteNeedle, max = 1000): ByteRange[] {
  const n = needle.bytes;
  const hits: ByteRange[] = [];
  if (n.length === 0) return hits;
  const first = needle.foldCase ? lower(n[0] ?? 0) : (n[0] ?? 0);
  for (let at = 0; at + n.length <= haystack.length && hits.length < max; at++) {
    const b = haystack[at] ?? 0;
    if ((needle.foldCase ? lower(b) : b) !== first) continue;
    let k = 1;
    for (; k < n.length; k++) {
      const h = haystack[at + k] ?? 0;
      const w = n[k] ?? 0;
      if (needle.foldCase ? lower(h) !== lower(w) : h !== w) break;
    }
    if (k === n.length) {
      hits.push({ start: at, end: at + n.length });
      at += n.length - 1;
    }
  }
  return hits;
}

/** The bytes of a preview written as spaced hex (`38 38 ff`), a trailing `…` ignored. */
export function bytesOfSpacedHex(preview: string): Uint8Array {
  const pairs = preview.replace(/…$/, '').match(/[0-9a-fA-F]{2}/g) ?? [];
  return Uint8Array.from(pairs, (pair) => Number.parseInt(pair, 16));
}

/** Cuts text into plain and marked segments; `spans` are [start, end) character ranges, sorted. */
export function markSpans(text: string, spans: readonly ByteRange[]): Segment[] {
  const segments: Segment[] = [];
  let at = 0;
  for (const span of spans) {
    const start = Math.max(span.start, at);
    const end = Math.min(span.end, text.length);
    if (end <= start) continue;
    if (start > at) segments.push({ text: text.slice(at, start), match: false });
    segments.push({ text: text.slice(start, end), match: true });
    at = end;
  }
  if (at < text.length || segments.length === 0) segments.push({ text: text.slice(at), match: false });
  return segments;
}

/** A spaced hex preview (`38 38 ff…`) with the search's hits marked. */
export function hexPreviewSegments(preview: string, needle: ByteNeedle | null): Segment[] {
  if (!needle) return [{ text: preview, match: false }];
  // Byte i is characters [3i, 3i + 2) of `xx xx xx`.
  const spans = findBytes(bytesOfSpacedHex(preview), needle, 20).map((r) => ({ start: r.start * 3, end: r.end * 3 - 1 }));
  return markSpans(preview, spans);
}

/**
 * Marks for one row of a hex dump (`hexRow`: cells of two digits, one space between them, two
 * between the halves) and its ASCII column, from the payload's hit ranges.
 */
export function hexRowMarks(
  rowStart: number,
  perRow: number,
  hits: readonly ByteRange[],
): { hex: ByteRange[]; ascii: ByteRange[] } {
  const half = perRow / 2;
  const cellAt = (i: number): number => (i < half ? 3 * i : 3 * i + 1);
  const hex: ByteRange[] = [];
  const ascii: ByteRange[] = [];
  for (const hit of hits) {
    const from = Math.max(hit.start, rowStart) - rowStart;
    const to = Math.min(hit.end, rowStart + perRow) - rowStart;
    if (to <= from) continue;
    hex.push({ start: cellAt(from), end: cellAt(to - 1) + 2 });
    ascii.push({ start: from, end: to });
  }
  return { hex, ascii };
}
