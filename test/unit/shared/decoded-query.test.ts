// The query over a decoded value: paths, comparisons, regular expressions, `&&`, wildcards, and an
// error for each kind of mistake that says what was expected and at which character.
import { describe, expect, it } from 'vitest';
import { matchesDecodedQuery, parseDecodedQuery } from '../../../src-main/shared/decoded-query';

function matches(query: string, value: unknown): boolean {
  const parsed = parseDecodedQuery(query);
  if (!parsed.ok) throw new Error(parsed.error);
  return matchesDecodedQuery(parsed.query, value);
}

function errorOf(query: string): string {
  const parsed = parseDecodedQuery(query);
  if (parsed.ok) throw new Error(`${query} parsed`);
  return parsed.error;
}

const emit = { engineIO: 'message', type: 'EVENT', nsp: '/admin', id: 12, event: 'chat', args: ['hi', { room: 3 }] };
const stomp = { command: 'SEND', headers: { destination: '/topic/prices', 'content-type': 'application/json' }, body: '{}' };

describe('decoded queries', () => {
  it('compares fields with text, numbers, booleans and null', () => {
    expect(matches("$.event == 'chat'", emit)).toBe(true);
    expect(matches('$.event == "news"', emit)).toBe(false);
    expect(matches('$.id >= 12 && $.id < 13', emit)).toBe(true);
    expect(matches("$.nsp != '/'", emit)).toBe(true);
    expect(matches('$.args[1].room == 3', emit)).toBe(true);
    expect(matches("$.headers['content-type'] == 'application/json'", stomp)).toBe(true);
    expect(matches('$.missing == null', emit)).toBe(false);
    expect(matches("$.missing != 'x'", emit)).toBe(true);
    expect(matches("$.id > 'a'", emit)).toBe(false);
  });

  it('tests presence, regular expressions and wildcards', () => {
    expect(matches('$.id', emit)).toBe(true);
    expect(matches('$.ack', emit)).toBe(false);
    expect(matches('$.headers.destination =~ /^\\/topic\\//', stomp)).toBe(true);
    expect(matches('$.event =~ /CHAT/i', emit)).toBe(true);
    expect(matches("$.args[*] == 'hi'", emit)).toBe(true);
    expect(matches("$.headers[*] == '/topic/prices'", stomp)).toBe(true);
  });

  it('says what was expected and where', () => {
    expect(errorOf('')).toBe("the query is empty: write a path such as $.event == 'chat'");
    expect(errorOf("event == 'chat'")).toBe("at character 1: expected a path starting with $ (the decoded value), e.g. $.event == 'chat', found \"event == 'ch\"");
    expect(errorOf("$.event = 'chat'")).toBe("at character 9: expected a comparison (== != < <= > >= =~), && or the end, found \"= 'chat'\"");
    expect(errorOf('$.event == chat')).toContain("at character 12: expected a value to compare with: 'text', a number, true, false or null");
    expect(errorOf("$.event == 'chat")).toBe('at character 12: the quote is never closed');
    expect(errorOf('$.args[x]')).toContain('at character 8: expected an index, a quoted name or * inside [ ]');
    expect(errorOf('$.')).toBe('at character 3: expected a field name after ".", found the end');
    expect(errorOf('$.a =~ /(/')).toContain('at character 8: not a valid regular expression');
    expect(errorOf("$.a == 1 $.b == 2")).toContain('at character 10: expected && or the end');
  });
});
