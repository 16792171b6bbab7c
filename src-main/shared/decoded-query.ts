/**
 * The query over a decoded value (issue 14): `$.event == 'chat'`, `$.headers.destination =~ /prices/`,
 * `$.args[0].room && $.nsp != '/'`. A path from `$` (`.name`, `['name']`, `[0]`, `[*]`), then
 * optionally a comparison (== != < <= > >=) with a literal ('text', "text", a number, true,
 * false, null) or a regular expression (=~ /…/flags). Clauses join with `&&`. A path alone holds
 * when it selects something other than null or false. A clause with `[*]` holds when any value
 * it selects does. Parsed here once, by the renderer as typed (its errors shown at once) and by
 * the engine before a search; every error says what was expected and at which character.
 * A path goes on into a string that holds JSON text (selectPath). A 64-bit integer the decoder
 * shows as digits is selected as a bigint and compared as that integer (int64-digits.ts).
 */
import { hasInt64, holdsForInt64, int64Selected } from './int64-digits';
import { jsonTextValue } from './json-text-value';

type Step = { kind: 'key'; name: string } | { kind: 'index'; index: number } | { kind: 'any' };
type Literal = string | number | boolean | null;
type Comparison = '==' | '!=' | '<' | '<=' | '>' | '>=';

interface Clause {
  path: Step[];
  /** numberText: a number literal as written (a 64-bit integer is compared with it exactly: int64-digits.ts). */
  test: { op: Comparison; value: Literal; numberText?: string } | { op: '=~'; regex: RegExp } | undefined;
}

export type DecodedQuery = { readonly clauses: readonly Clause[] };
/** The parsed query's parts, for a search that reads them (core/decode/query-literals.ts). */
export type QueryClause = Clause;
export type QueryStep = Step;
export type DecodedQueryParse = { ok: true; query: DecodedQuery } | { ok: false; error: string };

class QuerySyntaxError extends Error {}

class Reader {
  at = 0;
  constructor(readonly text: string) {}

  skipSpace(): void {
    while (this.at < this.text.length && /\s/.test(this.text.charAt(this.at))) this.at++;
  }

  peek(length = 1): string {
    return this.text.slice(this.at, this.at + length);
  }

  done(): boolean {
    this.skipSpace();
    return this.at >= this.text.length;
  }

  fail(expected: string): never {
    const found = this.at >= this.text.length ? 'the end' : `"${this.text.slice(this.at, this.at + 12)}"`;
    throw new QuerySyntaxError(`at character ${this.at + 1}: expected ${expected}, found ${found}`);
  }
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$-]*/;
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/;

function readQuoted(r: Reader): string {
  const quote = r.peek();
  const start = r.at;
  let out = '';
  r.at++;
  while (r.at < r.text.length) {
    const ch = r.text.charAt(r.at);
    if (ch === '\\') {
      out += r.text.charAt(r.at + 1);
      r.at += 2;
      continue;
    }
    r.at++;
    if (ch === quote) return out;
    out += ch;
  }
  r.at = start;
  throw new QuerySyntaxError(`at character ${start + 1}: the quote is never closed`);
}

function readPath(r: Reader): Step[] {
  r.skipSpace();
  if (r.peek() !== '$') r.fail("a path starting with $ (the decoded value), e.g. $.event == 'chat'");
  r.at++;
  const steps: Step[] = [];
  for (;;) {
    const ch = r.peek();
    if (ch === '.') {
      r.at++;
      const name = IDENT.exec(r.text.slice(r.at))?.[0];
      if (name === undefined) r.fail('a field name after "."');
      steps.push({ kind: 'key', name });
      r.at += name.length;
    } else if (ch === '[') {
      r.at++;
      r.skipSpace();
      const inner = r.peek();
      if (inner === "'" || inner === '"') steps.push({ kind: 'key', name: readQuoted(r) });
      else if (inner === '*') {
        r.at++;
        steps.push({ kind: 'any' });
      } else {
        const digits = /^\d+/.exec(r.text.slice(r.at))?.[0];
        if (digits === undefined) r.fail("an index, a quoted name or * inside [ ], e.g. [0] or ['content-type']");
        steps.push({ kind: 'index', index: Number(digits) });
        r.at += digits.length;
      }
      r.skipSpace();
      if (r.peek() !== ']') r.fail('"]"');
      r.at++;
    } else return steps;
  }
}

function readLiteral(r: Reader): Literal {
  r.skipSpace();
  const ch = r.peek();
  if (ch === "'" || ch === '"') return readQuoted(r);
  const rest = r.text.slice(r.at);
  const number = NUMBER.exec(rest)?.[0];
  if (number !== undefined) {
    r.at += number.length;
    return Number(number);
  }
  for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
    if (rest.startsWith(word) && !/[A-Za-z0-9_]/.test(rest.charAt(word.length))) {
      r.at += word.length;
      return value;
    }
  }
  return r.fail("a value to compare with: 'text', a number, true, false or null");
}

function readRegex(r: Reader): RegExp {
  r.skipSpace();
  const start = r.at;
  if (r.peek() !== '/') r.fail('a regular expression in slashes after =~, e.g. /^chat/i');
  r.at++;
  let source = '';
  while (r.at < r.text.length && r.peek() !== '/') {
    if (r.peek() === '\\') {
      source += r.text.slice(r.at, r.at + 2);
      r.at += 2;
    } else {
      source += r.peek();
      r.at++;
    }
  }
  if (r.peek() !== '/') throw new QuerySyntaxError(`at character ${start + 1}: the regular expression is never closed with /`);
  r.at++;
  const flags = /^[imsu]*/.exec(r.text.slice(r.at))?.[0] ?? '';
  r.at += flags.length;
  try {
    return new RegExp(source, flags);
  } catch (error) {
    throw new QuerySyntaxError(`at character ${start + 1}: not a valid regular expression: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const OPERATORS = ['==', '!=', '<=', '>=', '=~', '<', '>'] as const;

function readClause(r: Reader): Clause {
  const path = readPath(r);
  r.skipSpace();
  const op = OPERATORS.find((o) => r.peek(o.length) === o);
  if (op === undefined) {
    if (!r.done() && r.peek(2) !== '&&') r.fail('a comparison (== != < <= > >= =~), && or the end');
    return { path, test: undefined };
  }
  r.at += op.length;
  if (op === '=~') return { path, test: { op, regex: readRegex(r) } };
  r.skipSpace();
  const at = r.at;
  const value = readLiteral(r);
  return { path, test: typeof value === 'number' ? { op, value, numberText: r.text.slice(at, r.at) } : { op, value } };
}

export function parseDecodedQuery(text: string): DecodedQueryParse {
  const r = new Reader(text);
  try {
    if (r.done()) return { ok: false, error: "the query is empty: write a path such as $.event == 'chat'" };
    const clauses: Clause[] = [readClause(r)];
    while (!r.done()) {
      if (r.peek(2) !== '&&') r.fail('&& or the end');
      r.at += 2;
      clauses.push(readClause(r));
    }
    return { ok: true, query: { clauses } };
  } catch (error) {
    if (error instanceof QuerySyntaxError) return { ok: false, error: error.message };
    throw error;
  }
}

/**
 * What a path selects in a value (none, one, or many under `[*]`). A step into a string that
 * holds a JSON object or array goes on in that JSON (json-text-value.ts): `$.body.price` in a
 * STOMP body sent as JSON text. The string itself is still what `$.body` selects. A slot
 * int64-digits.ts marks (a 64-bit integer's digits) is selected as a bigint.
 */
export function selectPath(value: unknown, path: readonly Step[]): unknown[] {
  let current: unknown[] = [value];
  for (const step of path) {
    const next: unknown[] = [];
    for (const held of current) {
      const item = typeof held === 'string' ? (jsonTextValue(held) ?? held) : held;
      if (step.kind === 'any') {
        if (typeof item !== 'object' || item === null) continue;
        if (hasInt64(item)) for (const [key, member] of Object.entries(item)) next.push(int64Selected(item, Array.isArray(item) ? Number(key) : key, member));
        else if (Array.isArray(item)) next.push(...(item as unknown[]));
        else next.push(...Object.values(item));
      } else if (step.kind === 'index') {
        if (Array.isArray(item) && step.index < item.length) next.push(int64Selected(item, step.index, item[step.index]));
      } else if (typeof item === 'object' && item !== null && !Array.isArray(item) && Object.prototype.hasOwnProperty.call(item, step.name)) {
        next.push(int64Selected(item, step.name, (item as Record<string, unknown>)[step.name]));
      }
    }
    current = next;
  }
  return current;
}

function holds(found: unknown, test: NonNullable<Clause['test']>): boolean {
  if (typeof found === 'bigint') return holdsForInt64(found, test);
  if (test.op === '=~') return typeof found === 'string' || typeof found === 'number' ? test.regex.test(String(found)) : false;
  const want = test.value;
  switch (test.op) {
    case '==':
      return found === want;
    case '!=':
      return found !== want;
    default: {
      // Order compares numbers with numbers and text with text only.
      if (typeof found !== typeof want || (typeof found !== 'number' && typeof found !== 'string')) return false;
      const a = found as number | string;
      const b = want as number | string;
      return test.op === '<' ? a < b : test.op === '<=' ? a <= b : test.op === '>' ? a > b : a >= b;
    }
  }
}

/** Whether a clause holds when its path selects nothing: only `!=` does (the field is not that value). */
export function holdsWhenAbsent(test: Clause['test']): boolean {
  return test?.op === '!=';
}

/** Whether a clause holds for one value its path selects (a path alone: anything but null and false). */
export function holdsForValue(test: Clause['test'], found: unknown): boolean {
  if (test === undefined) return found !== null && found !== false && found !== undefined;
  return holds(found, test);
}

export function matchesDecodedQuery(query: DecodedQuery, value: unknown): boolean {
  return query.clauses.every((clause) => {
    const found = selectPath(value, clause.path);
    if (found.length === 0) return holdsWhenAbsent(clause.test);
    return found.some((item) => holdsForValue(clause.test, item));
  });
}
