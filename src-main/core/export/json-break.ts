/**
 * Where a log's JSON breaks, in words a user can find in the file: the parser's reason without
 * its character count, the line and column it points at, and whether the text simply ends
 * before the JSON does (a file cut short, the common case of a copy or download stopped midway).
 */

export interface JsonBreak {
  /** `unterminated string` */
  reason: string;
  /** 1-based, where the parser stopped; absent when it does not say (an unexpected token). */
  at?: { line: number; column: number };
  /** The text ended inside the JSON: it looks cut short. */
  endsEarly: boolean;
}

/** `error` is what JSON.parse threw for `text`. */
export function jsonBreak(text: string, error: unknown): JsonBreak {
  const message = error instanceof Error ? error.message : String(error);
  const reason = plainReason(message);
  const position = /\bat position (\d+)/.exec(message);
  if (/^Unexpected end of JSON input/.test(message)) return { reason, at: lineAndColumn(text, text.length), endsEarly: true };
  if (!position) return { reason, endsEarly: false };
  const offset = Math.min(Number(position[1]), text.length);
  return { reason, at: lineAndColumn(text, offset), endsEarly: offset >= text.trimEnd().length };
}

/** `line 3, column 41`, or nothing when the parser did not say. */
export function breakPlace(broken: JsonBreak, withLine: boolean): string {
  if (!broken.at) return '';
  return withLine ? ` at line ${broken.at.line}, column ${broken.at.column}` : ` at column ${broken.at.column}`;
}

/** V8's reason, lower-cased at the start, without "in JSON at position N" or its quote of the text. */
function plainReason(message: string): string {
  const reason = message
    .replace(/\s*in JSON at position \d+.*$/s, '')
    .replace(/, ".*" is not valid JSON$/s, '')
    .replace(/^Unexpected end of JSON input$/, 'the JSON is not complete')
    .trim();
  return reason === '' ? 'not valid' : reason.charAt(0).toLowerCase() + reason.slice(1);
}

/** 1-based line and column (in UTF-16 units, as editors count for most text). */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
