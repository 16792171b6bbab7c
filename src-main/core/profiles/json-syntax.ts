/**
 * Says where a JSON text goes wrong (line, column, what was expected), because V8's
 * JSON.parse messages give a position only for some errors. Run only after JSON.parse has
 * failed; it checks the syntax without building values.
 */
import { lineAndColumn } from '../../shared/text-position';

export interface JsonSyntaxError {
  /** 1-based. */
  line: number;
  /** 1-based, in characters. */
  column: number;
  offset: number;
  /** e.g. "expected ',' or '}' after a property value, found '\"'". */
  message: string;
}

const MAX_DEPTH = 1000;

class Stop extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  try {
    const scanner = new Scanner(text);
    scanner.document();
    return undefined;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    return { ...lineAndColumn(text, error.offset), offset: error.offset, message: error.reason };
  }
}

/** "line 3, column 5: expected a value, found '}'" */
export function describeJsonSyntaxError(error: JsonSyntaxError): string {
  return `line ${error.line}, column ${error.column}: ${error.message}`;
}

class Scanner {
  private pos = 0;

  constructor(private readonly text: string) {}

  document(): void {
    this.space();
    if (this.pos >= this.text.length) this.stop('the text is empty (or only white space): there is no JSON value in it');
    this.value(0);
    this.space();
    if (this.pos < this.text.length) this.stop(`unexpected ${this.found()} after the end of the JSON value`);
  }

  private value(depth: number): void {
    if (depth > MAX_DEPTH) this.stop(`the JSON is nested more than ${MAX_DEPTH} levels deep`);
    const c = this.text[this.pos];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return;
      }
    }
    if (c === "'") this.stop("expected a value, found ' (JSON strings use double quotes)");
    this.stop(`expected a value, found ${this.found()}`);
  }

  private object(depth: number): void {
    this.pos += 1; // {
    this.space();
    if (this.text[this.pos] === '}') {
      this.pos += 1;
      return;
    }
    for (;;) {
      if (this.text[this.pos] !== '"') {
        const why = this.text[this.pos] === '}' ? " (JSON allows no comma before '}')" : this.text[this.pos] === "'" ? ' (use double quotes)' : '';
        this.stop(`expected a property name in double quotes, found ${this.found()}${why}`);
      }
      this.string();
      this.space();
      if (this.text[this.pos] !== ':') this.stop(`expected ':' after the property name, found ${this.found()}`);
      this.pos += 1;
      this.space();
      this.value(depth + 1);
      this.space();
      const c = this.text[this.pos];
      if (c === '}') {
        this.pos += 1;
        return;
      }
      if (c !== ',') this.stop(`expected ',' or '}' after a property value, found ${this.found()}`);
      this.pos += 1;
      this.space();
    }
  }

  private array(depth: number): void {
    this.pos += 1; // [
    this.space();
    if (this.text[this.pos] === ']') {
      this.pos += 1;
      return;
    }
    for (;;) {
      if (this.text[this.pos] === ']') this.stop("expected a value, found ']' (JSON allows no comma before ']')");
      this.value(depth + 1);
      this.space();
      const c = this.text[this.pos];
      if (c === ']') {
        this.pos += 1;
        return;
      }
      if (c !== ',') this.stop(`expected ',' or ']' after an array element, found ${this.found()}`);
      this.pos += 1;
      this.space();
    }
  }

  private string(): void {
    this.pos += 1; // "
    for (;;) {
      if (this.pos >= this.text.length) this.stop('the text ends inside a string (a closing " is missing)');
      const code = this.text.charCodeAt(this.pos);
      if (code === 0x22) {
        this.pos += 1;
        return;
      }
      if (code < 0x20) this.stop('a string may not contain a line break or other control character (write \\n)');
      if (code === 0x5c) {
        const next = this.text[this.pos + 1];
        if (next === 'u') {
          if (!/^[0-9A-Fa-f]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) this.stop('\\u must be followed by four hex digits');
          this.pos += 6;
          continue;
        }
        if (next === undefined || !'"\\/bfnrt'.includes(next)) this.stop(`\\${next ?? ''} is not a valid escape in a JSON string`);
        this.pos += 2;
        continue;
      }
      this.pos += 1;
    }
  }

  private number(): void {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!match || match[0] === '-' || match[0] === '') this.stop(`expected a number, found ${this.found()}`);
    this.pos += match[0].length;
    const next = this.text[this.pos];
    if (next !== undefined && /[0-9.eE+-]/.test(next)) this.stop(`this is not a valid JSON number (unexpected ${this.found()})`);
  }

  private space(): void {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      this.pos += 1;
    }
  }

  private found(): string {
    if (this.pos >= this.text.length) return 'the end of the text';
    const c = this.text[this.pos] ?? '';
    return /[\x00-\x1f\x7f]/.test(c) ? `character U+${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}` : `'${c}'`;
  }

  private stop(reason: string): never {
    throw new Stop(this.pos, reason);
  }
}

/** Parses JSON, or says where it goes wrong. A leading byte order mark is allowed. */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; error: JsonSyntaxError } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    const value: unknown = JSON.parse(body);
    return { ok: true, value };
  } catch {
    const found = findJsonSyntaxError(body) ?? { line: 1, column: 1, offset: 0, message: 'the text is not valid JSON' };
    return { ok: false, error: found };
  }
}
