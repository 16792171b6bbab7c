/**
 * Regular expressions for search, compiled so that no pattern can freeze the engine with
 * catastrophic backtracking (`(a+)+$` on "aaaa…!"), while ordinary patterns keep V8's fast
 * backtracking engine.
 *
 * What we chose, and why:
 * - V8 has a second, linear-time regexp engine. With
 *   `--enable-experimental-regexp-engine-on-excessive-backtracks`, a regexp that backtracks
 *   more than a threshold (V8's default, 50,000 backtracks per match attempt) is re-run on
 *   the linear engine, so one exec can no longer take exponential time. We set that flag
 *   (and `--enable-experimental-regexp-engine`, which lets us ask whether a pattern can run
 *   on the linear engine: the `l` flag) once, the first time a search regex is compiled.
 * - The linear engine cannot run backreferences (`\1`, `\k<name>`) or lookaround (`(?=`,
 *   `(?!`, `(?<=`, `(?<!`): for those the fallback cannot help, so search refuses them with
 *   a clear error rather than risk a freeze. (Whatever the running V8's linear engine
 *   accepts is allowed: newer V8 versions accept more.)
 * - The linear engine in older V8 (Node 20) does not take the `i` flag, so case-insensitive
 *   search rewrites the pattern instead: every letter becomes a class of both cases (`a` →
 *   `[aA]`, `[a-f]` → `[a-fA-F]`). Escapes (`\d`, `\x41`, `\k<name>` …) are left as they are.
 * - On top of that, the search itself runs in chunks with a time budget and yields between
 *   them (frame-search.ts), so it stays cancellable and never holds the event loop long.
 * If the flags cannot be set (a runtime that ignores them), every pattern is accepted and
 * only the chunking protects: `linearEngineAvailable()` says which case applies.
 */
import v8 from 'node:v8';

export type RegexCompileResult = { ok: true; regex: RegExp } | { ok: false; message: string };

let linearEngine: boolean | undefined;

/** Turns on V8's linear-engine fallback (once); true when the `l` flag can be used to check patterns. */
export function linearEngineAvailable(): boolean {
  if (linearEngine !== undefined) return linearEngine;
  try {
    v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
    v8.setFlagsFromString('--enable-experimental-regexp-engine');
    linearEngine = new RegExp('a', 'l').test('a');
  } catch {
    linearEngine = false;
  }
  return linearEngine;
}

/** Compiles a search pattern, or says in words what is wrong with it. */
export function compileSearchRegex(source: string, ignoreCase: boolean): RegexCompileResult {
  let regex: RegExp;
  try {
    regex = new RegExp(source);
  } catch (error) {
    return { ok: false, message: regexErrorText(error) };
  }
  const pattern = ignoreCase ? foldCase(source) : source;
  if (ignoreCase) {
    try {
      regex = new RegExp(pattern);
    } catch (error) {
      return { ok: false, message: regexErrorText(error) };
    }
  }
  if (linearEngineAvailable()) {
    try {
      new RegExp(pattern, 'l');
    } catch {
      return {
        ok: false,
        message:
          'this pattern uses a backreference (\\1, \\k<name>) or lookaround ((?=, (?!, (?<=, (?<!), which search does ' +
          'not allow: such patterns can take exponential time on some frames. Rewrite it without them ' +
          '(e.g. search for the text, then filter by another criterion).',
      };
    }
  }
  return { ok: true, regex };
}

/** "Invalid regular expression: /(/: Unterminated group" → "Unterminated group in /(/". */
function regexErrorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return `not a valid regular expression: ${text.replace(/^Invalid regular expression:\s*/, '')}`;
}

/**
 * The pattern with every letter matched in both cases, without the `i` flag. Single code
 * units only: letters whose other case is longer (ß → SS) keep their one case.
 */
export function foldCase(source: string): string {
  let out = '';
  let i = 0;
  let inClass = false;
  while (i < source.length) {
    const ch = source.charAt(i);
    if (ch === '\\') {
      const length = escapeLength(source, i);
      out += source.slice(i, i + length);
      i += length;
      continue;
    }
    if (inClass) {
      if (ch === ']') {
        inClass = false;
        out += ch;
        i += 1;
        continue;
      }
      const end = source.charAt(i + 2);
      if (source.charAt(i + 1) === '-' && end !== '' && end !== ']' && end !== '\\') {
        out += `${ch}-${end}${otherCaseRanges(ch.charCodeAt(0), end.charCodeAt(0))}`;
        i += 3;
        continue;
      }
      out += ch + classEscape(otherCase(ch));
      i += 1;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += ch;
      i += 1;
      if (source.charAt(i) === '^') {
        out += '^';
        i += 1;
      }
      continue;
    }
    if (ch === '(' && source.charAt(i + 1) === '?') {
      // (?: (?= (?! (?<= (?<! are copied as they are; (?<name> with its name.
      if (source.charAt(i + 2) === '<' && source.charAt(i + 3) !== '=' && source.charAt(i + 3) !== '!') {
        const close = source.indexOf('>', i);
        const stop = close < 0 ? source.length : close + 1;
        out += source.slice(i, stop);
        i = stop;
        continue;
      }
      const length = source.charAt(i + 2) === '<' ? 4 : 3;
      out += source.slice(i, i + length);
      i += length;
      continue;
    }
    const other = otherCase(ch);
    out += other === '' ? ch : `[${ch}${other}]`;
    i += 1;
  }
  return out;
}

/** Length of the escape sequence at `i` (which holds a backslash), without the `u` flag. */
function escapeLength(source: string, i: number): number {
  const next = source.charAt(i + 1);
  if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(source.slice(i + 2, i + 4))) return 4;
  if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(source.slice(i + 2, i + 6))) return 6;
  if (next === 'c' && /^[A-Za-z]$/.test(source.charAt(i + 2))) return 3;
  if (next === 'k' && source.charAt(i + 2) === '<') {
    const close = source.indexOf('>', i);
    return close < 0 ? 2 : close - i + 1;
  }
  if (/[0-9]/.test(next)) {
    let j = i + 1;
    while (j < source.length && /[0-9]/.test(source.charAt(j))) j += 1;
    return j - i;
  }
  return next === '' ? 1 : 2;
}

/** The other case of a single code unit, or '' when it has none (or it is not one unit). */
function otherCase(ch: string): string {
  const upper = ch.toUpperCase();
  const lower = ch.toLowerCase();
  if (upper === lower) return '';
  const other = ch === upper ? lower : upper;
  return other.length === 1 && (other.toUpperCase() === ch || other.toLowerCase() === ch) ? other : '';
}

function classEscape(ch: string): string {
  return ch === '' ? '' : /[\]\\^-]/.test(ch) ? `\\${ch}` : ch;
}

/** Inside a class: the ASCII letters of the range from..to, in the other case, as ranges. */
function otherCaseRanges(from: number, to: number): string {
  let out = '';
  const add = (lo: number, hi: number, shift: number): void => {
    const start = Math.max(from, lo);
    const end = Math.min(to, hi);
    if (start > end) return;
    out += start === end ? String.fromCharCode(start + shift) : `${String.fromCharCode(start + shift)}-${String.fromCharCode(end + shift)}`;
  };
  add(0x41, 0x5a, 0x20); // A-Z → a-z
  add(0x61, 0x7a, -0x20); // a-z → A-Z
  return out;
}
