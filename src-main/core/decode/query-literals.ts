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

/**
 * A path with `[*]` longer than this is refused: json-value.ts cuts a value nested deeper than 64
 * levels to {$cut: text}, which a `[*]` that deep could select (no decoder starts its value's
 * depth behind its place in the decoded value, so 32 steps stay far from the cut).
 */
export const MAX_ANY_PATH_STEPS = 32;

/**
 * Whether the literal may be Base64 as json-value.ts's `$bytes` and msgpack-extensions.ts's
 * `$ext` write it (Buffer's 'base64': whole groups of four, `=` padding only at the end): a `[*]`
 * reaches such a wrapper's members, whose Base64 is not the payload's bytes. Wider than Base64
 * itself (any `=` run at the end), which only refuses more.
 */
export function mayBeBase64(literal: string): boolean {
  return literal.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(literal);
}

/**
 * reachesPayloadStringsOnly with `[*]` steps where `anyReachesPayload(path, index)` says the
 * protocol's value there holds only values the payload wrote (not a decoder's own fields, see
 * query-prefilter.ts), within MAX_ANY_PATH_STEPS; `$` names stay refused. The caller also refuses
 * a literal a wrapper's `[*]` may reach where its protocol can make wrappers (mayBeBase64).
 * Without `[*]` it is reachesPayloadStringsOnly.
 */
export function reachesPayloadStringsThroughAny(path: readonly QueryStep[], anyReachesPayload: (path: readonly QueryStep[], index: number) => boolean): boolean {
  if (path.some((step) => step.kind === 'any') && path.length > MAX_ANY_PATH_STEPS) return false;
  return path.every((step, index) => step.kind === 'index' || (step.kind === 'key' && !step.name.startsWith('$')) || (step.kind === 'any' && anyReachesPayload(path, index)));
}

/** Whether the path has a `[*]` step. */
export function hasAnyStep(path: readonly QueryStep[]): boolean {
  return path.some((step) => step.kind === 'any');
}
