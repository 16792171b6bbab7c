import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { digestAuthorization, newCnonce, offersDigest, pickDigestChallenge, type DigestChallenge } from '../../../src-main/core/proxy/digest-auth';

// RFC 7616 §3.9.1.
const REALM = 'http-auth@example.org';
const NONCE = '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v';
const OPAQUE = 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS';
const CNONCE = 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';
const RFC_HEADERS = [
  `Digest realm="${REALM}", qop="auth, auth-int", algorithm=SHA-256, nonce="${NONCE}", opaque="${OPAQUE}"`,
  `Digest realm="${REALM}", qop="auth, auth-int", algorithm=MD5, nonce="${NONCE}", opaque="${OPAQUE}"`,
];

function picked(values: string[]): DigestChallenge {
  const pick = pickDigestChallenge(values);
  if (!pick.ok) throw new Error(pick.reason);
  return pick.challenge;
}

function answer(challenge: DigestChallenge, username = 'Mufasa') {
  return digestAuthorization({ challenge, username, password: 'Circle of Life', method: 'GET', uri: '/dir/index.html', cnonce: CNONCE, nc: 1 });
}

describe('Digest: RFC 7616 §3.9.1', () => {
  it('picks the first challenge (SHA-256) and reads its params', () => {
    expect(picked(RFC_HEADERS)).toEqual({ realm: REALM, nonce: NONCE, opaque: OPAQUE, algorithm: 'SHA-256', qop: 'auth', stale: false, userhash: false });
  });

  it('SHA-256 gives the published response', () => {
    const { header, response } = answer(picked(RFC_HEADERS));
    expect(response).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
    expect(header).toBe(
      `Digest username="Mufasa", realm="${REALM}", uri="/dir/index.html", algorithm=SHA-256, nonce="${NONCE}", nc=00000001, cnonce="${CNONCE}", qop=auth, response="${response}", opaque="${OPAQUE}"`,
    );
  });

  it('MD5 gives the published response', () => {
    expect(answer(picked(RFC_HEADERS.slice(1))).response).toBe('8ca523f5e9506fed4657c9700eebdbec');
  });
});

describe('Digest: variants', () => {
  const md5 = (t: string): string => createHash('md5').update(t).digest('hex');
  const sha = (t: string): string => createHash('sha256').update(t).digest('hex');
  const base: DigestChallenge = { realm: 'r', nonce: 'n', algorithm: 'MD5', qop: 'auth', stale: false, userhash: false };
  const run = (challenge: DigestChallenge) =>
    digestAuthorization({ challenge, username: 'u', password: 'p', method: 'CONNECT', uri: 'h:443', cnonce: 'c', nc: 2 });

  it('MD5-sess hashes HA1 with the nonce and cnonce', () => {
    const ha1 = md5(`${md5('u:r:p')}:n:c`);
    expect(run({ ...base, algorithm: 'MD5-sess' }).response).toBe(md5(`${ha1}:n:00000002:c:auth:${md5('CONNECT:h:443')}`));
  });

  it('SHA-256-sess likewise with SHA-256', () => {
    const ha1 = sha(`${sha('u:r:p')}:n:c`);
    expect(run({ ...base, algorithm: 'SHA-256-sess' }).response).toBe(sha(`${ha1}:n:00000002:c:auth:${sha('CONNECT:h:443')}`));
  });

  it('without qop: RFC 2069 response, no nc/cnonce sent', () => {
    const { qop: _qop, ...noQop } = base;
    const { header, response } = run(noQop);
    expect(response).toBe(md5(`${md5('u:r:p')}:n:${md5('CONNECT:h:443')}`));
    expect(header).not.toMatch(/cnonce|nc=|qop/);
  });

  it('userhash sends H(user:realm) instead of the name', () => {
    const { header } = run({ ...base, userhash: true });
    expect(header).toContain(`username="${md5('u:r')}"`);
    expect(header).toContain('userhash=true');
    expect(header).not.toContain('username="u"');
  });

  it('quotes and escapes names; non-ASCII names go as username*', () => {
    expect(digestAuthorization({ challenge: base, username: 'a"b\\c', password: 'p', method: 'CONNECT', uri: 'h:1', cnonce: 'c', nc: 1 }).header).toContain('username="a\\"b\\\\c"');
    expect(digestAuthorization({ challenge: base, username: 'Jäsøn', password: 'p', method: 'CONNECT', uri: 'h:1', cnonce: 'c', nc: 1 }).header).toContain("username*=UTF-8''J%C3%A4s%C3%B8n");
  });

  it('stale=true and userhash=true are read case-insensitively', () => {
    expect(picked(['Digest realm="r", nonce="n", stale=TRUE, userhash="true"'])).toMatchObject({ stale: true, userhash: true, algorithm: 'MD5' });
  });

  it('finds Digest among other schemes and quoted commas', () => {
    expect(picked(['Negotiate, Basic realm="a, b", Digest realm="x, y", nonce="n1", qop="auth"'])).toMatchObject({ realm: 'x, y', nonce: 'n1' });
    expect(offersDigest(['Basic realm="a"'])).toBe(false);
    expect(offersDigest(['Basic realm="a"', 'digest realm="b"'])).toBe(true);
  });

  it('makes a fresh cnonce each time', () => {
    expect(newCnonce()).toMatch(/^[0-9a-f]{32}$/);
    expect(newCnonce()).not.toBe(newCnonce());
  });
});

describe('Digest: malformed challenges name what is wrong', () => {
  const cases: [string, string[], RegExp][] = [
    ['no Digest at all', ['Basic realm="a"'], /no Digest challenge/],
    ['no realm', ['Digest nonce="n"'], /has no realm/],
    ['no nonce', ['Digest realm="r"'], /realm "r"\) has no nonce/],
    ['an empty nonce', ['Digest realm="r", nonce=""'], /has no nonce/],
    ['an unterminated quote', ['Digest realm="r, nonce="n'], /has no nonce/],
    ['an unknown algorithm', ['Digest realm="r", nonce="n", algorithm=SHA-512-256'], /algorithm "SHA-512-256", which is not supported/],
    ['only auth-int', ['Digest realm="r", nonce="n", qop="auth-int"'], /qop "auth-int", without "auth"/],
    ['garbage', ['Digest ,,,="', '"'], /has no realm/],
  ];
  it.each(cases)('%s', (_name, values, reason) => {
    const pick = pickDigestChallenge(values);
    expect(pick.ok).toBe(false);
    if (!pick.ok) expect(pick.reason).toMatch(reason);
  });

  it('skips an unusable challenge for a usable one after it', () => {
    expect(picked(['Digest realm="r", nonce="n", algorithm=SHA-512-256', 'Digest realm="r", nonce="m"'])).toMatchObject({ nonce: 'm', algorithm: 'MD5' });
  });
});
