import { describe, expect, it } from 'vitest';
import { NetFailure } from '../../../src-main/core/errors/net-failure';
import { parseProxyUrl, redactProxyUrlText, tryParseProxyUrl } from '../../../src-main/core/proxy/parse-proxy-url';

describe('parseProxyUrl', () => {
  it.each([
    // input, protocol, host, port, displayUrl
    ['http://proxy.corp:3128', 'http', 'proxy.corp', 3128, 'http://proxy.corp:3128'],
    ['http://proxy.corp:3128/', 'http', 'proxy.corp', 3128, 'http://proxy.corp:3128'],
    ['http://proxy.corp', 'http', 'proxy.corp', 80, 'http://proxy.corp:80'],
    ['https://proxy.corp', 'https', 'proxy.corp', 443, 'https://proxy.corp:443'],
    ['https://proxy.corp:8443', 'https', 'proxy.corp', 8443, 'https://proxy.corp:8443'],
    ['socks5://s.corp', 'socks5', 's.corp', 1080, 'socks5://s.corp:1080'],
    ['socks5h://s.corp:9050', 'socks5', 's.corp', 9050, 'socks5://s.corp:9050'],
    ['socks://s.corp', 'socks5', 's.corp', 1080, 'socks5://s.corp:1080'],
    // A port equal to another scheme's default is kept (WHATWG URL would drop :80 for http).
    ['socks5://s.corp:80', 'socks5', 's.corp', 80, 'socks5://s.corp:80'],
    ['HTTP://PROXY.Corp:3128', 'http', 'proxy.corp', 3128, 'http://proxy.corp:3128'],
    ['proxy.corp:3128', 'http', 'proxy.corp', 3128, 'http://proxy.corp:3128'],
    ['proxy.corp', 'http', 'proxy.corp', 80, 'http://proxy.corp:80'],
    ['  http://proxy.corp:3128  ', 'http', 'proxy.corp', 3128, 'http://proxy.corp:3128'],
    ['127.0.0.1:8080', 'http', '127.0.0.1', 8080, 'http://127.0.0.1:8080'],
    ['http://[::1]:3128', 'http', '::1', 3128, 'http://[::1]:3128'],
    ['[2001:db8::1]', 'http', '2001:db8::1', 80, 'http://[2001:db8::1]:80'],
    ['http://bücher.example:1', 'http', 'xn--bcher-kva.example', 1, 'http://xn--bcher-kva.example:1'],
    ['http://p:65535', 'http', 'p', 65535, 'http://p:65535'],
    // Hostile-looking names are just host names: nothing is looked up on an object by them.
    ['__proto__:1', 'http', '__proto__', 1, 'http://__proto__:1'],
  ])('%s → %s %s:%d', (input, protocol, host, port, displayUrl) => {
    const endpoint = parseProxyUrl(input);
    expect(endpoint).toEqual({ protocol, host, port, displayUrl });
  });

  it.each([
    // input, username, password
    ['http://alice:s3cret@proxy:3128', 'alice', 's3cret'],
    ['http://alice@proxy:3128', 'alice', ''],
    ['http://al%40ice:p%3Ass%40w0rd@proxy:3128', 'al@ice', 'p:ss@w0rd'],
    ['alice:pw@proxy:3128', 'alice', 'pw'],
    ['socks5://u:p@s:1080', 'u', 'p'],
  ])('%s has user %s', (input, username, password) => {
    const endpoint = parseProxyUrl(input);
    expect(endpoint.username).toBe(username);
    expect(endpoint.password).toBe(password);
    expect(endpoint.displayUrl).not.toContain('@');
    if (password !== '') expect(endpoint.displayUrl).not.toContain(password);
  });

  it('treats an empty userinfo as no credentials', () => {
    expect(parseProxyUrl('http://@proxy:1').username).toBeUndefined();
    expect(parseProxyUrl('http://:@proxy:1').username).toBeUndefined();
  });

  it.each([
    // input, what the message must say
    ['', 'it is empty'],
    ['   ', 'it is empty'],
    ['ftp://proxy:21', 'ftp:// is not a proxy scheme'],
    ['socks4://proxy:1080', 'socks4:// is not a proxy scheme'],
    ['__proto__://x:1', 'the scheme before :// is not valid'],
    ['constructor://x:1', 'constructor:// is not a proxy scheme'],
    ['1http://x', 'scheme before :// is not valid'],
    ['http://proxy:3128/path', 'has no path'],
    ['http://proxy:3128?x=1', 'has no path, query or fragment'],
    ['http://proxy:3128#frag', 'has no path, query or fragment'],
    ['http://', 'it has no host'],
    ['http://:3128', 'it has no host'],
    ['http://user:pw@', 'it has no host'],
    ['http://proxy:', 'the port after ":" is empty'],
    ['http://proxy:0', 'port 0 is not a port'],
    ['http://proxy:65536', 'port 65536 is out of range'],
    ['http://proxy:99999999', 'from 1 to 65535'],
    ['http://proxy:-1', 'from 1 to 65535'],
    ['http://proxy:80x', 'from 1 to 65535'],
    ['http://::1:3128', 'must be written in brackets'],
    ['http://[::1', 'missing its closing ]'],
    ['http://[::1]x:1', 'unexpected text after the IPv6 address'],
    ['http://[zz::1]:1', '[zz::1] is not a valid IPv6 address'],
    ['http://pro xy:1', 'a space is not allowed in a proxy URL'],
    ['http://proxy\u0000evil:1', 'a control character (U+0000) is not allowed'],
    ['http://proxy\\evil:1', 'backslash'],
    ['http://pro%xy:1', 'a %-escape is not allowed in the host'],
    // Two readings of where the host starts: refused, not guessed (see endpoint-url.test.ts for the whole table).
    ['http://u:p@ss@proxy:1', 'more than one @'],
    ['http://127.0.0.1:13129\\@127.0.0.1:18999', 'a backslash is not allowed in a proxy URL'],
    ['http://%E0%A4%A:pw@proxy:1', 'bad %-escape'],
    ['http://:pw@proxy:1', 'password but no user name'],
  ])('rejects %j: %s', (input, text) => {
    let caught: unknown;
    try {
      parseProxyUrl(input, 'HTTPS_PROXY');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NetFailure);
    if (!(caught instanceof NetFailure)) return;
    expect(caught.netError.stage).toBe('resolve');
    expect(caught.netError.code).toBe('PROXY_URL_INVALID');
    expect(caught.netError.message).toContain('HTTPS_PROXY');
    expect(caught.netError.message).toContain(text);
    expect(caught.netError.hint).not.toBe('');
  });

  it('rejects a value longer than 2048 characters', () => {
    const result = tryParseProxyUrl(`http://${'a'.repeat(3000)}:1`);
    expect(result).toEqual({ ok: false, problem: 'it is longer than 2048 characters' });
  });

  it('never puts credentials in the error message', () => {
    for (const input of ['ftp://alice:hunter2@proxy:1', 'http://alice:hunter2@proxy:0', 'http://alice:hunter2@proxy/x', 'alice:hunter2@[::1']) {
      const result = tryParseProxyUrl(input);
      expect(result.ok).toBe(false);
      try {
        parseProxyUrl(input);
      } catch (error) {
        expect(JSON.stringify(error instanceof NetFailure ? error.netError : error)).not.toContain('hunter2');
      }
    }
  });

  it('does not throw on values that are not strings', () => {
    // A table read from JSON might hold anything; the parser answers, it does not crash.
    const values: unknown[] = [undefined, null, 42, {}, []];
    for (const value of values) {
      const result = Reflect.apply(tryParseProxyUrl, undefined, [value]);
      expect(result).toEqual({ ok: false, problem: 'it is not text' });
    }
  });
});

describe('redactProxyUrlText', () => {
  it.each([
    ['http://u:p@h:1', 'http://***@h:1'],
    ['u:p@h:1', '***@h:1'],
    ['http://h:1', 'http://h:1'],
    ['http://h:1/a@b', 'http://h:1/a@b'],
  ])('%s → %s', (input, expected) => {
    expect(redactProxyUrlText(input)).toBe(expected);
  });
});
