/**
 * The few GVariant text forms `gsettings get` prints for the proxy keys: a string
 * (`'proxy.corp'`, or in double quotes when it holds a single quote), an integer (`8080`,
 * maybe typed: `int32 8080`), a string array (`['localhost', '::1']`, `@as []`). Each reader
 * answers a value or a problem in words; nothing here throws.
 */
export type TextRead<T> = { ok: true; value: T } | { ok: false; problem: string };

export function readGString(text: string): TextRead<string> {
  const read = stringAt(text.trim(), 0);
  if (!read.ok) return read;
  if (read.value.end !== text.trim().length) return { ok: false, problem: 'there is more after the quoted string' };
  return { ok: true, value: read.value.text };
}

export function readGInt(text: string): TextRead<number> {
  const match = /^(?:u?int(?:16|32|64)\s+|byte\s+)?(-?\d{1,10})$/.exec(text.trim());
  if (match?.[1] === undefined) return { ok: false, problem: 'not a whole number' };
  return { ok: true, value: Number.parseInt(match[1], 10) };
}

export function readGStringArray(text: string): TextRead<string[]> {
  let rest = text.trim();
  if (rest.startsWith('@as ')) rest = rest.slice(4).trim();
  if (!rest.startsWith('[') || !rest.endsWith(']')) return { ok: false, problem: 'not a list of strings' };
  const values: string[] = [];
  let at = 1;
  const skipSpace = (): void => {
    while (at < rest.length && /\s/.test(rest.charAt(at))) at += 1;
  };
  skipSpace();
  if (rest.charAt(at) === ']') return at === rest.length - 1 ? { ok: true, value: values } : { ok: false, problem: 'there is more after the list' };
  for (;;) {
    skipSpace();
    const read = stringAt(rest, at);
    if (!read.ok) return { ok: false, problem: `entry ${values.length + 1}: ${read.problem}` };
    values.push(read.value.text);
    at = read.value.end;
    skipSpace();
    const next = rest.charAt(at);
    if (next === ']') return at === rest.length - 1 ? { ok: true, value: values } : { ok: false, problem: 'there is more after the list' };
    if (next !== ',') return { ok: false, problem: `entry ${values.length} is not followed by a comma` };
    at += 1;
  }
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', a: '\u0007' };

/** A quoted string starting at `start`, with GLib's escapes (\\ \' \" \n \uXXXX …). */
function stringAt(text: string, start: number): TextRead<{ text: string; end: number }> {
  const quote = text.charAt(start);
  if (quote !== "'" && quote !== '"') return { ok: false, problem: 'not a quoted string' };
  let out = '';
  for (let at = start + 1; at < text.length; at += 1) {
    const char = text.charAt(at);
    if (char === quote) return { ok: true, value: { text: out, end: at + 1 } };
    if (char !== '\\') {
      out += char;
      continue;
    }
    at += 1;
    const escaped = text.charAt(at);
    const unicode = escaped === 'u' ? /^[0-9a-fA-F]{4}/.exec(text.slice(at + 1)) : escaped === 'U' ? /^[0-9a-fA-F]{8}/.exec(text.slice(at + 1)) : null;
    if (unicode !== null) {
      const codePoint = Number.parseInt(unicode[0], 16);
      if (codePoint > 0x10ffff) return { ok: false, problem: 'a \\U escape beyond Unicode' };
      out += String.fromCodePoint(codePoint);
      at += unicode[0].length;
    } else {
      out += ESCAPES[escaped] ?? escaped;
    }
  }
  return { ok: false, problem: 'the quoted string does not end' };
}
