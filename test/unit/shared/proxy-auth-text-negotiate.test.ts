/** A Negotiate round in words (the transcript and the timeline): mechanism, principal asked for, the ticket's principal and realm; a fallback says why. */
import { describe, expect, it } from 'vitest';
import { authRoundLines, authSentText } from '../../../src-main/shared/proxy-auth-text';

describe('Negotiate in words', () => {
  it('says the mechanism, the principal asked for and what the ticket names, never the token', () => {
    expect(authSentText({ scheme: 'Negotiate', mechanism: 'Kerberos', spn: 'HTTP@127.0.0.1', ticketPrincipal: 'HTTP/127.0.0.1', realm: 'TUNNELSCOPE.TEST' })).toBe(
      'Negotiate (Kerberos) for HTTP@127.0.0.1: ticket HTTP/127.0.0.1 realm "TUNNELSCOPE.TEST"',
    );
  });

  it('says when the token could not be decoded', () => {
    expect(authSentText({ scheme: 'Negotiate', spn: 'HTTP@p', tokenProblem: 'the token is empty' })).toBe('Negotiate for HTTP@p (token not decoded: the token is empty)');
  });

  it('a scheme sent instead of Negotiate says so and why', () => {
    const lines = authRoundLines({ round: 2, sent: { scheme: 'NTLM', fallback: { from: 'Negotiate', reason: 'No Kerberos ticket (looked in FILE:/tmp/x): run kinit to get one' } } });
    expect(lines).toEqual(['sign-in round 2: sent NTLM (instead of Negotiate, which cannot be used: No Kerberos ticket (looked in FILE:/tmp/x): run kinit to get one)']);
  });
});
