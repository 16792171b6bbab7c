/**
 * The strings a decoded value must hold for a JSONPath query to match it (the query search's
 * prefilter, query-prefilter.ts), read from the parsed query, not its text. A query is clauses
 * joined by && (shared/decoded-query.ts; it has no OR and no NOT), so every clause holds for
 * every match: a clause `path == 'text'` holds only when the path selects a string equal to the
 * literal (`==` is ===, and a path selecting nothing fails it). No other clause names a string
 * that must be there: `!=` is a negation (it holds when the path selects nothing), `=~` a regular
 * expression, `<`/`>` an order, a number, true, false or null are not text (MessagePack, CBOR and
 * protobuf write numbers in binary), and a path alone holds for any value.
 */
import type { DecodedQuery, QueryStep } from '../../shared/decoded-query';

export interface RequiredString {
  /** Where the query looks for it. */
  readonly path: readonly QueryStep[];
  /** The string (the query's escapes already read: `'it\'s'` is it's). */
  readonly literal: string;
}

/** Each `path == 'text'` clause of the query, in its order. */
export function requiredStrings(query: DecodedQuery): RequiredString[] {
  const out: RequiredString[] = [];
  for (const clause of query.clauses) {
    const test = clause.test;
    if (test?.op === '==' && typeof test.value === 'string') out.push({ path: clause.path, literal: test.value });
  }
  return out;
}

/** `event`, `headers.destination`: a path of names only, else undefined (an index, `[*]`, the value itself). */
export function namePath(path: readonly QueryStep[]): string | undefined {
  if (path.length === 0) return undefined;
  const names: string[] = [];
  for (const step of path) {
    if (step.kind !== 'key' || step.name.includes('.')) return undefined;
    names.push(step.name);
  }
  return names.join('.');
}

/**
 * Whether the path reaches only strings of the payload itself: names and indexes, no `[*]` (it
 * reaches every value of an object, e.g. `$bytes`'s Base64) and no name starting with `$`
 * (json-value.ts's `$bytes`, `$map`, `$cut`, protobuf-wire.ts's `$fixed64`, `$packed`: text the
 * decoder makes, not the payload's bytes).
 */
export function reachesPayloadStringsOnly(path: readonly QueryStep[]): boolean {
  return path.every((step) => step.kind === 'index' || (step.kind === 'key' && !step.name.startsWith('$')));
}
