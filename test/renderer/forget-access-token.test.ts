/**
 * The first thing the page does: take the web host's access token out of the address bar and
 * this tab's history entry (history.replaceState), keeping everything else of the address.
 */
import { describe, expect, it } from 'vitest';
import { addressWithoutToken, forgetAccessToken, type AddressWindow } from '../../src-renderer/src/forget-access-token';
import forgetSource from '../../src-renderer/src/forget-access-token.ts?raw';
import mainSource from '../../src-renderer/src/main.ts?raw';

function fakeWindow(href: string): AddressWindow & { replaced: { data: unknown; url: string | URL | null | undefined }[] } {
  const replaced: { data: unknown; url: string | URL | null | undefined }[] = [];
  return {
    replaced,
    location: { href },
    history: {
      state: { kept: true },
      replaceState(data, _unused, url) {
        replaced.push({ data, url });
      },
    },
  };
}

describe('addressWithoutToken', () => {
  it.each([
    ['http://127.0.0.1:5199/?token=abc', '/'],
    ['http://127.0.0.1:5199/?token=abc&tab=2', '/?tab=2'],
    ['http://127.0.0.1:5199/?tab=2&token=abc#frames', '/?tab=2#frames'],
    ['https://box.lan:8443/index.html?token=abc&token=again', '/index.html'],
    ['http://127.0.0.1:5199/?token=', '/'],
  ])('%s → %s', (href, expected) => {
    expect(addressWithoutToken(href)).toBe(expected);
  });

  it.each([['http://127.0.0.1:5199/'], ['http://127.0.0.1:5199/?tab=2'], ['http://127.0.0.1:5199/#token=abc'], ['app://tunnelscope/index.html'], ['not a url']])(
    '%s has no token to remove',
    (href) => {
      expect(addressWithoutToken(href)).toBeUndefined();
    },
  );
});

describe('forgetAccessToken', () => {
  it('replaces the current history entry (not a new one) with the address minus the token, keeping its state', () => {
    const win = fakeWindow('http://127.0.0.1:5199/?token=secret&tab=2');
    expect(forgetAccessToken(win)).toBe(true);
    expect(win.replaced).toEqual([{ data: { kept: true }, url: '/?tab=2' }]);
  });

  it('leaves an address without a token alone', () => {
    const win = fakeWindow('http://127.0.0.1:5199/');
    expect(forgetAccessToken(win)).toBe(false);
    expect(win.replaced).toEqual([]);
  });

  it('works on the real history API: the address loses the token', () => {
    window.history.replaceState(null, '', '/?token=secret-in-happy-dom&x=1');
    expect(window.location.search).toContain('token=');
    expect(forgetAccessToken(window)).toBe(true);
    expect(window.location.search).toBe('?x=1');
  });
});

describe('main.ts', () => {
  it('imports forget-access-token before anything else, so it runs first', () => {
    const imports = mainSource.split('\n').filter((line) => line.startsWith('import '));
    expect(imports[0]).toBe("import './forget-access-token';");
  });

  it('forget-access-token imports nothing (an import would run before it)', () => {
    expect(forgetSource).not.toMatch(/^import /m);
  });
});
