/** Where a JSON text goes wrong, as a table: the text → line, column and what was expected. */
import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError, parseJsonText } from '../../../src-main/core/profiles/json-syntax';

describe('findJsonSyntaxError', () => {
  it.each([
    ['{"a": 1,\n "b": }', 2, 7, "expected a value, found '}'"],
    ['{"a": 1,\n "b": 2', 2, 8, "expected ',' or '}' after a property value, found the end of the text"],
    ['{"a": 1,}', 1, 9, "JSON allows no comma before '}'"],
    ['[1, 2,]', 1, 7, "JSON allows no comma before ']'"],
    ["{'a': 1}", 1, 2, 'use double quotes'],
    ['{"a" 1}', 1, 6, "expected ':' after the property name"],
    ['{"a": "x\ny"}', 1, 9, 'line break'],
    ['{"a": "\\q"}', 1, 8, '\\q is not a valid escape'],
    ['{"a": 01}', 1, 8, 'not a valid JSON number'],
    ['{"a": tru}', 1, 7, "expected a value, found 't'"],
    ['{} x', 1, 4, "unexpected 'x' after the end of the JSON value"],
    ['   ', 1, 4, 'the text is empty'],
    ['{"a": "open', 1, 12, 'the text ends inside a string'],
  ])('%j → line %i, column %i', (text, line, column, words) => {
    const found = findJsonSyntaxError(text);
    expect(found).toMatchObject({ line, column });
    expect(found?.message).toContain(words);
  });

  it('finds nothing wrong in valid JSON (it is only asked after JSON.parse failed)', () => {
    expect(findJsonSyntaxError('{"a": [1, 2.5e3, -0, "\\u00e9", true, false, null, {}]}')).toBeUndefined();
  });

  it('accepts a leading byte order mark and reports deep nesting without overflowing', () => {
    expect(parseJsonText('\ufeff{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
    const deep = parseJsonText(`${'['.repeat(5000)}x`);
    expect(deep.ok).toBe(false);
    if (!deep.ok) expect(deep.error.message).toContain('nested more than');
  });
});
