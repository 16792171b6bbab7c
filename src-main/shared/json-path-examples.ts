/**
 * The JSONPath examples the search shows (the placeholder and the examples list next to the
 * field), with what each finds. One list, so every example the user sees is run by a test
 * (test/unit/search/json-path-examples.test.ts) against messages it finds and ones it does not.
 */

export interface JsonPathExample {
  path: string;
  /** What it finds, in words. */
  finds: string;
}

export const JSON_PATH_EXAMPLES: readonly JsonPathExample[] = [
  { path: '$.op', finds: 'messages with an "op" field' },
  { path: '$[?(@.price > 10)]', finds: 'messages whose price is over 10' },
  { path: '$[?(@.type == "trade" && @.qty >= 5)]', finds: 'trades of 5 or more' },
  { path: '$[?(@.level == "error" || @.level == "warn")]', finds: 'errors and warnings' },
  { path: '$[?(@.user.name.match(/^adm/i))]', finds: 'a nested field matching a regular expression' },
  { path: '$.items[?(@.qty > 2)]', finds: 'messages with an item whose qty is over 2' },
  { path: '$..price', finds: 'a price field at any depth' },
];

/** The search field's placeholder: the first two examples. */
export const JSON_PATH_PLACEHOLDER = `JSONPath, e.g. ${JSON_PATH_EXAMPLES.slice(0, 2)
  .map((e) => e.path)
  .join(' or ')}`;
