/**
 * What a GraphQL document asks, in two words for a summary: its operation type and name
 * ("subscription onPrice"). Read from the text with a small scan, not a full parse (the
 * `graphql` package is a development dependency only): comments and strings are skipped,
 * the first operation is taken (or the one named by operationName), and an anonymous one is
 * named after its first field. Unreadable text gives what could be found; never throws.
 */

export interface GraphqlOperation {
  type: 'query' | 'mutation' | 'subscription';
  /** The operation's name, else its first field; undefined when neither is found. */
  name?: string;
}

/** The document without comments and string contents (which could hold words like "query"). */
function stripNoise(query: string): string {
  return query.replace(/"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|#[^\n]*/g, ' ');
}

const TOKEN = /[{}()]|[_A-Za-z][_0-9A-Za-z]*/g;
const TYPES = new Set(['query', 'mutation', 'subscription']);

/** The first field of the selection set that opens at `open` (an alias's field, not the alias). */
function firstField(text: string, open: number): string | undefined {
  const match = /^\s*([_A-Za-z][_0-9A-Za-z]*)\s*(:\s*([_A-Za-z][_0-9A-Za-z]*))?/.exec(text.slice(open + 1));
  if (!match) return undefined;
  return match[3] ?? match[1];
}

/** The document's operations (top level only: a field called "query" inside one is not one). */
function operations(text: string): { type: GraphqlOperation['type']; name?: string; open: number }[] {
  const found: { type: GraphqlOperation['type']; name?: string; open: number }[] = [];
  let braces = 0;
  let parens = 0;
  let pending: { type: GraphqlOperation['type']; name?: string; naming: boolean } | undefined;
  let fragment = false;
  for (const match of text.matchAll(TOKEN)) {
    const token = match[0];
    if (token === '(') parens++;
    else if (token === ')') parens = Math.max(0, parens - 1);
    else if (token === '}') braces = Math.max(0, braces - 1);
    else if (token === '{') {
      if (braces === 0 && parens === 0) {
        if (pending) found.push({ type: pending.type, ...(pending.name !== undefined ? { name: pending.name } : {}), open: match.index });
        else if (!fragment) found.push({ type: 'query', open: match.index });
        pending = undefined;
        fragment = false;
      }
      braces++;
    } else if (braces === 0 && parens === 0) {
      if (TYPES.has(token) && !pending && !fragment) pending = { type: token as GraphqlOperation['type'], naming: true };
      else if (token === 'fragment') fragment = true;
      else if (pending?.naming) pending = { type: pending.type, name: token, naming: false };
    }
    if ((token === '(' || token === '{') && pending) pending.naming = false;
  }
  return found;
}

export function graphqlOperation(query: string, operationName?: string): GraphqlOperation {
  const text = stripNoise(query);
  const found = operations(text);
  const chosen = (operationName !== undefined ? found.find((op) => op.name === operationName) : undefined) ?? found[0];
  if (!chosen) return { type: 'query', ...(operationName !== undefined ? { name: operationName } : {}) };
  const name = chosen.name ?? firstField(text, chosen.open);
  return name !== undefined ? { type: chosen.type, name } : { type: chosen.type };
}

/** "subscription onPrice". */
export function operationLabel(op: GraphqlOperation): string {
  return op.name !== undefined ? `${op.type} ${op.name}` : op.type;
}
