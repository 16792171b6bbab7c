import { describe, expect, it } from 'vitest';
import {
  basicProxyAuthorization,
  describeChallenges,
  offersBasic,
  parseProxyAuthenticate,
  type AuthChallenges,
} from '../../../src-main/core/proxy/proxy-auth';

describe('basicProxyAuthorization', () => {
  it('encodes user:password in base64', () => {
    expect(basicProxyAuthorization('Aladdin', 'open sesame')).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
  });

  it('encodes non-ASCII as UTF-8 (RFC 7617)', () => {
    expect(basicProxyAuthorization('test', '123£')).toBe('Basic dGVzdDoxMjPCow==');
  });

  it('keeps an empty password', () => {
    expect(basicProxyAuthorization('bob', '')).toBe(`Basic ${Buffer.from('bob:').toString('base64')}`);
  });
});

describe('parseProxyAuthenticate', () => {
  const cases: [string, string[], AuthChallenges][] = [
    ['one Basic challenge', ['Basic realm="corp"'], { schemes: ['Basic'], realm: 'corp' }],
    ['no header', [], { schemes: [] }],
    ['a scheme without params', ['Negotiate'], { schemes: ['Negotiate'] }],
    [
      'several headers',
      ['Negotiate', 'NTLM', 'Basic realm="Squid proxy-caching web server"'],
      { schemes: ['Negotiate', 'NTLM', 'Basic'], realm: 'Squid proxy-caching web server' },
    ],
    [
      'comma-joined challenges in one header',
      ['Negotiate, NTLM, Basic realm="corp"'],
      { schemes: ['Negotiate', 'NTLM', 'Basic'], realm: 'corp' },
    ],
    [
      'a comma inside a quoted realm',
      ['Basic realm="Corp, Inc. proxy", charset="UTF-8"'],
      { schemes: ['Basic'], realm: 'Corp, Inc. proxy' },
    ],
    [
      'escaped quotes in the realm',
      ['Basic realm="the \\"big\\" proxy"'],
      { schemes: ['Basic'], realm: 'the "big" proxy' },
    ],
    [
      'Digest params with commas, then Basic: the Basic realm wins',
      ['Digest realm="digest-realm", qop="auth,auth-int", nonce="abc", Basic realm="basic-realm"'],
      { schemes: ['Digest', 'Basic'], realm: 'basic-realm' },
    ],
    ['only a non-Basic realm', ['Digest realm="d", nonce="n"'], { schemes: ['Digest'], realm: 'd' }],
    ['an unquoted realm token', ['Basic realm=corp'], { schemes: ['Basic'], realm: 'corp' }],
    ['spaces around =', ['Basic realm = "corp"'], { schemes: ['Basic'], realm: 'corp' }],
    ['a token68 credential is not a param', ['Negotiate abc==, Basic realm="x"'], { schemes: ['Negotiate', 'Basic'], realm: 'x' }],
    ['a scheme offered twice is listed once', ['basic realm="a"', 'Basic realm="b"'], { schemes: ['basic'], realm: 'a' }],
    ['empty elements are skipped', [' , ,Basic realm="x",, '], { schemes: ['Basic'], realm: 'x' }],
    ['garbage does not throw', ['"unterminated', '=', '===', '\u0000'], { schemes: [] }],
  ];

  it.each(cases)('%s', (_name, values, expected) => {
    expect(parseProxyAuthenticate(values)).toEqual(expected);
  });
});

describe('describeChallenges / offersBasic', () => {
  it('names the schemes and the realm', () => {
    expect(describeChallenges({ schemes: ['Basic'], realm: 'corp' })).toBe('Basic realm "corp"');
    expect(describeChallenges({ schemes: ['Negotiate', 'NTLM'] })).toBe('Negotiate, NTLM');
  });

  it('tells whether Basic is offered, in any case', () => {
    expect(offersBasic({ schemes: ['NTLM', 'BASIC'] })).toBe(true);
    expect(offersBasic({ schemes: ['NTLM', 'Negotiate'] })).toBe(false);
  });
});
