/**
 * Where a text or regular-expression search hits a row's preview, as segments to render with
 * <mark>. The engine decides which frames match (over the whole payload); this only marks
 * what the preview shows of it, so a match beyond the preview marks the row, not its text.
 */
import { payloadAsOf, type SearchQuery } from '../frame-view/frame-filter';

export interface Segment {
  text: string;
  match: boolean;
}

/** Marks at most this many hits in one preview. */
const MAX_MARKS = 20;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A global pattern for the search, or null (no search, JSONPath, hex or base64 bytes, or a pattern that does not compile). */
export function highlightPattern(search: SearchQuery): RegExp | null {
  if (search.query.trim() === '' || search.mode === 'jsonpath' || payloadAsOf(search) !== 'text') return null;
  const source = search.mode === 'regex' ? search.query : escapeRegExp(search.query);
  try {
    return new RegExp(source, search.caseSensitive ? 'g' : 'gi');
  } catch {
    return null;
  }
}

/** The text cut into plain and matching segments (one plain segment when nothing matches). */
export function highlightSegments(text: string, pattern: RegExp | null): Segment[] {
  if (!pattern || text === '') return [{ text, match: false }];
  const segments: Segment[] = [];
  let at = 0;
  let marks = 0;
  pattern.lastIndex = 0;
  for (let found = pattern.exec(text); found !== null && marks < MAX_MARKS; found = pattern.exec(text)) {
    const hit = found[0];
    if (hit === '') {
      // An empty match (e.g. /x*/) marks nothing; step past it so the loop ends.
      pattern.lastIndex += 1;
      continue;
    }
    if (found.index > at) segments.push({ text: text.slice(at, found.index), match: false });
    segments.push({ text: hit, match: true });
    at = found.index + hit.length;
    marks += 1;
  }
  if (at < text.length) segments.push({ text: text.slice(at), match: false });
  return segments.length > 0 ? segments : [{ text, match: false }];
}
