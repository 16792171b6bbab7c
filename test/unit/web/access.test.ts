/** Who may talk to the web host: token comparison, the Host allow-list, the Origin rule. */
import { describe, expect, it } from 'vitest';
import { allowedHostHeaders, checkHost, checkOrigin, checkToken, newAccessToken, readCookies, tokenCookie, tokensMatch, type AccessPolicy } from '../../../src-main/web/access';

const policy: AccessPolicy = { token: 'secret-token', cookieName: 'tunnelscope_token_5199', allowedHosts: allowedHostHeaders('127.0.0.1', 5199, '127.0.0.1') };

describe('tokens', () => {
  it('are 24 random bytes in base64url', () => {
    const token = newAccessToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(newAccessToken()).not.toBe(token);
  });

  it('compare equal only when identical, whatever the lengths', () => {
    expect(tokensMatch('secret-token', 'secret-token')).toBe(true);
    expect(tokensMatch('secret-toke', 'secret-token')).toBe(false);
    expect(tokensMatch('', 'secret-token')).toBe(false);
    expect(tokensMatch('secret-token-and-more', 'secret-token')).toBe(false);
  });

  it('come from the query or the named cookie', () => {
    expect(checkToken({}, new URLSearchParams('token=secret-token'), policy)).toEqual({ ok: true, tokenFromQuery: true });
    expect(checkToken({ cookie: 'a=1; tunnelscope_token_5199=secret-token' }, new URLSearchParams(), policy)).toEqual({ ok: true, tokenFromQuery: false });
    expect(checkToken({ cookie: 'tunnelscope_token_4000=secret-token' }, new URLSearchParams(), policy)).toMatchObject({ ok: false, status: 401 });
    expect(checkToken({}, new URLSearchParams('token='), policy)).toMatchObject({ ok: false, status: 403 });
  });
});

describe('cookie tossing: a page on another 127.0.0.1 port plants a cookie of our name', () => {
  it('tries every cookie of our name: the planted one first and ours second still gets in', () => {
    const cookie = 'tunnelscope_token_5199=planted-by-attacker; tunnelscope_token_5199=secret-token';
    expect(checkToken({ cookie }, new URLSearchParams(), policy)).toEqual({ ok: true, tokenFromQuery: false });
  });

  it('ours first and the planted one second gets in too', () => {
    const cookie = 'tunnelscope_token_5199=secret-token; tunnelscope_token_5199=planted-by-attacker';
    expect(checkToken({ cookie }, new URLSearchParams(), policy)).toEqual({ ok: true, tokenFromQuery: false });
  });

  it('many planted ones before ours do not crowd it out', () => {
    const planted = Array.from({ length: 50 }, (_, i) => `tunnelscope_token_5199=planted-${i}`);
    const cookie = [...planted, 'tunnelscope_token_5199=secret-token'].join('; ');
    expect(checkToken({ cookie }, new URLSearchParams(), policy)).toMatchObject({ ok: true });
  });

  it('wrong cookies only are still refused (403), whatever their number', () => {
    const cookie = 'tunnelscope_token_5199=planted-by-attacker; tunnelscope_token_5199=another-guess';
    expect(checkToken({ cookie }, new URLSearchParams(), policy)).toMatchObject({ ok: false, status: 403 });
    expect(checkToken({ cookie: 'tunnelscope_token_5199=' }, new URLSearchParams(), policy)).toMatchObject({ ok: false, status: 403 });
  });

  it('a cookie of another name carrying our token does not count', () => {
    expect(checkToken({ cookie: 'xtunnelscope_token_5199=secret-token' }, new URLSearchParams(), policy)).toMatchObject({ ok: false, status: 401 });
  });

  it('readCookies returns every value of the name, in order, and nothing for malformed parts', () => {
    expect(readCookies('a=1; b=2; a=3;junk; a =4', 'a')).toEqual(['1', '3', '4']);
    expect(readCookies(undefined, 'a')).toEqual([]);
    expect(readCookies('', 'a')).toEqual([]);
  });
});

describe('the token cookie', () => {
  it('is HttpOnly and SameSite=Strict, and Secure over TLS', () => {
    expect(tokenCookie('n', 't')).toBe('n=t; Path=/; HttpOnly; SameSite=Strict');
    expect(tokenCookie('n', 't', true)).toBe('n=t; Path=/; HttpOnly; SameSite=Strict; Secure');
  });
});

describe('allowed Host headers', () => {
  it('loopback: the address and localhost, with the port', () => {
    expect([...allowedHostHeaders('127.0.0.1', 5199, '127.0.0.1')].sort()).toEqual(['127.0.0.1:5199', 'localhost:5199']);
    expect([...allowedHostHeaders('::1', 5199, '::1')].sort()).toEqual(['[::1]:5199', 'localhost:5199']);
  });

  it('a named address: the name and the address, not localhost', () => {
    expect([...allowedHostHeaders('192.168.1.5', 8080, 'my-box.lan')].sort()).toEqual(['192.168.1.5:8080', 'my-box.lan:8080']);
  });

  it('all interfaces: every local address (loopback included), never 0.0.0.0', () => {
    const hosts = allowedHostHeaders('0.0.0.0', 8080, '0.0.0.0');
    expect(hosts.has('127.0.0.1:8080')).toBe(true);
    expect(hosts.has('localhost:8080')).toBe(true);
    expect(hosts.has('0.0.0.0:8080')).toBe(false);
  });

  it('port 80 also matches the bare host, as browsers send it', () => {
    expect(allowedHostHeaders('127.0.0.1', 80, '127.0.0.1').has('127.0.0.1')).toBe(true);
  });

  it('checkHost refuses others with 421, case-insensitively accepting ours', () => {
    expect(checkHost({ host: 'LOCALHOST:5199' }, policy)).toBeUndefined();
    expect(checkHost({ host: 'evil.example:5199' }, policy)).toMatchObject({ ok: false, status: 421 });
    expect(checkHost({}, policy)).toMatchObject({ ok: false, status: 421 });
  });

  it('the 421 refusal names the Host it got, never the addresses that would pass', () => {
    const all = allowedHostHeaders('0.0.0.0', 8080, '0.0.0.0');
    const refusal = checkHost({ host: 'evil.example:8080' }, { ...policy, allowedHosts: all });
    expect(refusal).toMatchObject({ ok: false, status: 421 });
    const reason = refusal && !refusal.ok ? refusal.reason : '';
    expect(reason).toContain('"evil.example:8080"');
    for (const allowed of all) expect(reason).not.toContain(allowed.replace(/:8080$/, ''));
    expect(reason).not.toContain('localhost');
  });
});

describe('Origin', () => {
  it('must be http:// + the Host the request was sent to', () => {
    expect(checkOrigin({ host: '127.0.0.1:5199', origin: 'http://127.0.0.1:5199' })).toBeUndefined();
    expect(checkOrigin({ host: '127.0.0.1:5199', origin: 'http://localhost:5199' })).toMatchObject({ status: 403 });
    expect(checkOrigin({ host: '127.0.0.1:5199', origin: 'null' })).toMatchObject({ status: 403 });
    expect(checkOrigin({ host: '127.0.0.1:5199' })).toMatchObject({ status: 403 });
  });

  it('over TLS must be https:// + the Host (an http:// page may not use the wss:// socket)', () => {
    expect(checkOrigin({ host: '127.0.0.1:5199', origin: 'https://127.0.0.1:5199' }, 'https')).toBeUndefined();
    expect(checkOrigin({ host: '127.0.0.1:5199', origin: 'http://127.0.0.1:5199' }, 'https')).toMatchObject({ status: 403 });
  });
});
