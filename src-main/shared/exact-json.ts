/**
 * JSON read for the MessagePack and CBOR composer with its integers exact: JSON.parse makes
 * `12345678901234567890` a float64 (12345678901234567000 once decoded back), so an integer
 * literal beyond 2^53 becomes a BigInt here, which msgpackr writes as uint64 / int64 and cbor-x
 * as major type 0 / 1 with an 8-byte argument (tag 2 / 3 beyond 64 bits). Each such literal is
 * listed with its line and column, so an encoder that cannot hold one says where it is.
 * No Node APIs (shared).
 */
import { lineAndColumn } from './text-position';

export interface BigIntegerAt {
  /** As written: `12345678901234567890`. */
  text: string;
  value: bigint;
  line: number;
  column: number;
}

export type ExactJson = { ok: true; value: unknown; bigIntegers: BigIntegerAt[] } | { ok: false; error: string };

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Offsets of the integer literals outside strings that a float64 does not hold exactly. */
function bigLiterals(text: string): { offset: number; text: string }[] {
  const found: { offset: number; text: string }[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: skip to its closing quote (JSON.parse has checked the text already).
      i += 1;
      while (i < text.length && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
      i += 1;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = i;
      const literal = NUMBER.exec(text)?.[0] ?? text.charAt(i);
      if (/^-?\d+$/.test(literal) && !Number.isSafeInteger(Number(literal))) found.push({ offset: i, text: literal });
      i += literal.length;
    } else i += 1;
  }
  return found;
}

export function parseExactJson(text: string): ExactJson {
  let plain: unknown;
  try {
    plain = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  const literals = bigLiterals(text);
  if (literals.length === 0) return { ok: true, value: plain, bigIntegers: [] };
  // Each big literal becomes a string no text holds (a random tag), then that string a BigInt.
  const tag = `\u0001exact-int-${Math.random().toString(36).slice(2)}-`;
  let marked = '';
  let last = 0;
  literals.forEach((literal, index) => {
    marked += `${text.slice(last, literal.offset)}"\\u0001${tag.slice(1)}${index}"`;
    last = literal.offset + literal.text.length;
  });
  marked += text.slice(last);
  const bigIntegers = literals.map((literal) => ({ text: literal.text, value: BigInt(literal.text), ...lineAndColumn(text, literal.offset) }));
  const value: unknown = JSON.parse(marked, (_key, v: unknown) => {
    if (typeof v !== 'string' || !v.startsWith(tag)) return v;
    return bigIntegers[Number(v.slice(tag.length))]?.value ?? v;
  });
  return { ok: true, value, bigIntegers };
}
