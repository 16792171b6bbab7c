/**
 * A Decoded query as a JSONPath filter over the message as sent, for the hint a Decoded search
 * shows when nothing in the session is decoded: `$.kind == 'price'` → `$[?(@.kind === "price")]`
 * (a filter at the root tests the message itself: core/search/json-path.ts). Only where the two
 * mean the same: clauses of keys and indexes after a first key, compared with == < <= > >= to a
 * literal (an order only with a number or text). `!=` (which a Decoded query holds when the
 * field is absent), `=~`, `[*]` and a path alone do not translate: null, and the query is left as
 * it is. (A Decoded path also goes on into a string holding JSON text; JSONPath does not, so a
 * message with JSON text in its strings may differ there.)
 */
import { parseDecodedQuery, type QueryClause } from '../../../src-main/shared/decoded-query';

function clauseAsFilter(clause: QueryClause): string | null {
  const [first] = clause.path;
  const test = clause.test;
  if (first?.kind !== 'key' || test === undefined || test.op === '=~' || test.op === '!=') return null;
  let path = '@';
  for (const step of clause.path) {
    if (step.kind === 'any') return null;
    path += step.kind === 'index' ? `[${step.index}]` : /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(step.name) ? `.${step.name}` : `[${JSON.stringify(step.name)}]`;
  }
  const literal = JSON.stringify(test.value);
  // === where the query says ==: JSONPath's == is JavaScript's, which takes 1 == "1".
  if (test.op === '==') return `${path} === ${literal}`;
  // A Decoded order compares numbers with numbers and text with text only; JavaScript's would take "1" <= 1.
  const kind = typeof test.value;
  if (kind !== 'number' && kind !== 'string') return null;
  return `typeof ${path} === "${kind}" && ${path} ${test.op} ${literal}`;
}

export function decodedAsJsonPath(text: string): string | null {
  const parsed = parseDecodedQuery(text);
  if (!parsed.ok) return null;
  const filters = parsed.query.clauses.map(clauseAsFilter);
  if (filters.length === 0 || filters.some((f) => f === null)) return null;
  return `$[?(${filters.join(' && ')})]`;
}
