/**
 * The value at a path of keys in JSON bytes, read by stepping over the text without JSON.parse
 * (which, with the UTF-8 decoding before it, is most of a query probe's time for a small
 * unwrapped payload, payload-probe.ts). What it answers is what JSON.parse would give there
 * **when the bytes are one valid JSON text** (after an optional byte-order mark, which the
 * decoder's TextDecoder drops): the last of duplicate keys, an own key `__proto__` like any
 * other, a number as Number() reads its text (JSON.parse's own conversion), a string as its
 * UTF-8 (it has no escapes, see below), an object or array as CONTAINER.
 *
 * For other bytes (not JSON, not UTF-8) the answer means nothing: the caller uses it only where
 * such bytes make the path select nothing anyway and the clause fails then (payload-probe.ts
 * says which). UNSURE at a backslash (escapes: the bytes are then not the text), past 64 levels
 * of nesting, or anything it does not follow: the caller then parses.
 */
import { ABSENT, CONTAINER, UNSURE, floatValue, type Probed } from './value-probe';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MAX_NESTING = 64;

/** Thrown inside the skim when it cannot follow the bytes; caught at its top. */
class CannotFollow extends Error {}

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

class JsonSkim {
  private at = 0;
  /** What the path led to so far (a later duplicate key on the path resets it). */
  found: Probed = ABSENT;

  constructor(
    private readonly bytes: Buffer,
    private readonly end: number,
    private readonly keys: readonly Buffer[],
  ) {}

  run(): Probed {
    if (this.end >= 3 && this.bytes[0] === 0xef && this.bytes[1] === 0xbb && this.bytes[2] === 0xbf) this.at = 3;
    this.value(0, true, 0);
    this.skipSpace();
    // Bytes after the value: JSON.parse refuses them (then the path selects nothing).
    return this.at === this.end ? this.found : ABSENT;
  }

  /**
   * Steps over one value. `matched`: how many keys of the path lead here; `onPath`: whether
   * every step so far matched (then a value with all keys matched is the one wanted).
   */
  private value(matched: number, onPath: boolean, nesting: number): void {
    if (nesting > MAX_NESTING) throw new CannotFollow();
    this.skipSpace();
    const byte = this.next();
    const wanted = onPath && matched === this.keys.length;
    if (byte === OPEN_BRACE) {
      if (wanted) this.found = CONTAINER;
      this.object(matched, onPath && !wanted, nesting);
    } else if (byte === OPEN_BRACKET) {
      if (wanted) this.found = CONTAINER;
      this.array(nesting);
    } else if (byte === QUOTE) {
      const start = this.at + 1;
      const close = this.stringEnd(start);
      if (wanted) this.found = this.bytes.toString('utf8', start, close);
      this.at = close + 1;
    } else if (byte === 0x74 || byte === 0x66 || byte === 0x6e) {
      const literal = byte === 0x74 ? TRUE : byte === 0x66 ? FALSE : NULL;
      if (!this.holds(literal)) throw new CannotFollow();
      if (wanted) this.found = byte === 0x74 ? true : byte === 0x66 ? false : null;
      this.at += literal.length;
    } else {
      const start = this.at;
      while (this.at < this.end && isNumberByte(this.bytes[this.at] ?? 0)) this.at++;
      if (this.at === start) throw new CannotFollow();
      if (wanted) this.found = floatValue(this.number(start, this.at));
    }
  }

  /** The number written at [start, end): digits alone (up to 15, exact in a double) summed here, others by Number(). */
  private number(start: number, end: number): number {
    const negative = this.bytes[start] === 0x2d;
    const digits = negative ? start + 1 : start;
    if (end > digits && end - digits <= 15) {
      let value = 0;
      let at = digits;
      for (; at < end; at++) {
        const byte = this.bytes[at] ?? 0;
        if (byte < 0x30 || byte > 0x39) break;
        value = value * 10 + (byte - 0x30);
      }
      if (at === end) return negative ? -value : value;
    }
    const number = Number(this.bytes.toString('latin1', start, end));
    if (Number.isNaN(number)) throw new CannotFollow();
    return number;
  }

  private object(matched: number, onPath: boolean, nesting: number): void {
    if (this.opensEmpty(CLOSE_BRACE)) return;
    do {
      this.skipSpace();
      if (this.next() !== QUOTE) throw new CannotFollow();
      const start = this.at + 1;
      const close = this.stringEnd(start);
      this.at = close + 1;
      this.skipSpace();
      if (this.next() !== COLON) throw new CannotFollow();
      this.at++;
      const key = this.keys[matched];
      const onKey = onPath && key !== undefined && sameBytes(this.bytes, start, close, key);
      // JSON.parse keeps the last of duplicate keys: what an earlier one led to is replaced.
      if (onKey) this.found = ABSENT;
      this.value(matched + 1, onKey, nesting + 1);
    } while (!this.closesAfterItem(CLOSE_BRACE));
  }

  private array(nesting: number): void {
    if (this.opensEmpty(CLOSE_BRACKET)) return;
    // A key step selects nothing in an array: its items are off the path.
    do this.value(0, false, nesting + 1);
    while (!this.closesAfterItem(CLOSE_BRACKET));
  }

  /** Steps past an object's or array's opening byte; true (and past it) when `close` follows at once. */
  private opensEmpty(close: number): boolean {
    this.at++;
    this.skipSpace();
    if (this.next() !== close) return false;
    this.at++;
    return true;
  }

  /** After an item: true past the closing byte `close`, false past a comma (another item follows). */
  private closesAfterItem(close: number): boolean {
    this.skipSpace();
    const next = this.next();
    this.at++;
    if (next === close) return true;
    if (next !== COMMA) throw new CannotFollow();
    return false;
  }

  /** The closing quote of a string starting at `start`; a backslash (an escape) or the end: cannot follow. */
  private stringEnd(start: number): number {
    for (let at = start; at < this.end; at++) {
      const byte = this.bytes[at];
      if (byte === QUOTE) return at;
      if (byte === BACKSLASH) throw new CannotFollow();
    }
    throw new CannotFollow();
  }

  /** The byte at the cursor, or -1 past the payload's end (the buffer holds other bytes after it). */
  private next(): number {
    return this.at < this.end ? (this.bytes[this.at] ?? -1) : -1;
  }

  private holds(literal: Buffer): boolean {
    return this.at + literal.length <= this.end && sameBytes(this.bytes, this.at, this.at + literal.length, literal);
  }

  private skipSpace(): void {
    while (this.at < this.end) {
      const byte = this.bytes[this.at];
      if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return;
      this.at++;
    }
  }
}

/** Bytes a JSON number is made of (the grammar's order is JSON.parse's business: Number() of a valid one is its value). */
function isNumberByte(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || byte === 0x2d || byte === 0x2b || byte === 0x2e || byte === 0x65 || byte === 0x45;
}

function sameBytes(bytes: Buffer, start: number, end: number, key: Buffer): boolean {
  if (end - start !== key.length) return false;
  for (let k = 0; k < key.length; k++) if (bytes[start + k] !== key[k]) return false;
  return true;
}

/** What the path of keys (each a key's UTF-8) leads to in bytes[0, length), read as the file comment says. */
export function skimJsonKeys(bytes: Buffer, length: number, keys: readonly Buffer[]): Probed {
  try {
    return new JsonSkim(bytes, length, keys).run();
  } catch (error) {
    if (error instanceof CannotFollow) return UNSURE;
    throw error;
  }
}
