// A Decoded query turned into the JSONPath filter that finds the same messages when they are
// JSON as sent: checked by running both (the Decoded matcher on the parsed message, the search's
// own JSONPath compiler on it), and the queries that do not translate.
import { describe, expect, it } from 'vitest';
import { decodedAsJsonPath } from '../../../src-renderer/src/util/decoded-as-jsonpath';
import { compileJsonPath } from '../../../src-main/core/search/json-path';
import { matchesDecodedQuery, parseDecodedQuery } from '../../../src-main/shared/decoded-query';

const messages: unknown[] = [
  { kind: 'price', n: 1, data: { sym: 'S7', levels: [3, 9] }, 'odd key': 'x' },
  { kind: 'price', n: 12, data: { sym: 'S8', levels: [1] } },
  { kind: 'volume', n: 5 },
  { kind: 'price' },
  { n: 0 },
  { kind: 'price', n: '1' },
];

describe('decodedAsJsonPath', () => {
  it.each([
    ["$.kind == 'price'", '$[?(@.kind === "price")]'],
    ['$.n == 1', '$[?(@.n === 1)]'], // not the message whose n is "1"
    ["$.n == '1'", '$[?(@.n === "1")]'],
    ['$.n > 4', '$[?(typeof @.n === "number" && @.n > 4)]'],
    ["$.kind >= 'q'", '$[?(typeof @.kind === "string" && @.kind >= "q")]'],
    ["$.kind == 'price' && $.n <= 1", '$[?(@.kind === "price" && typeof @.n === "number" && @.n <= 1)]'], // not n "1"
    ["$.data.sym == 'S7'", '$[?(@.data.sym === "S7")]'],
    ['$.data.levels[1] >= 9', '$[?(typeof @.data.levels[1] === "number" && @.data.levels[1] >= 9)]'],
    ["$['odd key'] == 'x'", '$[?(@["odd key"] === "x")]'],
  ])('%s → %s, finding the same messages', (decoded, jsonpath) => {
    expect(decodedAsJsonPath(decoded)).toBe(jsonpath);
    const parsed = parseDecodedQuery(decoded);
    const compiled = compileJsonPath(jsonpath);
    if (!parsed.ok || !compiled.ok) throw new Error('did not compile');
    const byDecoded = messages.map((m) => matchesDecodedQuery(parsed.query, m));
    expect(byDecoded.some(Boolean)).toBe(true);
    expect(messages.map((m) => compiled.matches(m))).toEqual(byDecoded);
  });

  it.each([["$.kind != 'price'"], ['$.kind =~ /pri/'], ["$.data[*] == 'S7'"], ['$.kind'], ['$[0] == 1'], ['$.n < true'], ["$.kind == 'price' && $.kind =~ /p/"], ['not a query'], ['']])(
    '%s does not translate (it would not mean the same)',
    (decoded) => expect(decodedAsJsonPath(decoded)).toBeNull(),
  );
});
