/** Reads the parts of an HTTP start line the UI shows apart (status code, reason phrase). */

export interface StatusLine {
  version: string;
  status: number;
  reason: string;
}

/** "HTTP/1.0 500 handshakefailed" → { version: "HTTP/1.0", status: 500, reason: "handshakefailed" }. */
export function parseStatusLine(line: string): StatusLine | null {
  const match = /^(HTTP\/\d(?:\.\d)?)\s+(\d{3})(?:\s+(.*))?$/.exec(line.trim());
  if (!match || match[1] === undefined || match[2] === undefined) return null;
  return { version: match[1], status: Number(match[2]), reason: (match[3] ?? '').trim() };
}

/** "HTTP/1.1 407 Proxy Authentication Required" → "407 Proxy Authentication Required"; other text as is. */
export function statusSummary(line: string): string {
  const parsed = parseStatusLine(line);
  if (!parsed) return line.trim();
  return parsed.reason ? `${parsed.status} ${parsed.reason}` : String(parsed.status);
}
