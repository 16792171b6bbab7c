/** Reading, taking out and putting back the password of a URL's userinfo. */
import { describe, expect, it } from 'vitest';
import { passwordInUrl, usernameInUrl, withUrlPassword, withoutUrlPassword } from '../../../src-main/shared/url-password';

describe('url-password', () => {
  it('reads the password percent-decoded and the user name as written', () => {
    expect(passwordInUrl('ws://bob:hunter2@host/')).toBe('hunter2');
    expect(passwordInUrl('ws://bob:p%40ss%25w@host/')).toBe('p@ss%w');
    expect(usernameInUrl('ws://b%20ob:x@host/')).toBe('b%20ob');
  });

  it('keeps a malformed escape as written, as ws does', () => {
    expect(passwordInUrl('ws://bob:a%zz@host/')).toBe('a%zz');
  });

  it.each([['ws://bob@host/'], ['ws://host/'], ['not a url'], ['']])('finds no password in %j', (url) => {
    expect(passwordInUrl(url)).toBeUndefined();
    expect(withoutUrlPassword(url)).toBe(url);
  });

  it('takes the password out and keeps the user name, path and query', () => {
    expect(withoutUrlPassword('wss://bob:hunter2@host:8443/a/b?c=1')).toBe('wss://bob@host:8443/a/b?c=1');
  });

  it.each([['hunter2'], ['p@ss:w/rd?#'], ['100%'], ['a%41'], ['a%zz'], ['ünï']])('puts %j back so that it reads the same', (password) => {
    const url = withUrlPassword('ws://bob@host/x', password);
    expect(passwordInUrl(url)).toBe(password);
    expect(usernameInUrl(url)).toBe('bob');
    expect(withoutUrlPassword(url)).toBe('ws://bob@host/x');
  });
});
