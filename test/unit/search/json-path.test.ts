import { describe, expect, it } from 'vitest';
import { compileJsonPath } from '../../../src-main/core/search/json-path';

const tick = { type: 'tick', price: 5, items: [{ id: 1 }, { id: 2, tag: 'x' }], nested: { deep: { v: null } } };

describe('compileJsonPath', () => {
  it.each([
    ['$.type', true],
    ['$.missing', false],
    ['$..tag', true],
    ['$.items[1].id', true],
    ['$.items[5]', false],
    ['$.items[?(@.id > 1)]', true],
    ['$.items[?(@.id > 5)]', false],
    ['$[?(@.type == "tick")]', true], // a filter at the root tests an object message itself
    ['$[?(@.type == "trade")]', false],
    ['$[?(@.id == 2)]', false], // … not its property values
    ['$..[?(@.id == 2)]', true], // those are found at any depth with ..
    ['$[?(@.type == "tick")].price', true], // and the path goes on from the message
    ['$.nested.deep.v', true], // null is a value: the path selects something
    ["$['type']", true],
    ['$..*', true],
    ['$.items[?(@.missing.deeper == 1)]', false], // an evaluation error on some data is no match, not a failure
  ])('%s selects something: %s', (path, expected) => {
    const compiled = compileJsonPath(path);
    expect(compiled.ok).toBe(true);
    if (compiled.ok) expect(compiled.matches(tick)).toBe(expected);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['type', 'starts with $'],
    ['.type', 'starts with $'],
    ['$.items[', '"[" at character 8 is never closed'],
    ['$.items]', 'unexpected "]" at character 8'],
    ["$['type]", 'quote at character 3 is never closed'],
    ['$.[0]', 'not .['],
    ['$.', 'ends with a dot'],
    ['$.items[?(@.id >)]', 'does not parse'],
    ['$.items[?(@.id == )]', 'does not parse'],
    ['$.items[?()]', 'is empty'],
    ['$.a[?(@.x === (1)]', 'unexpected "]" at character 18'],
  ])('refuses %j with a clear error (%s)', (path, words) => {
    const compiled = compileJsonPath(path);
    expect(compiled.ok).toBe(false);
    if (!compiled.ok) expect(compiled.message).toContain(words);
  });

  it('a filter at the root tests each element of an array message, as JSONPath says', () => {
    const compiled = compileJsonPath('$[?(@.id > 1)]');
    expect(compiled.ok).toBe(true);
    if (!compiled.ok) return;
    expect(compiled.matches([{ id: 1 }, { id: 2 }])).toBe(true);
    expect(compiled.matches([{ id: 1 }])).toBe(false);
    expect(compiled.matches({ id: 1, list: [{ id: 2 }] })).toBe(false);
  });

  it('never runs JavaScript: the safe evaluator has no globals', () => {
    const compiled = compileJsonPath('$[?(process.exit(1))]');
    // Parses (it is an expression) but can only fail at evaluation, which is no match.
    expect(compiled.ok).toBe(true);
    if (compiled.ok) expect(compiled.matches({ a: 1 })).toBe(false);
  });
});
