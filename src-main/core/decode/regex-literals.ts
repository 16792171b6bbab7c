/**
 * Text every match of a query's regular expression must hold, read from its source by a
 * conservative parse, so a probe can test a value's UTF-8 bytes before it makes the value's
 * string (issue 14: `$.headers[*] =~ /p7$/` over 1,000,000 STOMP frames made four strings a
 * frame only to have the regex refuse nearly all of them).
 *
 * Only the top level of the pattern is read (a group, a class, `.`, an escape other than a
 * syntax character's, an assertion, anything quantified is "something else"), and only a
 * pattern without a top-level `|`, so its top-level items all take part in every match, in
 * order: a run of literal characters among them is in every match, in one piece. Without the
 * `m` flag `^` and `$` are the input's start and end, so a run right after a leading `^` starts
 * the input (`head`) and a run right before a final `$` ends it (`tail`). With `i` a letter or a
 * character beyond ASCII may match another, so it is "something else" too (no ASCII character
 * but a letter has a case). Characters are read as code points, so a quantifier after an astral
 * character takes the whole character out of its run (without `u` it quantifies the low
 * surrogate: either way it is not sure). When unsure, a character is "something else": that
 * only makes runs shorter (fewer values passed over), never wrong.
 *
 * On bytes (RegexByteGate): UTF-8 text ends with, starts with or holds a well-formed string
 * exactly when its bytes end with, start with or hold that string's UTF-8 (a character's
 * first byte is never a continuation byte). Bytes that are not UTF-8 are the caller's to rule
 * on (in a STOMP header line they make the frame invalid: nothing matches it).
 */

/** Characters a backslash makes literal (an identity escape in every mode). */
const SYNTAX = new Set(['^', '$', '\\', '.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '/']);
const HEX = /^[0-9A-Fa-f]$/;
const DIGIT = /^[0-9]$/;

/** A top-level item of the pattern: a literal character, `^`, `$`, or something else. */
type Item = { readonly literal: string } | 'start' | 'end' | 'other';

export interface RegexLiterals {
  /** Every match starts the input with this ('' when nothing is sure). */
  readonly head: string;
  /** Every match ends the input with this. */
  readonly tail: string;
  /** Every match holds this (the longest top-level run). */
  readonly inner: string;
}

/**
 * How many characters after `\<letter>` at `at` belong to the escape (more is safe: they count as
 * something else), or -1 when that is unclear (a `{` or `<` not closed by a name's characters:
 * without `u` it may be a literal, and skipping to a far `}` could skip a `|`).
 */
function escapeRest(chars: readonly string[], at: number, letter: string): number {
  const count = (limit: number, test: RegExp): number => {
    let n = 0;
    while (n < limit && test.test(chars[at + n] ?? '')) n++;
    return n;
  };
  const through = (close: string): number => {
    let n = 1;
    while (/^[A-Za-z0-9_=]$/.test(chars[at + n] ?? '')) n++;
    return chars[at + n] === close ? n + 1 : -1;
  };
  if (letter === 'x') return count(2, HEX);
  if (letter === 'u') return chars[at] === '{' ? through('}') : count(4, HEX);
  if (letter === 'c') return count(1, /^[A-Za-z]$/);
  if (letter === 'p' || letter === 'P') return chars[at] === '{' ? through('}') : 0;
  if (letter === 'k') return chars[at] === '<' ? through('>') : 0;
  if (DIGIT.test(letter)) return count(Infinity, DIGIT);
  return 0;
}

/** The length of a `{n}`, `{n,}` or `{n,m}` quantifier at `at`, else 0 (without `u` a `{` may be a literal). */
function quantifierLength(chars: readonly string[], at: number): number {
  let n = 1;
  while (DIGIT.test(chars[at + n] ?? '')) n++;
  if (n === 1) return 0;
  if (chars[at + n] === ',') {
    n++;
    while (DIGIT.test(chars[at + n] ?? '')) n++;
  }
  return chars[at + n] === '}' ? n + 1 : 0;
}

/** The pattern's top-level items, or undefined when it has a top-level `|` or does not read as expected. */
function topLevelItems(source: string, foldsCase: boolean): Item[] | undefined {
  const chars = Array.from(source);
  const items: Item[] = [];
  let depth = 0;
  const push = (item: Item): void => {
    if (depth === 0) items.push(item);
  };
  for (let i = 0; i < chars.length; ) {
    const c = chars[i] ?? '';
    if (c === '\\') {
      const next = chars[i + 1];
      if (next === undefined) return undefined;
      const plain = SYNTAX.has(next) && !(foldsCase && /[A-Za-z]/.test(next));
      const rest = plain ? 0 : escapeRest(chars, i + 2, next);
      if (rest < 0) return undefined;
      push(plain ? { literal: next } : 'other');
      i += 2 + rest;
      continue;
    }
    if (c === '[') {
      // A class, to its first unescaped ']' (`[]` is the empty class).
      let k = i + 1;
      while (k < chars.length && chars[k] !== ']') k += chars[k] === '\\' ? 2 : 1;
      if (k >= chars.length) return undefined;
      push('other');
      i = k + 1;
      continue;
    }
    if (c === '(') {
      push('other');
      depth++;
      i++;
      continue;
    }
    if (c === ')') {
      depth--;
      if (depth < 0) return undefined;
      i++;
      continue;
    }
    if (depth > 0) {
      i++;
      continue;
    }
    if (c === '|') return undefined;
    const braces = c === '{' ? quantifierLength(chars, i) : 0;
    if (c === '*' || c === '+' || c === '?' || braces > 0) {
      // Whatever came before may be left out or repeated.
      if (items.length > 0) items[items.length - 1] = 'other';
      items.push('other');
      i += Math.max(1, braces);
      continue;
    }
    if (c === '^') items.push('start');
    else if (c === '$') items.push('end');
    else if (c === '.' || c === ']' || c === '{' || c === '}') items.push('other');
    else if (foldsCase && (/[A-Za-z]/.test(c) || c > '\u007f')) items.push('other');
    else items.push({ literal: c });
    i++;
  }
  return depth === 0 ? items : undefined;
}

/** The literal run of items from `from` on (towards the end, or backwards with step -1). */
function runFrom(items: readonly Item[], from: number, step: 1 | -1): string {
  const run: string[] = [];
  for (let k = from; k >= 0 && k < items.length; k += step) {
    const item = items[k];
    if (item === undefined || typeof item === 'string') break;
    run.push(item.literal);
  }
  return (step === 1 ? run : run.reverse()).join('');
}

/** A string whose UTF-8 reads back as itself (no lone surrogate), else ''. */
function wellFormed(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8') === text ? text : '';
}

/** What every match of `regex` holds (see the file comment), or undefined when nothing is sure. */
export function regexLiterals(regex: RegExp): RegexLiterals | undefined {
  // m makes ^ and $ line anchors; g and y make test() depend on lastIndex; v reads classes otherwise.
  if (!/^[isu]*$/.test(regex.flags)) return undefined;
  const items = topLevelItems(regex.source, regex.flags.includes('i'));
  if (!items) return undefined;
  const head = items[0] === 'start' ? wellFormed(runFrom(items, 1, 1)) : '';
  const tail = items[items.length - 1] === 'end' ? wellFormed(runFrom(items, items.length - 2, -1)) : '';
  let inner = '';
  for (let k = 0; k < items.length; k++) {
    const before = items[k - 1];
    if (typeof items[k] === 'string' || (before !== undefined && typeof before !== 'string')) continue;
    const run = wellFormed(runFrom(items, k, 1));
    if (run.length > inner.length) inner = run;
  }
  return head || tail || inner ? { head, tail, inner } : undefined;
}

/**
 * A regex's literals as UTF-8, to rule out values from their bytes: `false` from a test means
 * the regex fails on the UTF-8 text of those bytes (when they are UTF-8; see the file comment).
 */
export class RegexByteGate {
  private readonly head: Buffer;
  private readonly tail: Buffer;
  private readonly inner: Buffer;

  private constructor(literals: RegexLiterals) {
    this.head = Buffer.from(literals.head, 'utf8');
    this.tail = Buffer.from(literals.tail, 'utf8');
    // The tail or head already says more than an inner run no longer than it.
    const inner = Buffer.from(literals.inner, 'utf8');
    this.inner = inner.length > Math.max(this.head.length, this.tail.length) ? inner : Buffer.alloc(0);
  }

  /** The gate for `regex`, or undefined when no literal is sure (regexLiterals). */
  static of(regex: RegExp): RegexByteGate | undefined {
    const literals = regexLiterals(regex);
    return literals ? new RegexByteGate(literals) : undefined;
  }

  /** Whether the regex may match the text of [from, to). */
  mayMatch(slab: Buffer, from: number, to: number): boolean {
    return this.suffixMayMatch(slab, from, to) && (this.head.length === 0 || bytesAt(slab, from, to, this.head));
  }

  /** Whether the regex may match some suffix of the text of [from, to) (a STOMP value on its line). */
  suffixMayMatch(slab: Buffer, from: number, to: number): boolean {
    const tail = this.tail;
    if (to - from < tail.length || (tail.length > 0 && !bytesAt(slab, to - tail.length, to, tail))) return false;
    return this.inner.length === 0 || holdsWithin(slab, from, to, this.inner);
  }
}

/** Whether `word` is at `at`, ending by `to`. */
function bytesAt(slab: Buffer, at: number, to: number, word: Buffer): boolean {
  if (to - at < word.length) return false;
  for (let k = 0; k < word.length; k++) if (slab[at + k] !== word[k]) return false;
  return true;
}

/** Whether [from, to) holds `word` (a short value: searched in place, no view made). */
function holdsWithin(slab: Buffer, from: number, to: number, word: Buffer): boolean {
  const first = word[0];
  for (let at = from; at + word.length <= to; at++) {
    if (slab[at] === first && bytesAt(slab, at, to, word)) return true;
  }
  return false;
}
