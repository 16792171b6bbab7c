/**
 * One Negotiate context per connection, against a stand-in for the GSSAPI library (the real one
 * runs against a real KDC in test/net/real-proxies/squid-negotiate.test.ts): the first token and
 * what the transcript says of it, a continuation on the proxy's token, each library failure as
 * its code, SPNEGO's vague "no credentials" asked again through plain Kerberos for the ccache,
 * the module missing, and a malformed principal setting.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GssClient, KerberosBinding, KerberosLoader } from '../../../../src-main/core/proxy/negotiate/kerberos-module';
import { NegotiateSignIn } from '../../../../src-main/core/proxy/negotiate/negotiate-sign-in';

const realToken = readFileSync(path.join(import.meta.dirname, 'fixtures', 'spnego-krb5-ap-req.txt'), 'utf8').trim();
const DETAILS = { proxy: 'http://127.0.0.1:3128' };

interface Library {
  loader: KerberosLoader;
  calls: string[];
}

/** A library whose steps answer from `script` (a token, or an Error thrown), per mechanism. */
function library(script: { spnego: (string | Error)[]; krb5?: (string | Error)[] }): Library {
  const calls: string[] = [];
  const client = (mech: 'spnego' | 'krb5'): GssClient => {
    const answers = [...(script[mech] ?? [])];
    return {
      step(challenge) {
        calls.push(`${mech}:step(${challenge})`);
        const next = answers.shift();
        if (next === undefined) return Promise.reject(new Error('no more answers scripted'));
        return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
      },
      contextComplete: false,
    };
  };
  const binding: KerberosBinding = {
    initializeClient(service, mech) {
      calls.push(`init ${service} ${mech}`);
      return Promise.resolve(client(mech));
    },
  };
  return { loader: () => Promise.resolve({ ok: true, binding }), calls };
}

describe('NegotiateSignIn', () => {
  it('asks for HTTP@<proxy host> through SPNEGO and describes the token it sends', async () => {
    const lib = library({ spnego: [realToken] });
    const signIn = new NegotiateSignIn({ proxyHost: '127.0.0.1', loader: lib.loader, platform: 'linux' });
    const result = await signIn.first(DETAILS);
    expect(result).toEqual({
      kind: 'send',
      header: `Negotiate ${realToken}`,
      sent: { scheme: 'Negotiate', spn: 'HTTP@127.0.0.1', mechanism: 'Kerberos', realm: 'TUNNELSCOPE.TEST', ticketPrincipal: 'HTTP/127.0.0.1' },
    });
    expect(lib.calls).toEqual(['init HTTP@127.0.0.1 spnego', 'spnego:step()']);
  });

  it('uses the principal set, in the SSPI spelling on Windows', async () => {
    const lib = library({ spnego: [realToken] });
    await new NegotiateSignIn({ proxyHost: '10.0.0.1', servicePrincipal: 'HTTP@proxy.corp', loader: lib.loader, platform: 'win32' }).first(DETAILS);
    expect(lib.calls[0]).toBe('init HTTP/proxy.corp spnego');
  });

  it("answers the proxy's continuation token on the same context", async () => {
    const lib = library({ spnego: ['Zmlyc3Q=', 'c2Vjb25k'] });
    const signIn = new NegotiateSignIn({ proxyHost: 'proxy', loader: lib.loader, platform: 'linux' });
    await signIn.first(DETAILS);
    const next = await signIn.next('cHJveHk=', DETAILS);
    expect(next.kind === 'send' ? next.header : next).toBe('Negotiate c2Vjb25k');
    expect(lib.calls).toEqual(['init HTTP@proxy spnego', 'spnego:step()', 'spnego:step(cHJveHk=)']);
  });

  it("SPNEGO's vague no-credentials is asked again through plain Kerberos, which names the ccache: KERBEROS_NO_TICKET, unusable", async () => {
    const lib = library({
      spnego: [new Error('No credentials were supplied, or the credentials were unavailable or inaccessible: SPNEGO cannot find mechanisms to negotiate')],
      krb5: [new Error('No credentials were supplied, or the credentials were unavailable or inaccessible: No Kerberos credentials available (default cache: FILE:/tmp/krb5cc_1000)')],
    });
    const result = await new NegotiateSignIn({ proxyHost: 'proxy', loader: lib.loader, platform: 'linux' }).first(DETAILS);
    if (result.kind !== 'unusable') throw new Error(`expected unusable, got ${result.kind}`);
    expect(result.reason).toBe('No Kerberos ticket (looked in FILE:/tmp/krb5cc_1000): run kinit to get one');
    expect(result.failure.netError).toMatchObject({
      code: 'KERBEROS_NO_TICKET',
      details: { proxy: 'http://127.0.0.1:3128', authScheme: 'Negotiate', servicePrincipal: 'HTTP@proxy', credentialsCache: 'FILE:/tmp/krb5cc_1000' },
    });
    expect(lib.calls).toEqual(['init HTTP@proxy spnego', 'spnego:step()', 'init HTTP@proxy krb5', 'krb5:step()']);
  });

  it('a principal the KDC does not know: KERBEROS_UNKNOWN_SPN, unusable', async () => {
    const lib = library({ spnego: [new Error('Unspecified GSS failure.  Minor code may provide more information: Server HTTP/proxy@CORP not found in Kerberos database')] });
    const result = await new NegotiateSignIn({ proxyHost: 'proxy', loader: lib.loader, platform: 'linux' }).first(DETAILS);
    expect(result.kind === 'unusable' ? result.failure.netError.code : result.kind).toBe('KERBEROS_UNKNOWN_SPN');
  });

  it('a failure on the continuation is a failure (something was sent already), not unusable', async () => {
    const lib = library({ spnego: ['Zmlyc3Q=', new Error('Unspecified GSS failure.  Minor code may provide more information: Clock skew too great')] });
    const signIn = new NegotiateSignIn({ proxyHost: 'proxy', loader: lib.loader, platform: 'linux' });
    await signIn.first(DETAILS);
    const result = await signIn.next('cHJveHk=', DETAILS);
    expect(result.kind === 'fail' ? result.failure.netError.code : result.kind).toBe('KERBEROS_CLOCK_SKEW');
  });

  it('the module missing: KERBEROS_UNAVAILABLE with what is missing, unusable', async () => {
    const loader: KerberosLoader = () => Promise.resolve({ ok: false, missing: 'the optional kerberos module is not installed (npm could not build it); install libkrb5-dev' });
    const result = await new NegotiateSignIn({ proxyHost: 'proxy', loader }).first(DETAILS);
    if (result.kind !== 'unusable') throw new Error(`expected unusable, got ${result.kind}`);
    expect(result.failure.netError.code).toBe('KERBEROS_UNAVAILABLE');
    expect(result.failure.netError.message).toBe(
      'The proxy asks for Negotiate (Kerberos), but Kerberos cannot be used here: the optional kerberos module is not installed (npm could not build it); install libkrb5-dev.',
    );
    expect(result.reason).toBe('the kerberos module cannot be loaded');
  });

  it('a malformed principal setting is PROXY_AUTH_UNSUPPORTED naming the problem (the library is not asked)', async () => {
    const lib = library({ spnego: [realToken] });
    const result = await new NegotiateSignIn({ proxyHost: 'proxy', servicePrincipal: 'HTTP/p@CORP', loader: lib.loader }).first(DETAILS);
    expect(result.kind === 'fail' ? result.failure.netError : result).toMatchObject({ code: 'PROXY_AUTH_UNSUPPORTED', message: expect.stringContaining('names a realm too') });
    expect(lib.calls).toEqual([]);
  });
});
