/**
 * A small JSON parser for the inspector. Unlike JSON.parse it keeps what a developer needs to
 * see exactly: numbers as written (no rounding of 64-bit ids), object keys in wire order
 * (JSON.parse moves integer-like keys first) including duplicates, and an error position as
 * line and column. Iterative, so deep nesting cannot overflow the stack.
 */
import { lineAndColumn } from '../../../src-main/shared/text-position';

export type JsonNode =
  | { kind: 'object'; entries: [string, JsonNode][] }
  | { kind: 'array'; items: JsonNode[] }
  | { kind: 'string'; value: string }
  | { kind: 'number'; text: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' };

export interface JsonSyntaxError {
  message: string;
  /** 0-based offset into the text. */
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 units like an editor's column. */
  column: number;
}

export type JsonParse = { ok: true; value: JsonNode } | { ok: false; error: JsonSyntaxError };

class JsonError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

function describe(char: string | undefined): string {
  if (char === undefined) return 'the end of the text';
  const code = char.charCodeAt(0);
  if (code < 0x20) return `a control character (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
  return `“${char}”`;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

type Container =
  | { kind: 'object'; node: { kind: 'object'; entries: [string, JsonNode][] }; key: string | null }
  | { kind: 'array'; node: { kind: 'array'; items: JsonNode[] } };

class Parser {
  private i = 0;
  constructor(private readonly text: string) {}

  parse(): JsonNode {
    const stack: Container[] = [];
    let result: JsonNode | null = null;
    this.skipSpace();
    for (;;) {
      // Parse one value; an opened container means its first child comes next.
      let done: JsonNode | null = this.value(stack);
      if (done === null) continue;
      // Close containers and attach values until we need another value.
      for (;;) {
        if (done) {
          const top = stack[stack.length - 1];
          if (!top) {
            result = done;
            break;
          }
          if (top.kind === 'array') top.node.items.push(done);
          else top.node.entries.push([top.key ?? '', done]);
          done = null;
        }
        const top = stack[stack.length - 1];
        if (!top) break;
        this.skipSpace();
        const char = this.text[this.i];
        const closer = top.kind === 'array' ? ']' : '}';
        if (char === ',') {
          this.i += 1;
          this.skipSpace();
          if (top.kind === 'object') top.key = this.key();
          break;
        }
        if (char === closer) {
          this.i += 1;
          stack.pop();
          done = top.node;
          continue;
        }
        throw new JsonError(
          top.kind === 'array'
            ? `Expected “,” or “]” after an array item, found ${describe(char)}`
            : `Expected “,” or “}” after a property value, found ${describe(char)}`,
          this.i,
        );
      }
      if (result) break;
    }
    this.skipSpace();
    if (this.i < this.text.length) {
      throw new JsonError(`Unexpected ${describe(this.text[this.i])} after the end of the JSON value`, this.i);
    }
    if (!result) throw new JsonError('Unexpected end of the text: a value is missing', this.i);
    return result;
  }

  /** A scalar, or an opened container pushed on the stack (then null). */
  private value(stack: Container[]): JsonNode | null {
    this.skipSpace();
    const char = this.text[this.i];
    if (char === '{') {
      this.i += 1;
      this.skipSpace();
      const node: { kind: 'object'; entries: [string, JsonNode][] } = { kind: 'object', entries: [] };
      if (this.text[this.i] === '}') {
        this.i += 1;
        return node;
      }
      stack.push({ kind: 'object', node, key: this.key() });
      return null;
    }
    if (char === '[') {
      this.i += 1;
      this.skipSpace();
      const node: { kind: 'array'; items: JsonNode[] } = { kind: 'array', items: [] };
      if (this.text[this.i] === ']') {
        this.i += 1;
        return node;
      }
      stack.push({ kind: 'array', node });
      return null;
    }
    if (char === '"') return { kind: 'string', value: this.string() };
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return { kind: 'number', text: this.number() };
    for (const [word, node] of LITERALS) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return node;
      }
    }
    if (char === undefined) throw new JsonError('Unexpected end of the text: a value is missing', this.i);
    if (char === "'") throw new JsonError('Strings in JSON use double quotes (") not single quotes', this.i);
    if (char === ']' || char === '}') throw new JsonError(`Expected a value, found ${describe(char)} (a trailing comma?)`, this.i);
    throw new JsonError(`Expected a value, found ${describe(char)}`, this.i);
  }

  /** `"name" :` inside an object. */
  private key(): string {
    this.skipSpace();
    const char = this.text[this.i];
    if (char !== '"') {
      throw new JsonError(
        char === '}'
          ? 'Expected a property name, found “}” (a trailing comma?)'
          : `Expected a property name in double quotes, found ${describe(char)}`,
        this.i,
      );
    }
    const key = this.string();
    this.skipSpace();
    if (this.text[this.i] !== ':') throw new JsonError(`Expected “:” after the property name, found ${describe(this.text[this.i])}`, this.i);
    this.i += 1;
    return key;
  }

  private string(): string {
    const start = this.i;
    this.i += 1;
    let out = '';
    let chunkStart = this.i;
    for (;;) {
      const char = this.text[this.i];
      if (char === undefined) throw new JsonError('Unterminated string: the closing " is missing', start);
      if (char === '"') {
        out += this.text.slice(chunkStart, this.i);
        this.i += 1;
        return out;
      }
      if (char === '\\') {
        out += this.text.slice(chunkStart, this.i);
        const escape = this.text[this.i + 1];
        if (escape === 'u') {
          const hex = this.text.slice(this.i + 2, this.i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new JsonError('Invalid \\u escape: it needs four hex digits', this.i);
          out += String.fromCharCode(Number.parseInt(hex, 16));
          this.i += 6;
        } else {
          const replacement = escape === undefined ? undefined : ESCAPES[escape];
          if (replacement === undefined) throw new JsonError(`Invalid escape \\${escape ?? ''} in a string`, this.i);
          out += replacement;
          this.i += 2;
        }
        chunkStart = this.i;
        continue;
      }
      if (char.charCodeAt(0) < 0x20) {
        throw new JsonError(`${describe(char)} inside a string must be escaped (e.g. \\n)`, this.i);
      }
      this.i += 1;
    }
  }

  private number(): string {
    NUMBER.lastIndex = this.i;
    const match = NUMBER.exec(this.text);
    if (!match) throw new JsonError(`Invalid number starting with ${describe(this.text[this.i])}`, this.i);
    this.i += match[0].length;
    const next = this.text[this.i];
    if (next !== undefined && /[0-9.eE+-]/.test(next)) throw new JsonError(`Invalid number: unexpected ${describe(next)}`, this.i);
    return match[0];
  }

  private skipSpace(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.i);
      if (c === 32 || c === 10 || c === 13 || c === 9) this.i += 1;
      else return;
    }
  }
}

const LITERALS: [string, JsonNode][] = [
  ['true', { kind: 'boolean', value: true }],
  ['false', { kind: 'boolean', value: false }],
  ['null', { kind: 'null' }],
];

export function parseJson(text: string): JsonParse {
  try {
    return { ok: true, value: new Parser(text).parse() };
  } catch (error) {
    if (error instanceof JsonError) {
      const where = lineAndColumn(text, error.offset);
      return { ok: false, error: { message: error.message, offset: error.offset, ...where } };
    }
    throw error;
  }
}

/** Worth offering a JSON view: an object or array (a bare `42` or `"x"` is just text). */
export function looksLikeJson(text: string): boolean {
  const first = /\S/.exec(text)?.[0];
  return first === '{' || first === '[';
}

/** Pretty text with two-space indentation, numbers and key order as received. */
export function prettyJson(root: JsonNode, indent = '  '): string {
  const out: string[] = [];
  // Iterative on purpose (deep nesting): a stack of pending writes.
  type Task = { node: JsonNode; depth: number; prefix: string; suffix: string } | { text: string };
  const tasks: Task[] = [{ node: root, depth: 0, prefix: '', suffix: '' }];
  while (tasks.length > 0) {
    const task = tasks.pop();
    if (!task) break;
    if ('text' in task) {
      out.push(task.text);
      continue;
    }
    const pad = indent.repeat(task.depth);
    const { node } = task;
    if (node.kind === 'object' || node.kind === 'array') {
      const children: [string, JsonNode][] =
        node.kind === 'object' ? node.entries.map(([k, v]) => [`${JSON.stringify(k)}: `, v]) : node.items.map((v) => ['', v]);
      const [open, close] = node.kind === 'object' ? ['{', '}'] : ['[', ']'];
      if (children.length === 0) {
        out.push(`${pad}${task.prefix}${open}${close}${task.suffix}\n`);
        continue;
      }
      out.push(`${pad}${task.prefix}${open}\n`);
      tasks.push({ text: `${pad}${close}${task.suffix}\n` });
      for (let i = children.length - 1; i >= 0; i--) {
        const [label, child] = children[i] ?? ['', { kind: 'null' }];
        tasks.push({ node: child, depth: task.depth + 1, prefix: label, suffix: i < children.length - 1 ? ',' : '' });
      }
      continue;
    }
    out.push(`${pad}${task.prefix}${scalarText(node)}${task.suffix}\n`);
  }
  return out.join('').trimEnd();
}

/** A scalar as JSON text. */
export function scalarText(node: JsonNode): string {
  switch (node.kind) {
    case 'string':
      return JSON.stringify(node.value);
    case 'number':
      return node.text;
    case 'boolean':
      return node.value ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'object':
      return node.entries.length === 0 ? '{}' : '{…}';
    case 'array':
      return node.items.length === 0 ? '[]' : '[…]';
  }
}
