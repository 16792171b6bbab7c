import { describe, expect, it } from 'vitest';
import { PassthroughList, parsePassthroughPattern, type PassthroughPattern } from '../../../src-main/core/intercept/passthrough-hosts';

function pattern(text: string): PassthroughPattern {
  const parsed = parsePassthroughPattern(text);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.pattern;
}

function problem(text: string): string {
  const parsed = parsePassthroughPattern(text);
  if (parsed.ok) throw new Error(`"${text}" was taken as ${parsed.pattern.kind}`);
  return parsed.problem;
}

describe('passthrough host patterns', () => {
  it('reads exact names, *.domain, IPv4 and IPv6 (bracketed or not), without case or a trailing dot', () => {
    expect(pattern('API.Example.com.')).toEqual({ text: 'API.Example.com.', kind: 'exact', value: 'api.example.com' });
    expect(pattern(' *.bank.example ')).toEqual({ text: '*.bank.example', kind: 'suffix', value: '.bank.example' });
    expect(pattern('10.0.0.5')).toEqual({ text: '10.0.0.5', kind: 'ip', value: '10.0.0.5' });
    expect(pattern('[2001:DB8:0:0::1]')).toEqual({ text: '[2001:DB8:0:0::1]', kind: 'ip', value: '2001:db8::1' });
    expect(pattern('::1').value).toBe('::1');
  });

  it('refuses what is not a host pattern, saying what is wrong', () => {
    expect(problem('')).toBe('an empty host pattern');
    expect(problem('https://api.example.com/')).toMatch(/is a URL: give the host alone/);
    expect(problem('api.example.com:443')).toMatch(/has a port: the list is of hosts.*give api\.example\.com/);
    expect(problem('foo.*.example.com')).toMatch(/a \* may only be the whole first label/);
    expect(problem('*')).toMatch(/a \* may only be the whole first label/);
    expect(problem('*.')).toMatch(/a \* may only be the whole first label/);
    expect(problem('*..')).toMatch(/after "\*\." a host name is missing/);
    expect(problem('a..b')).toMatch(/no empty labels/);
    expect(problem('-bad.example')).toMatch(/"-bad" is not a host name label/);
    expect(problem('user@host')).toMatch(/is not a host/);
    expect(problem('two words')).toMatch(/is not a host/);
    expect(problem(`${'a'.repeat(64)}.example`)).toMatch(/is not a host name label/);
    expect(problem(`${'abc.'.repeat(64)}com`)).toMatch(/at most 253/);
  });

  it('matches: exact names, names under a domain at any depth (not the domain itself), IP addresses in any spelling', () => {
    const list = new PassthroughList(['api.example.com', '*.bank.example', '10.0.0.5', '2001:db8::1'].map(pattern));
    expect(list.match('API.example.com')?.text).toBe('api.example.com');
    expect(list.match('api.example.com.')?.text).toBe('api.example.com');
    expect(list.match('www.api.example.com')).toBeUndefined();
    expect(list.match('login.bank.example')?.text).toBe('*.bank.example');
    expect(list.match('a.b.bank.example')?.text).toBe('*.bank.example');
    expect(list.match('bank.example')).toBeUndefined();
    expect(list.match('evilbank.example')).toBeUndefined();
    expect(list.match('10.0.0.5')?.text).toBe('10.0.0.5');
    expect(list.match('10.0.0.50')).toBeUndefined();
    expect(list.match('2001:0db8:0000::0001')?.text).toBe('2001:db8::1');
    expect(list.match('[2001:db8::1]')?.text).toBe('2001:db8::1');
    expect(new PassthroughList([]).match('anything')).toBeUndefined();
  });

  it('joins two lists, each pattern once', () => {
    const joined = new PassthroughList([pattern('a.example')]).with(new PassthroughList([pattern('A.example'), pattern('b.example')]));
    expect(joined.patterns.map((p) => p.text)).toEqual(['a.example', 'b.example']);
  });
});
