/**
 * The examples the search field shows for a regular expression and for hex or base64 bytes
 * (placeholders and tooltips), each with what it finds. One list, run by a test
 * (test/unit/search/search-examples.test.ts); the JSONPath ones are in json-path-examples.ts.
 */

export interface SearchExample {
  /** As the user types it. */
  query: string;
  /** Payloads it finds and ones it does not. */
  finds: readonly Uint8Array[];
  skips: readonly Uint8Array[];
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

export const REGEX_EXAMPLES: readonly SearchExample[] = [{ query: 'error|warn', finds: [text('disk error'), text('warn: slow')], skips: [text('all fine')] }];

export const HEX_EXAMPLES: readonly SearchExample[] = [
  { query: '38 38', finds: [bytes(0x38, 0x38), text('x88x')], skips: [bytes(0x03, 0x83, 0x80), bytes(0x88, 0x88)] },
  { query: '3838', finds: [bytes(0x38, 0x38)], skips: [bytes(0x03, 0x83, 0x80)] },
  { query: '0x38 0x38', finds: [bytes(0x38, 0x38)], skips: [bytes(0x38)] },
  { query: '0xde 0xad', finds: [bytes(0xde, 0xad, 0xbe, 0xef)], skips: [bytes(0xad, 0xde)] },
];

export const BASE64_EXAMPLES: readonly SearchExample[] = [{ query: '3q2+7w==', finds: [bytes(0, 0xde, 0xad, 0xbe, 0xef)], skips: [bytes(0xde, 0xad, 0xbe)] }];

/** "a, b or c", each in the field's own notation. */
function either(examples: readonly SearchExample[], from = 0, count = examples.length): string {
  const list = examples.slice(from, from + count).map((e) => e.query);
  return list.length <= 1 ? list.join('') : `${list.slice(0, -1).join(', ')} or ${list.at(-1) ?? ''}`;
}

export const SEARCH_HINTS = {
  regexPlaceholder: `Regular expression, e.g. ${either(REGEX_EXAMPLES)}`,
  hexPlaceholder: `Hex bytes, e.g. ${either([HEX_EXAMPLES[0], HEX_EXAMPLES[3]].filter((e) => e !== undefined))}`,
  hexTitle: `Find bytes written in hex: ${either(HEX_EXAMPLES, 0, 3)}`,
  base64Placeholder: `Base64 bytes, e.g. ${either(BASE64_EXAMPLES)}`,
} as const;
