/**
 * A decoded value made small enough for one `frames:decode` answer (the detail pane's tree):
 * strings over DECODED_STRING_CAP keep their start, and once DECODED_VALUE_BUDGET characters
 * have been kept (in document order) the containers still open keep only the entries before
 * (so at most about budget + one string's cap in all). Each cut is listed with its path and what was left out (shared/value-cuts.ts),
 * so the tree says "… N more bytes" where the value goes on. A value within bounds is returned
 * as it is (the same object: nothing copied).
 */
import type { DecodedJson } from '../shared/decoding';
import { DECODED_STRING_CAP, DECODED_VALUE_BUDGET, MAX_VALUE_CUTS, type ValueCut } from '../shared/value-cuts';

export interface BoundLimits {
  stringCap: number;
  budget: number;
}

const DEFAULT_LIMITS: BoundLimits = { stringCap: DECODED_STRING_CAP, budget: DECODED_VALUE_BUDGET };
/** What a number, boolean, null or an entry's punctuation counts against the budget. */
const SCALAR_COST = 8;

export function boundDecodedValue(value: DecodedJson, limits: BoundLimits = DEFAULT_LIMITS): { value: DecodedJson; cuts: ValueCut[] } {
  const cuts: ValueCut[] = [];
  let left = limits.budget;
  const path: (string | number)[] = [];

  function cutAt(cut: Omit<ValueCut, 'path'>): void {
    if (cuts.length < MAX_VALUE_CUTS) cuts.push({ path: [...path], ...cut });
  }

  function walk(node: DecodedJson): DecodedJson {
    if (typeof node === 'string') {
      // The budget only stops containers: a string is whole or cut at stringCap (so at most budget + stringCap in all).
      const keep = Math.min(node.length, limits.stringCap);
      left -= keep + 2;
      if (keep === node.length) return node;
      // Not between the two halves of a surrogate pair.
      const end = keep > 0 && isHighSurrogate(node.charCodeAt(keep - 1)) ? keep - 1 : keep;
      const head = node.slice(0, end);
      cutAt({ kind: 'string', more: Buffer.byteLength(node) - Buffer.byteLength(head) });
      return head;
    }
    if (node === null || typeof node !== 'object') {
      left -= SCALAR_COST;
      return node;
    }
    if (Array.isArray(node)) {
      let out: DecodedJson[] | undefined;
      for (let i = 0; i < node.length; i++) {
        if (left <= 0) {
          cutAt({ kind: 'entries', more: node.length - i });
          return (out ?? node.slice(0, i));
        }
        const item = node[i] ?? null;
        path.push(i);
        const bounded = walk(item);
        path.pop();
        if (bounded !== item && out === undefined) out = node.slice(0, i);
        out?.push(bounded);
      }
      return out ?? node;
    }
    const keys = Object.keys(node);
    let out: { [key: string]: DecodedJson } | undefined;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] ?? '';
      if (left <= 0) {
        cutAt({ kind: 'entries', more: keys.length - i });
        return out ?? copyKeys(node, keys.slice(0, i));
      }
      left -= key.length + SCALAR_COST;
      const item = node[key] ?? null;
      path.push(key);
      const bounded = walk(item);
      path.pop();
      if (bounded !== item && out === undefined) out = copyKeys(node, keys.slice(0, i));
      if (out) setOwn(out, key, bounded);
    }
    return out ?? node;
  }

  const bounded = walk(value);
  return { value: bounded, cuts };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function copyKeys(node: { [key: string]: DecodedJson }, keys: string[]): { [key: string]: DecodedJson } {
  const out: { [key: string]: DecodedJson } = {};
  for (const key of keys) setOwn(out, key, node[key] ?? null);
  return out;
}

/** An own property, even for the key __proto__ (plain assignment would set the prototype). */
function setOwn(target: { [key: string]: DecodedJson }, key: string, value: DecodedJson): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
