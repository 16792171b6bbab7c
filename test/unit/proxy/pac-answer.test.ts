import { describe, expect, it } from 'vitest';
import { parsePacAnswer, quotePacAnswer } from '../../../src-main/core/proxy/pac-answer';
import { routeToCandidate } from '../../../src-main/core/proxy/proxy-endpoint';

/** The answer's routes as short strings: `direct`, `http://a:1`. */
function urls(answer: unknown): string[] | string {
  const result = parsePacAnswer(answer);
  return result.ok ? result.routes.map((route) => routeToCandidate(route).url) : `problem: ${result.problem}`;
}

describe('parsePacAnswer', () => {
  it.each([
    ['DIRECT', ['direct']],
    ['PROXY a:3128', ['http://a:3128']],
    ['PROXY a:1; HTTPS b:2; SOCKS5 c:3; SOCKS d:4; DIRECT', ['http://a:1', 'https://b:2', 'socks5://c:3', 'socks5://d:4', 'direct']],
    ['HTTP a:1', ['http://a:1']],
    // Odd spacing, case, empty entries.
    ['  proxy   a:1 ;;  ; direct ;', ['http://a:1', 'direct']],
    ['PROXY\ta:1;\nDIRECT', ['http://a:1', 'direct']],
    ['Proxy A.Example:8080', ['http://a.example:8080']],
    // Default ports per type.
    ['PROXY a', ['http://a:80']],
    ['HTTPS a', ['https://a:443']],
    ['SOCKS5 a', ['socks5://a:1080']],
    ['PROXY [::1]:3128', ['http://[::1]:3128']],
    ['PROXY 10.0.0.1:8080', ['http://10.0.0.1:8080']],
    // Order is kept, duplicates too (the session tries them in order).
    ['PROXY b:1; PROXY a:1; PROXY b:1', ['http://b:1', 'http://a:1', 'http://b:1']],
    // An empty answer means DIRECT.
    ['', ['direct']],
    ['   ', ['direct']],
    [';;', ['direct']],
  ])('%j → %j', (answer, expected) => {
    expect(urls(answer)).toEqual(expected);
  });

  it('skips unknown and unsupported entry types with a note', () => {
    const result = parsePacAnswer('SOCKS4 a:1; QUIC b:443; BOGUS c:1; PROXY d:1; DIRECT');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.routes.map((route) => routeToCandidate(route).url)).toEqual(['http://d:1', 'direct']);
    expect(result.notes.join('; ')).toContain('"SOCKS4 a:1" (SOCKS4 is not supported)');
    expect(result.notes.join('; ')).toContain('"QUIC b:443" (QUIC proxies are not supported)');
    expect(result.notes.join('; ')).toContain('"BOGUS c:1" (unknown entry type BOGUS)');
  });

  it('says that bare SOCKS is tried as SOCKS5', () => {
    const result = parsePacAnswer('SOCKS s:1080');
    expect(result.ok && result.notes).toEqual(['SOCKS s:1080 is tried as SOCKS5']);
  });

  it('has no notes for a plain answer', () => {
    const result = parsePacAnswer('PROXY a:1; DIRECT');
    expect(result.ok && result.notes).toEqual([]);
  });

  it.each([
    // answer, what the problem says
    ['SOCKS4 a:1', 'no entry Tunnelscope can use'],
    ['QUIC a:1; FOO b:2', 'no entry Tunnelscope can use'],
    ['PROXY', 'PROXY needs exactly one host:port'],
    ['PROXY a:1 b:2', 'PROXY needs exactly one host:port'],
    ['DIRECT a:1', 'DIRECT takes no host'],
    ['PROXY a:99999', 'from 1 to 65535'],
    ['PROXY a:0', 'from 1 to 65535'],
    ['PROXY a:b', 'from 1 to 65535'],
    ['PROXY :80', 'has no host'],
    ['PROXY http://a:1', 'without a scheme, path or credentials'],
    ['PROXY a:1/x', 'without a scheme, path or credentials'],
    ['PROXY user:pw@a:1', 'without a scheme, path or credentials'],
    ['PROXY a:1, PROXY b:2', 'PROXY needs exactly one host:port'],
    ['<html><body>oops</body></html>', 'is not a PAC entry'],
    ['{"proxy":"a:1"}', 'is not a PAC entry'],
    ['12345', 'is not a PAC entry'],
    ['DIRECT\u0000PROXY a:1', 'control characters'],
    ['PROXY a:1;'.repeat(65), 'more than 64'],
    ['x'.repeat(20_000), 'more than a proxy list can be'],
  ])('reports a problem for %j', (answer, text) => {
    const result = parsePacAnswer(answer);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem).toContain(text);
  });

  it.each([
    [undefined, 'undefined'],
    [null, 'null'],
    [42, 'a number'],
    [{ toString: () => 'DIRECT' }, 'an object'],
    [['DIRECT'], 'an array'],
    [true, 'a boolean'],
  ])('reports a value that is not a string (%j)', (answer, described) => {
    expect(parsePacAnswer(answer)).toEqual({ ok: false, problem: `the answer is ${described}, not a string` });
  });

  it('never echoes something that looks like credentials', () => {
    const result = parsePacAnswer('BOGUS alice:hunter2@a:1; DIRECT');
    expect(JSON.stringify(result)).not.toContain('hunter2');
    const bad = parsePacAnswer('PROXY alice:hunter2@a:1');
    expect(JSON.stringify(bad)).not.toContain('hunter2');
  });
});

describe('quotePacAnswer', () => {
  it('trims, caps and masks', () => {
    expect(quotePacAnswer('  PROXY a:1; DIRECT ')).toBe('"PROXY a:1; DIRECT"');
    expect(quotePacAnswer('PROXY u:p@a:1')).toBe('"PROXY ***@a:1"');
    expect(quotePacAnswer('x'.repeat(400))).toBe(`"${'x'.repeat(300)}…"`);
  });
});
