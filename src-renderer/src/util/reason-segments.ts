/**
 * Splits the engine's reason text ("NO_PROXY entry `.corp` matched") into plain and code
 * segments, so the template can show the code parts in monospace without ever using v-html.
 */
export interface ReasonSegment {
  text: string;
  code: boolean;
}

export function reasonSegments(reason: string): ReasonSegment[] {
  const parts = reason.split('`');
  // An odd number of backticks leaves the last one unmatched: keep it as plain text.
  if (parts.length % 2 === 0) return [{ text: reason, code: false }];
  return parts.map((text, i) => ({ text, code: i % 2 === 1 })).filter((s) => s.text !== '');
}
