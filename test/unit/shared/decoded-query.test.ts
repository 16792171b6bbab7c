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

  it('goes on into a string that holds a JSON object or array (a STOMP body, an MQTT payload, an argument sent as text)', () => {
    const priced = { ...stomp, body: ' {"sym":"ABC","price":120,"legs":[{"px":1.5}],"note":"{\\"inner\\":1}"}' };
    expect(matches('$.body.price > 100', priced)).toBe(true);
    expect(matches("$.body.sym == 'ABC' && $.body.legs[0].px == 1.5", priced)).toBe(true);
    expect(matches('$.body.legs[*].px == 1.5', priced)).toBe(true);
    expect(matches('$.body[*] == 120', priced)).toBe(true);
    // JSON text inside JSON text too.
    expect(matches('$.body.note.inner == 1', priced)).toBe(true);
    expect(matches('$.body.price > 200', priced)).toBe(false);
    expect(matches("$.body.missing != 'x'", priced)).toBe(true);
    // The string itself is still what the field selects.
    expect(matches('$.body =~ /"price":120/', priced)).toBe(true);
    expect(matches("$.body == '{}'", stomp)).toBe(true);
    expect(matches('$.args[0][0] == 7', { args: ['[7, 8]'] })).toBe(true);
  });

  it('reads no further into text that is not a JSON object or array', () => {
    for (const body of ['price=120', '"{\\"price\\":120}"', '120', 'true', '{"price":120', '{price:120}', '\u00a0{"price":120}', '']) {
      expect(matches('$.body.price', { body }), body).toBe(false);
      expect(matches("$.body.price != 'x'", { body }), body).toBe(true);
    }
    // Past the cap a string is text (the detail pane's tree stops there too).
    const long = `{"price":120,"pad":"${'x'.repeat(100_000)}"}`;
    expect(matches('$.body.price == 120', { body: long })).toBe(false);
    expect(matches('$.body.price == 120', { body: '{"price":120,"pad":"short"}' })).toBe(true);
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
