/**
 * Text from outside (a server's answer, a frame, a profile name, a URL, an error message)
 * printed to a terminal: every character a terminal could act on is shown escaped instead, so
 * nothing printed can move the cursor, retitle the window (OSC), clear the screen (CSI), ring
 * the bell, or reorder what follows (bidi overrides). One line stays one line.
 */

/**
 * C0 controls and DEL, C1 controls (U+0080–U+009F: 8-bit CSI, OSC …), the bidi embeddings,
 * overrides and isolates (U+202A–U+202E, U+2066–U+2069), and the line/paragraph separators.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escaped(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  const code = c.charCodeAt(0);
  // \u for DEL and above: the same text as JSON's escape, so a JSON line stays valid JSON.
  return code < 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every control character, ESC sequence introducer and bidi override shown escaped. */
export function printable(text: string): string {
  return text.replace(UNSAFE, escaped);
}

/** What JSON.stringify leaves unescaped that a terminal acts on (the g form for replace, the other for a test). */
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const JSON_UNSAFE_ANY = new RegExp(JSON_UNSAFE.source);

/**
 * A JSON line safe for a terminal: JSON.stringify already escapes C0 controls (ESC, BEL),
 * but not DEL, C1 controls or bidi overrides; those become `\uXXXX`, which is still the same JSON.
 */
export function terminalJson(value: unknown): string {
  return terminalJsonText(JSON.stringify(value));
}

/** JSON text (one line or pretty-printed) with the same escapes: those characters only occur inside its strings. */
export function terminalJsonText(json: string): string {
  if (!JSON_UNSAFE_ANY.test(json)) return json;
  return json.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** UNSAFE without the g flag, for a test that keeps no lastIndex. */
const UNSAFE_ANY = new RegExp(UNSAFE.source);

/** The colour codes (SGR) Tunnelscope's own palette writes: all a coloured line may keep. */
const SGR_OR_UNSAFE = /(\u001b\[[0-9;]{0,12}m)|[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * A line as it may reach the terminal: the safety net under the field-by-field escaping.
 * Without colours nothing a terminal acts on survives; with colours only SGR colour codes
 * do (they change colours, never the cursor, the title or the screen).
 */
export function terminalLine(line: string, colours: boolean): string {
  // Most lines hold nothing to escape: one scan for a control character (ESC included) says so
  // at a fraction of what the replace with its alternation costs (it runs for every frame).
  if (!UNSAFE_ANY.test(line)) return line;
  return line.replace(SGR_OR_UNSAFE, (match: string, sgr: string | undefined) => (sgr !== undefined && colours ? match : printable(match)));
}

export interface LineWriter {
  out(line: string): void;
  err(line: string): void;
}

/** UNSAFE but for the line feed: what a run of lines joined by \n must not hold to pass as it is. */
const UNSAFE_BUT_LINE_FEED = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/**
 * `writer` with every line passed through terminalLine. Stdout lines are gathered and handed on
 * together once the current task is done (a microtask): a frame batch's 500 lines become one
 * write (one system call) and one scan for anything to escape instead of 500 of each; only
 * when the scan finds something does each line go through terminalLine. A stderr line first
 * hands on what stdout has gathered, so both still appear in the order they were printed.
 */
export function terminalWriter(writer: LineWriter, colours: boolean): LineWriter {
  let gathered: string[] = [];
  const flush = (): void => {
    if (gathered.length === 0) return;
    const lines = gathered;
    gathered = [];
    const chunk = lines.join('\n');
    writer.out(UNSAFE_BUT_LINE_FEED.test(chunk) ? lines.map((line) => terminalLine(line, colours)).join('\n') : chunk);
  };
  return {
    out: (line) => {
      if (gathered.length === 0) queueMicrotask(flush);
      gathered.push(line);
    },
    err: (line) => {
      flush();
      writer.err(terminalLine(line, colours));
    },
  };
}
