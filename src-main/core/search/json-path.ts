/**
 * JSONPath filters (jsonpath-plus syntax, its "safe" evaluator: no JavaScript eval).
 *
 * jsonpath-plus is lenient: it reads `$.[` or `$.a.b[` as something and only reports a bad
 * filter expression when a filter is evaluated against data. So a path is checked here first,
 * and every problem gets its own message: it must start with `$`, brackets, parentheses and
 * quotes must balance, it must not end with a dot, and every filter or script expression
 * (`?(…)`, `(…)`) must parse.
 *
 * One rule differs from plain jsonpath-plus, because a search runs per message: a filter at
 * the root, `$[?(…)]`, tests the message itself when it is an object (see compileJsonPath).
 */
import { JSONPath, JSONPathClass } from 'jsonpath-plus';

export type JsonPathCompileResult = { ok: true; matches: (json: unknown) => boolean } | { ok: false; message: string };

export function compileJsonPath(raw: string): JsonPathCompileResult {
  const path = raw.trim();
  const problem = structuralProblem(path) ?? expressionProblem(path);
  if (problem) return { ok: false, message: problem };
  const rootFilter = startsWithRootFilter(path);
  return {
    ok: true,
    matches: (json) => {
      // `$[?(@.price > 10)]` means "messages whose price is over 10": a filter at the root tests
      // an object message itself (jsonpath-plus would test its property values); an array
      // message keeps the standard meaning, each element.
      const subject = rootFilter && isObjectMessage(json) ? [json] : (json ?? null);
      const found: unknown = JSONPath({ path, json: subject, wrap: true, eval: 'safe', ignoreEvalErrors: true });
      return Array.isArray(found) && found.length > 0;
    },
  };
}

/** Whether the step right after `$` is a filter (`$[?(…)]`). The path has been checked. */
function startsWithRootFilter(path: string): boolean {
  const segments = JSONPath.toPathArray(path);
  return segments[0] === '$' && /^\?\(/.test(segments[1] ?? '');
}

function isObjectMessage(json: unknown): boolean {
  return typeof json === 'object' && json !== null && !Array.isArray(json);
}

function structuralProblem(path: string): string | undefined {
  if (path === '') return 'the JSONPath is empty';
  if (!path.startsWith('$')) return `a JSONPath starts with $ (the whole message), e.g. $.type or $..price; got "${path.slice(0, 40)}"`;
  const open: { ch: string; at: number }[] = [];
  const pairs: Record<string, string> = { ']': '[', ')': '(' };
  for (let i = 0; i < path.length; i++) {
    const ch = path.charAt(i);
    if (ch === "'" || ch === '"') {
      const end = closingQuote(path, i);
      if (end < 0) return `the quote at character ${i + 1} is never closed`;
      i = end;
    } else if (ch === '[' || ch === '(') {
      open.push({ ch, at: i });
    } else if (ch === ']' || ch === ')') {
      const last = open.pop();
      if (!last || last.ch !== pairs[ch]) return `unexpected "${ch}" at character ${i + 1}`;
    }
  }
  const unclosed = open.pop();
  if (unclosed) return `the "${unclosed.ch}" at character ${unclosed.at + 1} is never closed`;
  if (/\.$/.test(path)) return 'the JSONPath ends with a dot: name a property after it (or use .* for all)';
  const unquoted = path.replace(/'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"/g, '""');
  if (/(?:^|[^.])\.\[/.test(unquoted)) {
    return 'write either .name or [index], not .[ (e.g. $.items[0] or $..[0])';
  }
  return undefined;
}

function closingQuote(path: string, start: number): number {
  const quote = path.charAt(start);
  for (let i = start + 1; i < path.length; i++) {
    const ch = path.charAt(i);
    if (ch === '\\') i += 1;
    else if (ch === quote) return i;
  }
  return -1;
}

/** Parses every filter/script expression with jsonpath-plus's own safe-eval parser. */
function expressionProblem(path: string): string | undefined {
  let segments: string[];
  try {
    segments = JSONPath.toPathArray(path);
  } catch (error) {
    return `not a valid JSONPath: ${errorText(error)}`;
  }
  const Script = safeScriptClass();
  for (const segment of segments) {
    const match = /^\??\(([\s\S]*)\)$/.exec(segment);
    if (!match) continue;
    const expression = match[1] ?? '';
    if (expression.trim() === '') return `the expression "${segment}" is empty`;
    if (!Script) continue;
    try {
      new Script(expression.replace(/@/g, '_$_v'));
    } catch (error) {
      return `the expression "${segment}" does not parse: ${errorText(error)}`;
    }
  }
  // A last check: evaluating against a small document must not throw.
  try {
    JSONPath({ path, json: { a: [{ b: 1 }] }, wrap: true, eval: 'safe', ignoreEvalErrors: true });
  } catch (error) {
    return `not a valid JSONPath: ${errorText(error)}`;
  }
  return undefined;
}

type ScriptConstructor = new (expression: string) => unknown;

/** jsonpath-plus's safe-eval Script class (the parser its `eval: 'safe'` uses), when reachable. */
function safeScriptClass(): ScriptConstructor | undefined {
  const safeVm: unknown = Reflect.get(JSONPathClass.prototype, 'safeVm');
  if (typeof safeVm !== 'object' || safeVm === null) return undefined;
  const script: unknown = Reflect.get(safeVm, 'Script');
  return isConstructor(script) ? script : undefined;
}

function isConstructor(value: unknown): value is ScriptConstructor {
  return typeof value === 'function';
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
