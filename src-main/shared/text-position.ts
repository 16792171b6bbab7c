/**
 * Where an offset falls in a text, as an editor shows it. The engine's JSON syntax check
 * (profiles) and the renderer's JSON parser (the inspector) both report errors this way.
 */

/** 1-based line and column of a 0-based offset; the column counts UTF-16 units, like an editor's. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
