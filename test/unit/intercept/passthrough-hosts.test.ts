import { describe, expect, it } from 'vitest';
import { PassthroughList, parsePassthroughPattern, passthroughSourceText, type PassthroughPattern } from '../../../src-main/core/intercept/passthrough-hosts';
import { interceptProfileOf } from '../../../src-main/core/intercept/intercept-profile';
import { connectionOptionsSchema } from '../../../src-main/shared/model';

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

  it('merges a profile\'s list before the global one: a host on both is the profile\'s, each pattern once, and each match says its list', () => {
    const profile = new PassthroughList([pattern('*.corp.example'), pattern('10.0.0.5')]).from({ list: 'profile', profile: 'Corp' });
    const global = new PassthroughList([pattern('10.0.0.5'), pattern('pinned.example')]);
    const run = new PassthroughList([pattern('PINNED.example'), pattern('once.example')]).from({ list: 'run' });
    const merged = profile.with(global).with(run);
    expect(merged.patterns.map((p) => [p.text, passthroughSourceText(p.source)])).toEqual([
      ['*.corp.example', 'profile "Corp"'],
      ['10.0.0.5', 'profile "Corp"'],
      ['pinned.example', 'global'],
      ['once.example', '--passthrough'],
    ]);
    expect(merged.match('login.corp.example')?.source).toEqual({ list: 'profile', profile: 'Corp' });
    expect(merged.match('10.0.0.5')?.source).toEqual({ list: 'profile', profile: 'Corp' });
    expect(merged.match('pinned.example')?.source).toBeUndefined();
    expect(merged.match('once.example')?.source).toEqual({ list: 'run' });
    expect(merged.match('corp.example')).toBeUndefined();
  });

  it('a profile gives its way out (proxy, sign-in, proxy CA files, servers\' trust, deadlines) and its patterns, not its client certificate', () => {
    const options = connectionOptionsSchema.parse({
      url: 'wss://corp.example/socket',
      proxy: { mode: 'manual', url: 'http://proxy.corp.example:3128' },
      proxyAuth: { username: 'ann', password: 's3cret', domain: 'CORP' },
      proxyAuthScheme: 'ntlm',
      proxyCaFiles: ['/etc/corp/proxy-ca.pem'],
      tls: { caFiles: ['/etc/corp/ca.pem'], insecure: false, trust: 'ca-files', certFile: '/home/ann/me.pem', keyFile: '/home/ann/me.key' },
      timeouts: { proxyConnectMs: 3000 },
    });
    const made = interceptProfileOf({ id: 'p1', name: 'Corp', interceptPassthrough: ['*.bank.example'] }, options);
    expect(made.route).toEqual({
      proxy: { mode: 'manual', url: 'http://proxy.corp.example:3128' },
      proxyAuth: { username: 'ann', password: 's3cret', domain: 'CORP' },
      proxyAuthScheme: 'ntlm',
      proxyCaFiles: ['/etc/corp/proxy-ca.pem'],
      tls: { caFiles: ['/etc/corp/ca.pem'], insecure: false, trust: 'ca-files' },
      timeouts: options.timeouts,
    });
    expect(made.upstreamText).toBe('http://proxy.corp.example:3128');
    expect(made.passthrough.match('a.bank.example')).toMatchObject({ text: '*.bank.example', source: { list: 'profile', profile: 'Corp' } });
    const pac = interceptProfileOf({ id: 'p2', name: 'PAC' }, connectionOptionsSchema.parse({ url: 'ws://x.example/', proxy: { mode: 'pac', source: { kind: 'url', url: 'http://u:pw@wpad.corp.example/proxy.pac' } } }));
    expect(pac.upstreamText).toBe('PAC http://wpad.corp.example/proxy.pac');
    expect(pac.passthrough.patterns).toEqual([]);
  });
});
