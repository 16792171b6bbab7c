/**
 * Characters a name may not hold. A name is shown in the sidebar, tab titles, menus and the
 * terminal: there a control character shows as a box (or moves the terminal's cursor), a line
 * separator breaks the line, and a text-direction control reorders what follows it (U+202E
 * makes "txt.exe" read "exe.txt"). A lone surrogate is half a character that cannot be shown.
 * No Node imports: this file also runs in the renderer.
 */

const NAMES: ReadonlyMap<number, string> = new Map([
  [0x00, 'NULL'],
  [0x09, 'CHARACTER TABULATION'],
  [0x0a, 'LINE FEED'],
  [0x0d, 'CARRIAGE RETURN'],
  [0x1b, 'ESCAPE'],
  [0x7f, 'DELETE'],
  [0x85, 'NEXT LINE'],
  [0x061c, 'ARABIC LETTER MARK'],
  [0x200e, 'LEFT-TO-RIGHT MARK'],
  [0x200f, 'RIGHT-TO-LEFT MARK'],
  [0x2028, 'LINE SEPARATOR'],
  [0x2029, 'PARAGRAPH SEPARATOR'],
  [0x202a, 'LEFT-TO-RIGHT EMBEDDING'],
  [0x202b, 'RIGHT-TO-LEFT EMBEDDING'],
  [0x202c, 'POP DIRECTIONAL FORMATTING'],
  [0x202d, 'LEFT-TO-RIGHT OVERRIDE'],
  [0x202e, 'RIGHT-TO-LEFT OVERRIDE'],
  [0x2066, 'LEFT-TO-RIGHT ISOLATE'],
  [0x2067, 'RIGHT-TO-LEFT ISOLATE'],
  [0x2068, 'FIRST STRONG ISOLATE'],
  [0x2069, 'POP DIRECTIONAL ISOLATE'],
]);

/** C0, DEL, C1, the line/paragraph separators, the marks, embeddings, overrides and isolates. */
function refused(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f) || NAMES.has(code);
}

function hex(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

function describe(code: number, lone: boolean): string {
  if (lone) return `${hex(code)} (half of a surrogate pair, alone: not a character)`;
  const name = NAMES.get(code);
  if (name !== undefined) return `${hex(code)} ${name}`;
  return `${hex(code)} (a ${code < 0x80 ? '' : 'C1 '}control character)`;
}

/**
 * Why `name` cannot be a name, naming its first refused character and where it is (1-based,
 * counted in characters as a person counts them), or undefined when it can.
 */
export function nameCharacterProblem(name: string): string | undefined {
  let first: string | undefined;
  let count = 0;
  let position = 0;
  for (let i = 0; i < name.length; i++) {
    position += 1;
    const code = name.charCodeAt(i);
    let lone = false;
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = name.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i += 1; // a whole pair: one character, never a refused one
        continue;
      }
      lone = true;
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      lone = true;
    }
    if (!lone && !refused(code)) continue;
    count += 1;
    first ??= `${describe(code, lone)} at position ${position}`;
  }
  if (first === undefined) return undefined;
  const more = count > 1 ? ` (and ${count - 1} more such character${count === 2 ? '' : 's'})` : '';
  return `a name may not hold ${first}${more}: control characters, line breaks and text-direction controls garble it where it is shown`;
}
