import { describe, expect, it } from 'vitest';
import { looksLikeJson, parseJson, prettyJson, type JsonNode } from '../../../src-renderer/src/util/json-text';

function parsed(text: string): JsonNode {
  const result = parseJson(text);
  if (!result.ok) throw new Error(`unexpected error: ${result.error.message}`);
  return result.value;
}

describe('parseJson', () => {
  it('parses every kind of value', () => {
    expect(parsed('{"a":[1,-2.5e3,"x\\n\\u00e9",true,false,null],"b":{}}')).toEqual({
      kind: 'object',
      entries: [
        [
          'a',
          {
            kind: 'array',
            items: [
              { kind: 'number', text: '1' },
              { kind: 'number', text: '-2.5e3' },
              { kind: 'string', value: 'x\né' },
              { kind: 'boolean', value: true },
              { kind: 'boolean', value: false },
              { kind: 'null' },
            ],
          },
        ],
        ['b', { kind: 'object', entries: [] }],
      ],
    });
  });

  it('keeps big numbers exactly and keys in wire order', () => {
    const text = '{"b":1,"10":12345678901234567890,"a":2,"a":3}';
    expect(prettyJson(parsed(text))).toBe('{\n  "b": 1,\n  "10": 12345678901234567890,\n  "a": 2,\n  "a": 3\n}');
  });

  it.each([
    ['{"a":1,}', 1, 8, 'trailing comma'],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, 'Expected “,” or “}” after a property value, found “"”'],
    ['[1, 2', 1, 6, 'Expected “,” or “]” after an array item, found the end of the text'],
    ["{'a': 1}", 1, 2, 'Expected a property name in double quotes'],
    ['"abc', 1, 1, 'Unterminated string'],
    ['[1] x', 1, 5, 'after the end of the JSON value'],
    ['[01]', 1, 3, 'Invalid number'],
    ['', 1, 1, 'a value is missing'],
    ['[tru]', 1, 2, 'Expected a value, found “t”'],
    ['"a\tb"', 1, 3, 'must be escaped'],
  ])('reports %j at line %d, column %d', (text, line, column, message) => {
    const result = parseJson(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatchObject({ line, column });
      expect(result.error.message).toContain(message);
    }
  });

  it('handles deep nesting without overflowing the stack', () => {
    const depth = 100_000;
    const node = parsed('['.repeat(depth) + ']'.repeat(depth));
    expect(node.kind).toBe('array');
    // Pretty text grows with depth squared (indentation), so print a shallower one.
    const shallower = parsed('['.repeat(1000) + ']'.repeat(1000));
    expect(prettyJson(shallower).split('\n')).toHaveLength(1999);
  });

  it('agrees with JSON.parse on ordinary documents', () => {
    const doc = { op: 'book', bids: [[1.5, 2], [1.25, 10]], meta: { ok: true, note: null, s: 'q"uote' } };
    const text = JSON.stringify(doc);
    expect(JSON.parse(prettyJson(parsed(text)))).toEqual(doc);
    expect(prettyJson(parsed(text))).toBe(JSON.stringify(doc, null, 2));
  });
});

describe('looksLikeJson', () => {
  it('offers a JSON view only for objects and arrays', () => {
    expect(looksLikeJson('  {"a":1}')).toBe(true);
    expect(looksLikeJson('[1]')).toBe(true);
    expect(looksLikeJson('42')).toBe(false);
    expect(looksLikeJson('hello')).toBe(false);
  });
});
