/**
 * GSSAPI's words turned into codes: the messages MIT Kerberos (and Heimdal, SSPI) give for each
 * cause, recorded from the library, each mapped to its code with the credentials cache or the
 * principal named.
 */
import { describe, expect, it } from 'vitest';
import { gssCause, isVagueNoCredentials, kerberosFailure } from '../../../../src-main/core/proxy/negotiate/gss-failure';

const SPN = 'HTTP@proxy.corp.example';

describe('gssCause', () => {
  it.each([
    [
      'No credentials were supplied, or the credentials were unavailable or inaccessible: No Kerberos credentials available (default cache: FILE:/tmp/krb5cc_1000)',
      'KERBEROS_NO_TICKET',
      'No Kerberos ticket (looked in FILE:/tmp/krb5cc_1000): run kinit to get one.',
    ],
    ['No credentials cache found (filename: /tmp/krb5cc_0)', 'KERBEROS_NO_TICKET', 'No Kerberos ticket (looked in /tmp/krb5cc_0): run kinit to get one.'],
    [
      'The referenced credential has expired: Ticket expired',
      'KERBEROS_NO_TICKET',
      'The Kerberos ticket has expired: run kinit to get a new one.',
    ],
    [
      'Unspecified GSS failure.  Minor code may provide more information: Server HTTP/localhost@TUNNELSCOPE.TEST not found in Kerberos database',
      'KERBEROS_UNKNOWN_SPN',
      `The Kerberos KDC does not know the service principal HTTP/localhost@TUNNELSCOPE.TEST (asked for as ${SPN}).`,
    ],
    [
      'Unspecified GSS failure.  Minor code may provide more information: Server krbtgt/UNKNOWN.TEST@TUNNELSCOPE.TEST not found in Kerberos database',
      'KERBEROS_UNKNOWN_SPN',
      `The Kerberos KDC of TUNNELSCOPE.TEST cannot issue a ticket for ${SPN}: the host's domain puts it in the realm UNKNOWN.TEST, which TUNNELSCOPE.TEST has no path to (krbtgt/UNKNOWN.TEST@TUNNELSCOPE.TEST not found).`,
    ],
    ['Unspecified GSS failure.  Minor code may provide more information: Clock skew too great', 'KERBEROS_CLOCK_SKEW', "This machine's clock and the Kerberos KDC's differ by more than Kerberos allows."],
    [
      "Unspecified GSS failure.  Minor code may provide more information: Cannot contact any KDC for realm 'CORP.EXAMPLE'",
      'KERBEROS_KDC_UNREACHABLE',
      'No Kerberos KDC for the realm CORP.EXAMPLE could be reached.',
    ],
    ['SEC_E_TIME_SKEW', 'KERBEROS_CLOCK_SKEW', "This machine's clock and the Kerberos KDC's differ by more than Kerberos allows."],
  ])('%s → %s', (text, code, message) => {
    const cause = gssCause(text, SPN);
    expect(cause.code).toBe(code);
    expect(cause.message).toBe(message);
  });

  it('keeps the cache it named for the details', () => {
    expect(gssCause('No Kerberos credentials available (default cache: KEYRING:persistent:1000)', SPN).credentialsCache).toBe('KEYRING:persistent:1000');
  });

  it('anything else is KERBEROS_FAILED with the library text and the principal', () => {
    const cause = gssCause('Unspecified GSS failure.  Minor code may provide more information: KDC has no support for encryption type', SPN);
    expect(cause.code).toBe('KERBEROS_FAILED');
    expect(cause.message).toBe(`The Kerberos library could not make a token for ${SPN}: Unspecified GSS failure.  Minor code may provide more information: KDC has no support for encryption type`);
  });
});

describe('isVagueNoCredentials', () => {
  it("is true for SPNEGO's 'cannot find mechanisms' (no cache named) and false once a cache is named", () => {
    expect(isVagueNoCredentials('No credentials were supplied, or the credentials were unavailable or inaccessible: SPNEGO cannot find mechanisms to negotiate')).toBe(true);
    expect(isVagueNoCredentials('No credentials were supplied, or the credentials were unavailable or inaccessible: No Kerberos credentials available (default cache: FILE:/x)')).toBe(false);
  });
});

describe('kerberosFailure', () => {
  it('is a tunnel failure naming the scheme, the principal, the cache and the library text', () => {
    const text = 'No Kerberos credentials available (default cache: FILE:/tmp/cc)';
    const failure = kerberosFailure(gssCause(text, SPN), SPN, text, { proxy: 'http://proxy:3128' });
    expect(failure.netError).toMatchObject({
      stage: 'tunnel',
      code: 'KERBEROS_NO_TICKET',
      details: { proxy: 'http://proxy:3128', authScheme: 'Negotiate', servicePrincipal: SPN, credentialsCache: 'FILE:/tmp/cc', causeMessage: text },
    });
    expect(failure.netError.hint).toMatch(/kinit/);
  });
});
