/**
 * A message cut into runs, file names apart ("Flood-local.tunnelscope.json", a saved path), so
 * a narrow box wraps at the words around a file name and never inside it.
 */
export interface TextRun {
  text: string;
  fileName: boolean;
}

// A run without spaces ending in a dotted extension; a closing comma or period stays outside.
const FILE_NAME = /[^\s"“”'‘’()]+\.[A-Za-z0-9]{1,12}(?=[,.;:!?)”’"']*(?:\s|$))/g;

export function fileNameRuns(message: string): TextRun[] {
  const runs: TextRun[] = [];
  let at = 0;
  for (const match of message.matchAll(FILE_NAME)) {
    const start = match.index;
    if (start > at) runs.push({ text: message.slice(at, start), fileName: false });
    runs.push({ text: match[0], fileName: true });
    at = start + match[0].length;
  }
  if (at < message.length) runs.push({ text: message.slice(at), fileName: false });
  return runs;
}
