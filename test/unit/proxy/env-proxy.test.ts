import { getProxyForUrl } from 'proxy-from-env';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NetFailure } from '../../../src-main/core/errors/net-failure';
import { resolveFromEnvironment, type EnvTable } from '../../../src-main/core/proxy/env-proxy';
import { routeToCandidate } from '../../../src-main/core/proxy/proxy-endpoint';

/** `(env, url) → [proxy or 'direct', reason]`, like proxy-from-env's own table. */
function decide(env: EnvTable, url: string): [string, string] {
  const result = resolveFromEnvironment(url, env);
  return [routeToCandidate(result.route).url, result.reason];
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('resolveFromEnvironment: which variable', () => {
  it.each<[EnvTable, string, string, string]>([
    // env, url, expected proxy, expected reason
    [{}, 'ws://h/', 'direct', 'no proxy variable is set for ws://'],
    [{}, 'wss://h/', 'direct', 'no proxy variable is set for wss://'],
    [{ HTTPS_PROXY: 'http://p:1' }, 'wss://h/', 'http://p:1', 'HTTPS_PROXY is set'],
    [{ https_proxy: 'http://p:1' }, 'wss://h/', 'http://p:1', 'https_proxy is set'],
    [{ HTTP_PROXY: 'http://p:1' }, 'ws://h/', 'http://p:1', 'HTTP_PROXY is set'],
    [{ http_proxy: 'http://p:1' }, 'ws://h/', 'http://p:1', 'http_proxy is set'],
    // ws:// never uses HTTPS_PROXY, wss:// never HTTP_PROXY.
    [{ HTTPS_PROXY: 'http://p:1' }, 'ws://h/', 'direct', 'no proxy variable is set for ws://'],
    [{ HTTP_PROXY: 'http://p:1' }, 'wss://h/', 'direct', 'no proxy variable is set for wss://'],
    [{ WSS_PROXY: 'http://w:1' }, 'ws://h/', 'direct', 'no proxy variable is set for ws://'],
    // WS_PROXY / WSS_PROXY come first.
    [{ WS_PROXY: 'http://w:1', HTTP_PROXY: 'http://p:1' }, 'ws://h/', 'http://w:1', 'WS_PROXY is set'],
    [{ ws_proxy: 'http://w:1', HTTP_PROXY: 'http://p:1' }, 'ws://h/', 'http://w:1', 'ws_proxy is set'],
    [{ WSS_PROXY: 'http://w:1', HTTPS_PROXY: 'http://p:1' }, 'wss://h/', 'http://w:1', 'WSS_PROXY is set'],
    [{ wss_proxy: 'http://w:1', https_proxy: 'http://p:1' }, 'wss://h/', 'http://w:1', 'wss_proxy is set'],
    // Lower case wins over upper case, per name; upper-case WS_PROXY still beats http_proxy.
    [{ https_proxy: 'http://low:1', HTTPS_PROXY: 'http://up:1' }, 'wss://h/', 'http://low:1', 'https_proxy is set'],
    [{ http_proxy: 'http://low:1', HTTP_PROXY: 'http://up:1' }, 'ws://h/', 'http://low:1', 'http_proxy is set'],
    [{ WS_PROXY: 'http://w:1', http_proxy: 'http://low:1' }, 'ws://h/', 'http://w:1', 'WS_PROXY is set'],
    [{ all_proxy: 'http://low:1', ALL_PROXY: 'http://up:1' }, 'ws://h/', 'http://low:1', 'all_proxy is set'],
    // A variable set to '' is not set.
    [{ https_proxy: '', HTTPS_PROXY: 'http://up:1' }, 'wss://h/', 'http://up:1', 'HTTPS_PROXY is set'],
    [{ wss_proxy: '', HTTPS_PROXY: 'http://up:1' }, 'wss://h/', 'http://up:1', 'HTTPS_PROXY is set'],
    [{ HTTPS_PROXY: '' }, 'wss://h/', 'direct', 'no proxy variable is set for wss://'],
    [{ HTTPS_PROXY: undefined }, 'wss://h/', 'direct', 'no proxy variable is set for wss://'],
    // ALL_PROXY is the fallback for both.
    [{ ALL_PROXY: 'socks5://s:1080' }, 'ws://h/', 'socks5://s:1080', 'ALL_PROXY is set'],
    [{ ALL_PROXY: 'socks5://s:1080' }, 'wss://h/', 'socks5://s:1080', 'ALL_PROXY is set'],
    [{ ALL_PROXY: 'http://a:1', HTTPS_PROXY: 'http://p:1' }, 'wss://h/', 'http://p:1', 'HTTPS_PROXY is set'],
    // Values: bare host:port is http, https:// and socks proxies are kept, a trailing / is fine.
    [{ HTTPS_PROXY: 'p.corp:3128' }, 'wss://h/', 'http://p.corp:3128', 'HTTPS_PROXY is set'],
    [{ HTTPS_PROXY: 'https://p.corp' }, 'wss://h/', 'https://p.corp:443', 'HTTPS_PROXY is set'],
    [{ HTTPS_PROXY: 'http://p.corp:3128/' }, 'wss://h/', 'http://p.corp:3128', 'HTTPS_PROXY is set'],
    [{ HTTPS_PROXY: 'socks5h://s' }, 'wss://h/', 'socks5://s:1080', 'HTTPS_PROXY is set'],
    // Other variables mean nothing here.
    [{ FTP_PROXY: 'http://f:1', GOPHER_PROXY: 'http://g:1', PROXY: 'http://x:1' }, 'wss://h/', 'direct', 'no proxy variable is set for wss://'],
  ])('%j %s → %s', (env, url, proxy, reason) => {
    expect(decide(env, url)).toEqual([proxy, reason]);
  });

  it('keeps the credentials of the variable on the route, never in the display URL', () => {
    const result = resolveFromEnvironment('wss://h/', { HTTPS_PROXY: 'http://alice:s%40cret@p:1' });
    expect(result.route).toEqual({
      kind: 'proxy',
      proxy: { protocol: 'http', host: 'p', port: 1, username: 'alice', password: 's@cret', displayUrl: 'http://p:1' },
    });
    expect(result.reason).not.toContain('alice');
  });
});

describe('resolveFromEnvironment: NO_PROXY', () => {
  const proxy = { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1' };
  it.each<[string, string, string | null]>([
    // NO_PROXY value, url, the entry named in the reason (null: the proxy is used)
    ['*', 'wss://anything.example/', '*'],
    ['.corp', 'wss://a.corp/', '.corp'],
    ['.corp', 'wss://a.b.corp/', '.corp'],
    ['.corp', 'wss://corp/', null],
    ['.corp', 'wss://xcorp/', null],
    ['corp', 'wss://corp/', 'corp'],
    ['corp', 'wss://a.corp/', null],
    // A plain name matches only exactly: `xcorp` is not `corp`.
    ['corp', 'wss://xcorp/', null],
    ['*.corp', 'wss://a.corp/', '*.corp'],
    ['*.corp', 'wss://corp/', null],
    // proxy-from-env's suffix rule: `*corp` drops the * and matches any name ending in corp.
    ['*corp', 'wss://xcorp/', '*corp'],
    ['a.corp:8443', 'wss://a.corp:8443/', 'a.corp:8443'],
    ['a.corp:8443', 'wss://a.corp/', null],
    // Without a port in the URL, the scheme's default is compared.
    ['a.corp:443', 'wss://a.corp/', 'a.corp:443'],
    ['a.corp:80', 'ws://a.corp/', 'a.corp:80'],
    ['a.corp:443', 'ws://a.corp/', null],
    ['.corp:443', 'wss://x.corp/', '.corp:443'],
    ['127.0.0.1', 'ws://127.0.0.1:9000/', '127.0.0.1'],
    ['127.0.0.1', 'ws://127.0.0.2/', null],
    ['10.0.0.5:9000', 'ws://10.0.0.5:9000/', '10.0.0.5:9000'],
    ['[::1]', 'ws://[::1]:8080/', '[::1]'],
    ['[::1]:8080', 'ws://[::1]:8080/', '[::1]:8080'],
    // A bare IPv6 address is not how proxy-from-env spells it (the URL host has brackets).
    ['::1', 'ws://[::1]:8080/', null],
    // No CIDR in proxy-from-env.
    ['10.0.0.0/8', 'ws://10.1.2.3/', null],
    // Lists: commas, spaces, both, empty entries.
    ['a.example, .corp', 'wss://x.corp/', '.corp'],
    ['a.example .corp', 'wss://x.corp/', '.corp'],
    ['a.example,,  ,.corp,', 'wss://x.corp/', '.corp'],
    ['a.example\t.corp', 'wss://x.corp/', '.corp'],
    ['a.example, b.example', 'wss://x.corp/', null],
    ['', 'wss://x.corp/', null],
    [' , ', 'wss://x.corp/', null],
    // Case does not matter.
    ['.CORP', 'wss://X.Corp/', '.corp'],
    // `*` inside a list is a suffix match of '' (everything), as in proxy-from-env.
    ['a.example, *', 'wss://x.corp/', '*'],
  ])('NO_PROXY=%j, %s → %s', (noProxy, url, entry) => {
    const [chosen, reason] = decide({ ...proxy, NO_PROXY: noProxy }, url);
    if (entry === null) {
      expect(chosen).toBe('http://p:1');
      return;
    }
    expect(chosen).toBe('direct');
    const expected = noProxy === '*' ? 'NO_PROXY is `*`' : `NO_PROXY entry \`${entry}\` matched`;
    expect(reason).toBe(`${expected}, so ${url.startsWith('wss') ? 'HTTPS_PROXY' : 'HTTP_PROXY'} is not used`);
  });

  it.each<[EnvTable, string]>([
    // Lower case wins over upper case; an empty lower-case value falls back to upper case.
    [{ ...proxy, no_proxy: '.corp', NO_PROXY: 'other' }, 'no_proxy entry `.corp` matched, so HTTPS_PROXY is not used'],
    [{ ...proxy, no_proxy: 'other', NO_PROXY: '.corp' }, 'HTTPS_PROXY is set'],
    [{ ...proxy, no_proxy: '', NO_PROXY: '.corp' }, 'NO_PROXY entry `.corp` matched, so HTTPS_PROXY is not used'],
    [{ ...proxy, no_proxy: '*' }, 'no_proxy is `*`, so HTTPS_PROXY is not used'],
    // NO_PROXY alone changes nothing: there is no proxy to bypass.
    [{ NO_PROXY: '.corp' }, 'no proxy variable is set for wss://'],
  ])('%j', (env, reason) => {
    expect(decide(env, 'wss://x.corp/')[1]).toBe(reason);
  });

  it('does not parse a proxy variable that NO_PROXY bypasses', () => {
    expect(decide({ HTTPS_PROXY: 'ftp://broken', NO_PROXY: '*' }, 'wss://h/')).toEqual([
      'direct',
      'NO_PROXY is `*`, so HTTPS_PROXY is not used',
    ]);
  });

  it('agrees with proxy-from-env itself on every NO_PROXY case', () => {
    const noProxies = ['*', '.corp', 'corp', '*.corp', 'a.corp:443', 'a.corp:8443', '127.0.0.1', '[::1]', '::1', 'a, .corp', ' ', '*corp', 'x.corp:80'];
    const urls = ['wss://a.corp/', 'wss://a.corp:8443/', 'ws://a.corp/', 'wss://corp/', 'ws://127.0.0.1:80/', 'ws://[::1]/', 'wss://xcorp/', 'ws://x.corp/'];
    for (const noProxy of noProxies) {
      for (const url of urls) {
        // proxy-from-env as documented: it reads process.env.
        vi.stubEnv('no_proxy', noProxy);
        vi.stubEnv('ws_proxy', 'http://p:1');
        vi.stubEnv('wss_proxy', 'http://p:1');
        const theirs = getProxyForUrl(url) === '' ? 'direct' : 'proxy';
        vi.unstubAllEnvs();
        const ours = decide({ ...proxy, no_proxy: noProxy }, url)[0] === 'direct' ? 'direct' : 'proxy';
        expect(`${noProxy} ${url} ${ours}`).toBe(`${noProxy} ${url} ${theirs}`);
      }
    }
  });

  it('ignores the real process.env and leaves it as it was', () => {
    vi.stubEnv('NO_PROXY', '*');
    vi.stubEnv('HTTPS_PROXY', 'http://from-process:1');
    const before = process.env;
    expect(decide({ HTTPS_PROXY: 'http://p:1' }, 'wss://h/')).toEqual(['http://p:1', 'HTTPS_PROXY is set']);
    expect(decide({}, 'wss://h/')).toEqual(['direct', 'no proxy variable is set for wss://']);
    expect(process.env).toBe(before);
    expect(process.env.NO_PROXY).toBe('*');
    expect(process.env.all_proxy).toBeUndefined();
  });
});

describe('resolveFromEnvironment: hostile input', () => {
  function invalid(env: EnvTable, url = 'wss://h/'): NetFailure {
    try {
      resolveFromEnvironment(url, env);
    } catch (error) {
      if (error instanceof NetFailure) return error;
      throw error;
    }
    throw new Error('expected a NetFailure');
  }

  it.each<[string, string]>([
    // value, what the message says
    ['ftp://p:21', 'ftp:// is not a proxy scheme'],
    ['socks4://p:1080', 'socks4:// is not a proxy scheme'],
    ['not a url', 'a space is not allowed in a proxy URL'],
    ['http://p:1\u0000', 'a control character (U+0000) is not allowed in a proxy URL'],
    ['http://p\u0000q:1', 'a control character (U+0000) is not allowed in a proxy URL'],
    ['http://p:1/some/path', 'has no path'],
    ['http://p:70000', 'from 1 to 65535'],
    ['://', 'the scheme before :// is not valid'],
    ['http://', 'it has no host'],
    ['   ', 'it is empty'],
    [`http://${'a'.repeat(100_000)}:1`, 'longer than 2048'],
  ])('HTTPS_PROXY=%j is PROXY_URL_INVALID', (value, text) => {
    const failure = invalid({ HTTPS_PROXY: value });
    expect(failure.netError.stage).toBe('resolve');
    expect(failure.netError.code).toBe('PROXY_URL_INVALID');
    expect(failure.netError.message).toContain('HTTPS_PROXY');
    expect(failure.netError.message).toContain(text);
    expect(failure.netError.message.length).toBeLessThan(400);
  });

  it('names the variable that was used and hides its credentials', () => {
    const failure = invalid({ all_proxy: 'gopher://bob:hunter2@p:1' }, 'ws://h/');
    expect(failure.netError.message).toContain('all_proxy');
    expect(JSON.stringify(failure.netError)).not.toContain('hunter2');
  });

  it('ignores a __proto__ key and inherited variables', () => {
    const fromJson: unknown = JSON.parse('{"__proto__": {"HTTPS_PROXY": "http://evil:1"}, "NO_PROXY": "x"}');
    expect(typeof fromJson === 'object' && fromJson !== null && Object.hasOwn(fromJson, '__proto__')).toBe(true);
    const env: EnvTable = Object.fromEntries(Object.entries(fromJson ?? {}));
    expect(decide(env, 'wss://h/')).toEqual(['direct', 'no proxy variable is set for wss://']);

    const inherited: EnvTable = Object.create({ HTTPS_PROXY: 'http://evil:1', NO_PROXY: '*' });
    expect(decide(inherited, 'wss://h/')).toEqual(['direct', 'no proxy variable is set for wss://']);

    const literal: EnvTable = { ['__proto__']: 'http://evil:1', HTTPS_PROXY: 'http://p:1' };
    expect(decide(literal, 'wss://h/')).toEqual(['http://p:1', 'HTTPS_PROXY is set']);

    const nullProto: Record<string, string> = Object.create(null);
    nullProto.HTTPS_PROXY = 'http://p:1';
    nullProto.__proto__ = 'http://evil:1';
    expect(decide(nullProto, 'wss://h/')).toEqual(['http://p:1', 'HTTPS_PROXY is set']);
  });

  it('ignores values that are not strings', () => {
    const weird: unknown = { HTTPS_PROXY: 42, https_proxy: { toString: () => 'http://evil:1' }, ALL_PROXY: ['http://evil:1'], NO_PROXY: 7 };
    const env: EnvTable = Object.fromEntries(Object.entries(weird ?? {}));
    expect(decide(env, 'wss://h/')).toEqual(['direct', 'no proxy variable is set for wss://']);
  });

  it('copes with NUL bytes and huge lists in NO_PROXY', () => {
    expect(decide({ HTTPS_PROXY: 'http://p:1', NO_PROXY: 'a\u0000b,.corp' }, 'wss://x.corp/')[0]).toBe('direct');
    expect(decide({ HTTPS_PROXY: 'http://p:1', NO_PROXY: '\u0000' }, 'wss://x.corp/')[0]).toBe('http://p:1');
    const huge = Array.from({ length: 50_000 }, (_, i) => `host${i}.example`).join(',');
    expect(decide({ HTTPS_PROXY: 'http://p:1', NO_PROXY: `${huge},.corp` }, 'wss://x.corp/')).toEqual([
      'direct',
      'NO_PROXY entry `.corp` matched, so HTTPS_PROXY is not used',
    ]);
    // A matching entry thousands of characters long is shortened in the reason.
    const longDomain = `.${'a'.repeat(5000)}`;
    const [chosen, reason] = decide({ HTTPS_PROXY: 'http://p:1', NO_PROXY: longDomain }, `wss://x${longDomain}/`);
    expect(chosen).toBe('direct');
    expect(reason).toMatch(/^NO_PROXY entry `\.a+…` matched/);
    expect(reason.length).toBeLessThan(400);
    expect(decide({ HTTPS_PROXY: 'http://p:1', NO_PROXY: ':'.repeat(100_000) }, 'wss://x.corp/')[0]).toBe('http://p:1');
  });

  it('never throws anything but PROXY_URL_INVALID, whatever the table holds', () => {
    const values = ['', ' ', '*', '\u0000', '__proto__', 'constructor', 'toString', ':', '::', '@', '//', 'http://@', '%', '%zz', 'http://[', '[::1]', '1', 'x'.repeat(10_000), '\uD800', 'http://é:1'];
    const names = ['HTTPS_PROXY', 'https_proxy', 'WSS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'NO_PROXY', 'no_proxy', '__proto__', 'constructor'];
    for (const name of names) {
      for (const value of values) {
        for (const url of ['ws://h/', 'wss://a.corp:1/', 'ws://[::1]/']) {
          try {
            const result = resolveFromEnvironment(url, { [name]: value });
            expect(typeof result.reason).toBe('string');
          } catch (error) {
            expect(error).toBeInstanceOf(NetFailure);
            if (error instanceof NetFailure) expect(error.netError.code).toBe('PROXY_URL_INVALID');
          }
        }
      }
    }
  });
});
