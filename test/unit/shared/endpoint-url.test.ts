/**
 * The one URL parser for every URL that decides where a secret goes. The table holds inputs
 * that parsers are known to read differently (backslashes, @ in the user name and the path,
 * tabs and line breaks, %-escapes, IPv6 literals and zone ids, trailing dots, upper-case
 * schemes): each is either refused with a message that says what is wrong, or read one way,
 * the same way WHATWG URL reads it.
 */
import { describe, expect, it } from 'vitest';
import { endpointUrlProblem, parseEndpointUrl, sameEndpointOrigin, type EndpointUrlKind } from '../../../src-main/shared/endpoint-url';

type Accepted = { origin: string; pathAndQuery?: string; username?: string; password?: string };

/** Inputs read one way: what they mean. */
const ACCEPTED: [EndpointUrlKind, string, Accepted][] = [
  // Upper-case schemes and hosts are normalised, not refused.
  ['proxy', 'HTTP://PROXY.Corp:3128', { origin: 'http://proxy.corp:3128' }],
  ['server', 'WSS://Echo.Example/Path', { origin: 'wss://echo.example:443', pathAndQuery: '/Path' }],
  ['pac', 'HTTPS://Pac.Corp/proxy.pac?v=1', { origin: 'https://pac.corp:443', pathAndQuery: '/proxy.pac?v=1' }],
  // The default port is filled in; a port equal to another scheme's default is kept.
  ['server', 'ws://h', { origin: 'ws://h:80', pathAndQuery: '/' }],
  ['server', 'ws://h:0080/x', { origin: 'ws://h:80', pathAndQuery: '/x' }],
  ['proxy', 'socks5://s:80', { origin: 'socks5://s:80' }],
  ['proxy', 'socks5h://s', { origin: 'socks5://s:1080' }],
  ['proxy', 'proxy.corp:3128', { origin: 'http://proxy.corp:3128' }],
  ['proxy', '  http://proxy.corp:3128/  ', { origin: 'http://proxy.corp:3128' }],
  // @ in the path is part of the path (the authority ends at the first /).
  ['server', 'ws://h:1/users/@me', { origin: 'ws://h:1', pathAndQuery: '/users/@me' }],
  // One @ in the authority: the user name and password, %-decoded exactly once.
  ['proxy', 'http://al%40ice:p%3Ass%2540@proxy:1', { origin: 'http://proxy:1', username: 'al@ice', password: 'p:ss%40' }],
  ['server', 'ws://u:p@h/', { origin: 'ws://h:80', pathAndQuery: '/', username: 'u', password: 'p' }],
  ['proxy', 'http://alice@proxy:1', { origin: 'http://proxy:1', username: 'alice', password: '' }],
  // %-escapes in the path stay as written.
  ['server', 'ws://h/a%2Fb', { origin: 'ws://h:80', pathAndQuery: '/a%2Fb' }],
  // IPv6 literals: brackets off, canonical form.
  ['proxy', 'http://[::1]:3128', { origin: 'http://[::1]:3128' }],
  ['server', 'ws://[0:0::1]/', { origin: 'ws://[::1]:80', pathAndQuery: '/' }],
  ['proxy', '[2001:DB8::1]', { origin: 'http://[2001:db8::1]:80' }],
  // IDNA: a non-ASCII label becomes its xn-- form.
  ['proxy', 'http://bücher.example:1', { origin: 'http://xn--bcher-kva.example:1' }],
  // The fragment never goes anywhere.
  ['server', 'ws://h/p?q=1#frag', { origin: 'ws://h:80', pathAndQuery: '/p?q=1' }],
  ['proxy', 'http://p:65535', { origin: 'http://p:65535' }],
];

/** Inputs refused: what the message says. */
const REFUSED: [EndpointUrlKind, string, string][] = [
  // Backslashes: WHATWG reads them as / in http and ws URLs, a plain split does not.
  ['proxy', 'http://127.0.0.1:13129\\@127.0.0.1:18999', 'a backslash is not allowed in a proxy URL'],
  ['server', 'ws://good.example\\@evil.example/', 'a backslash is not allowed in a server URL'],
  ['pac', 'http://pac.corp\\@evil/x.pac', 'a backslash is not allowed in a PAC URL'],
  ['server', 'ws://h/a\\b', 'a backslash is not allowed in a server URL'],
  // @ that could be read two ways.
  ['proxy', 'http://u:p@ss@proxy:1', 'more than one @ before the host'],
  ['server', 'ws://a@b@c/', 'more than one @ before the host'],
  // @ in a proxy URL's path: a proxy URL has none.
  ['proxy', 'http://evil/@127.0.0.1:13129', 'a proxy URL has no path, query or fragment'],
  ['proxy', 'http://proxy:1#@evil', 'a proxy URL has no path, query or fragment'],
  // Tabs, line breaks, control characters anywhere (WHATWG silently drops tabs and newlines).
  ['proxy', 'http://127.0.0.1:1\t@evil:2', 'a tab is not allowed in a proxy URL'],
  ['server', 'ws://ev\nil.example/', 'a line break is not allowed in a server URL'],
  ['server', 'ws://h/\r', 'a line break is not allowed in a server URL'],
  ['pac', 'http://pac\u0000.corp/', 'a control character (U+0000) is not allowed in a PAC URL'],
  ['proxy', '\thttp://proxy:1', 'a tab is not allowed in a proxy URL'],
  ['server', 'ws://h/a b', 'a space is not allowed in a server URL'],
  // %-escapes: in the host WHATWG decodes them; in the user name they must be well formed.
  ['server', 'ws://exa%6Dple.com/', 'a %-escape is not allowed in the host'],
  ['proxy', 'http://127.0.0.1%3A18999', 'a %-escape is not allowed in the host'],
  ['proxy', 'http://%E0%A4%A:pw@proxy:1', 'bad %-escape'],
  // IPv6 literals and zone ids.
  ['proxy', 'http://[fe80::1%25eth0]:3128', 'the IPv6 zone id "eth0" is not supported'],
  ['server', 'ws://[fe80::1%eth0]/', 'the IPv6 zone id "eth0" is not supported'],
  ['proxy', 'http://[fe80::1%25]:1', 'empty zone id'],
  ['proxy', 'http://::1:3128', 'must be written in brackets'],
  ['proxy', 'http://[::1', 'missing its closing ]'],
  ['proxy', 'http://[::1]x:1', 'unexpected text after the IPv6 address'],
  ['server', 'ws://[zz::1]/', '[zz::1] is not a valid IPv6 address'],
  ['server', 'ws://::1]/', 'a ] without its ['],
  // Trailing dots: "proxy." and "proxy" can be two hosts; WHATWG drops the dot of an IPv4 address.
  ['proxy', 'http://127.0.0.1.:13129', 'a host name ending in a dot is not allowed (write "127.0.0.1")'],
  ['server', 'ws://example.com./', 'a host name ending in a dot is not allowed (write "example.com")'],
  // A host WHATWG reads differently from how it is written.
  ['proxy', 'http://127.1:3128', 'the host "127.1" reads as 127.0.0.1'],
  ['proxy', 'http://0x7f.0.0.1:3128', 'reads as 127.0.0.1'],
  ['server', 'ws://2130706433/', 'reads as 127.0.0.1'],
  ['server', 'ws://１２７.０.０.１/', 'reads as 127.0.0.1'],
  ['server', 'ws://ｅｘａｍｐｌｅ.com/', 'reads as example.com'],
  ['server', 'ws://a。b/', 'reads as a.b'],
  // Ports.
  ['proxy', 'http://proxy:0', 'port 0 is not a port'],
  ['server', 'ws://h:0/', 'port 0 is not a port'],
  ['pac', 'http://h:00000/p.pac', 'port 0 is not a port'],
  ['server', 'ws://h:65536/', 'port 65536 is out of range (the port must be a number from 1 to 65535)'],
  ['proxy', 'http://proxy:', 'the port after ":" is empty'],
  ['server', 'ws://h:/', 'the port after ":" is empty'],
  ['proxy', 'http://proxy:-1', 'the port is not a number from 1 to 65535'],
  ['proxy', 'http://proxy:99999999', 'the port is not a number from 1 to 65535'],
  // Schemes and shapes.
  ['server', 'http://h/', 'the URL must start with ws:// or wss://, not http://'],
  ['pac', 'ftp://h/p.pac', 'a PAC URL must start with http://, https:// or file://, not ftp://'],
  ['proxy', 'socks4://proxy:1080', 'socks4:// is not a proxy scheme Tunnelscope supports'],
  ['server', 'not a url', 'it is not a URL (expected ws://'],
  ['server', 'ws:/h/', 'ws: must be followed by two slashes'],
  ['server', 'ws:///h/', 'ws: must be followed by exactly two slashes'],
  ['proxy', 'http:proxy:3128', 'http: must be followed by two slashes'],
  ['server', 'echo.example/', 'it is not a URL'],
  ['proxy', 'pro xy:1', 'a space is not allowed in a proxy URL'],
  ['proxy', '1http://x', 'the scheme before :// is not valid'],
  ['server', 'ws://', 'it has no host'],
  ['proxy', 'http://user:pw@', 'it has no host'],
  ['proxy', 'http://:pw@proxy:1', 'a password but no user name'],
  ['proxy', '', 'it is empty'],
  ['server', 'ws://h/'.padEnd(9000, 'a'), 'longer than 8192 characters'],
];

describe('parseEndpointUrl', () => {
  it.each(ACCEPTED)('%s %j reads one way', (kind, input, expected) => {
    const result = parseEndpointUrl(input, kind);
    expect(result).toMatchObject({ ok: true, endpoint: { origin: expected.origin, pathAndQuery: expected.pathAndQuery ?? '/' } });
    if (!result.ok) return;
    expect(result.endpoint.username).toBe(expected.username);
    expect(result.endpoint.password).toBe(expected.password);
    expect(result.endpoint.href).toBe(`${expected.origin}${expected.pathAndQuery ?? '/'}`);
    // Credentials are never part of what is shown or compared.
    if (expected.password) expect(JSON.stringify([result.endpoint.origin, result.endpoint.href])).not.toContain(expected.password);
  });

  it.each(REFUSED)('%s %j is refused', (kind, input, problem) => {
    const result = parseEndpointUrl(input, kind);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem).toContain(problem);
  });

  it('agrees with WHATWG URL on every input it accepts', () => {
    for (const [kind, input, expected] of ACCEPTED) {
      if (kind === 'proxy' && !/^https?:\/\//i.test(input.trim())) continue; // socks and bare host:port are not WHATWG URLs
      const url = new URL(input.trim());
      const port = url.port === '' ? ({ 'http:': 80, 'https:': 443, 'ws:': 80, 'wss:': 443 } as Record<string, number>)[url.protocol] : Number(url.port);
      expect(`${url.protocol}//${url.hostname}:${port}`).toBe(expected.origin);
    }
  });

  it('never quotes a password in a problem, even one cut at a / into the port', () => {
    for (const input of ['ws://alice:hunter2/x@h/', 'http://alice:hunter2@proxy:0', 'http://alice:hunter2@pro%78y:1', 'http://alice:hunter2@[fe80::1%25eth0]:1']) {
      const result = parseEndpointUrl(input, input.startsWith('ws') ? 'server' : 'proxy');
      expect(result.ok).toBe(false);
      expect(JSON.stringify(result)).not.toContain('hunter2');
    }
  });

  it('answers values that are not text instead of throwing', () => {
    for (const value of [undefined, null, 42, {}, []]) {
      expect(parseEndpointUrl(value, 'server')).toEqual({ ok: false, problem: 'it is not text' });
    }
  });

  it('says whether two URLs name the same place', () => {
    expect(sameEndpointOrigin('http://127.0.0.1:13129', 'HTTP://127.0.0.1:13129/', 'proxy')).toBe(true);
    expect(sameEndpointOrigin('http://proxy', 'http://proxy:80', 'proxy')).toBe(true);
    expect(sameEndpointOrigin('ws://h/a', 'ws://u:p@h:80/b', 'server')).toBe(true);
    expect(sameEndpointOrigin('http://127.0.0.1:13129', 'http://127.0.0.1:13129\\@127.0.0.1:18999', 'proxy')).toBe(false);
    expect(sameEndpointOrigin('ws://h/', 'wss://h/', 'server')).toBe(false);
    expect(sameEndpointOrigin('not a url', 'not a url', 'server')).toBe(false);
    expect(endpointUrlProblem('ws://h/', 'server')).toBeUndefined();
    expect(endpointUrlProblem('ws://h:0/', 'server')).toContain('port 0');
  });
});
