/**
 * The Negotiate token decoded for the transcript: a real SPNEGO token from MIT Kerberos (the
 * throw-away test realm, see fixtures/README.md), the proxy's answer, NTLM inside Negotiate, and
 * damaged tokens, each read into words and never a throw.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeNegotiateToken } from '../../../../src-main/core/proxy/negotiate/spnego-token';

const realToken = readFileSync(path.join(import.meta.dirname, 'fixtures', 'spnego-krb5-ap-req.txt'), 'utf8').trim();
/** Squid's `Proxy-Authenticate: Negotiate …` answer to that token: a NegTokenResp with the AP-REP. */
const proxyAnswer =
  'oYG3MIG0oAMKAQChCwYJKoZIhvcSAQICooGfBIGcYIGZBgkqhkiG9xIBAgICAG+BiTCBhqADAgEFoQMCAQ+iejB4oAMCARKicQRv9XB6WAmoUcGGsKCt5wDuNHjUT8+Fix6CwZN5JA4TvC+bxO3Fk+6crebPOW/UhFJzHojx8whEGiaZYk3jEzrWwtSOLeoyescScXnIfmrbRJ2Jbi6b1Z14MvX2kvsUcdkZy5ZWc7A2yda3kCWZLPRc';

describe('describeNegotiateToken', () => {
  it("reads the Kerberos ticket's realm and service principal out of an SPNEGO NegTokenInit", () => {
    expect(describeNegotiateToken(realToken)).toEqual({ mechanism: 'Kerberos', realm: 'TUNNELSCOPE.TEST', principal: 'HTTP/127.0.0.1' });
  });

  it("reads the proxy's NegTokenResp (Kerberos AP-REP) as Kerberos with nothing to complain about", () => {
    expect(describeNegotiateToken(proxyAnswer)).toEqual({ mechanism: 'Kerberos' });
  });

  it('names NTLM when Negotiate carries an NTLM message (SSPI without a Kerberos ticket)', () => {
    const ntlmNegotiate = Buffer.concat([Buffer.from('NTLMSSP\0', 'latin1'), Buffer.from([1, 0, 0, 0, 0x07, 0x82, 0x08, 0xa2])]).toString('base64');
    expect(describeNegotiateToken(ntlmNegotiate)).toEqual({ mechanism: 'NTLM' });
  });

  it('says what is wrong with a truncated token instead of throwing', () => {
    const cut = Buffer.from(realToken, 'base64').subarray(0, 40).toString('base64');
    expect(describeNegotiateToken(cut).problem).toMatch(/cut short \(\d+ bytes announced, \d+ there\)/);
  });

  it('says an empty token is empty and a non-token is neither Kerberos nor NTLM', () => {
    expect(describeNegotiateToken('')).toEqual({ problem: 'the token is empty' });
    expect(describeNegotiateToken(Buffer.from('hello there').toString('base64'))).toEqual({ problem: 'the mechanism token is neither Kerberos nor NTLM' });
  });

  it('names a token whose outer tag is SPNEGO but whose body is not a negotiation token', () => {
    // [APPLICATION 0] { OID 1.3.6.1.5.5.2, [5] {} }
    const odd = Buffer.from([0x60, 0x0a, 0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02, 0xa5, 0x00]).toString('base64');
    expect(describeNegotiateToken(odd).problem).toMatch(/neither NegTokenInit nor NegTokenResp \(tag 0xa5\)/);
  });
});
