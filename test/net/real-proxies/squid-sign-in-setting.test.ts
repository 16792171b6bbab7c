/**
 * A sign-in set to a scheme the real Squid does not offer (Digest against a Basic-only Squid,
 * Negotiate against an NTLM-only one) ends in PROXY_AUTH_UNSUPPORTED naming the scheme set
 * beside those offered, so the command line points at `--proxy-auth auto`, not at
 * `--proxy-user` (the credentials were never the problem). A wrong user name format (NTLM)
 * keeps pointing at `--proxy-user`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PROXY_USER_HINT, proxyCredentialsFlag } from '../../../src-main/cli/proxy-auth-flag';
import type { ConnectionOptionsInput, ProxyAuthScheme } from '../../../src-main/shared/model';
import { squidNtlmMissing, startSquid } from '../../support/squid';
import { useRealProxies } from './real-proxy-fixture';
import { openSession } from './session-driver';
import { envWithoutProxies, runCli, stopCliProcesses } from '../../support/cli-process';

const USER = 'alice';
const PASSWORD = 's3cret';

const title = `Squid, a sign-in scheme it does not offer: the fix named is the setting${squidNtlmMissing ? ` (skipped: ${squidNtlmMissing})` : ''}`;

describe.skipIf(squidNtlmMissing !== undefined)(title, () => {
  const fixture = useRealProxies('squid', {
    basic: () => startSquid({ connectPorts: 'any', auth: { username: USER, password: PASSWORD, schemes: ['basic'] } }),
    ntlm: () => startSquid({ connectPorts: 'any', auth: { username: USER, password: PASSWORD, schemes: ['ntlm'] } }),
  });

  afterEach(stopCliProcesses);

  function options(proxyUrl: string, scheme: ProxyAuthScheme, username = USER): ConnectionOptionsInput {
    const { ws } = fixture.servers();
    return { url: ws.url, proxy: { mode: 'manual', url: proxyUrl }, proxyAuth: { username, password: PASSWORD }, proxyAuthScheme: scheme, proxyTimeoutMs: 3000, openTimeoutMs: 6000 };
  }

  it('set to Digest, a Basic-only Squid: PROXY_AUTH_UNSUPPORTED naming Digest; the flag is --proxy-auth auto', async () => {
    const session = await openSession(fixture.engine(), options(fixture.proxy('basic').url, 'digest'));
    expect(session.error).toMatchObject({ code: 'PROXY_AUTH_UNSUPPORTED', details: { authScheme: 'Digest', authSchemes: ['Basic'] } });
    expect(session.error?.actions).toContain('enter-proxy-credentials');
    if (!session.error) throw new Error('expected a failure');
    expect(proxyCredentialsFlag(session.error)).toBe('--proxy-auth auto (or leave out --proxy-auth)');
  });

  it('set to Negotiate, an NTLM-only Squid: the same, naming Negotiate', async () => {
    const session = await openSession(fixture.engine(), options(fixture.proxy('ntlm').url, 'negotiate'));
    expect(session.error).toMatchObject({ code: 'PROXY_AUTH_UNSUPPORTED', details: { authScheme: 'Negotiate', authSchemes: ['NTLM'] } });
    if (!session.error) throw new Error('expected a failure');
    expect(proxyCredentialsFlag(session.error)).toBe('--proxy-auth auto (or leave out --proxy-auth)');
  });

  it('set to NTLM with a user name NTLM cannot use: still --proxy-user (the scheme is offered)', async () => {
    const session = await openSession(fixture.engine(), options(fixture.proxy('ntlm').url, 'ntlm', 'CORP\\'));
    expect(session.error).toMatchObject({ code: 'PROXY_AUTH_UNSUPPORTED', details: { authScheme: 'NTLM' } });
    if (!session.error) throw new Error('expected a failure');
    expect(proxyCredentialsFlag(session.error)).toBe(PROXY_USER_HINT);
  });

  it('the CLI: --proxy-auth digest against Basic-only Squid prints the setting to change, not --proxy-user', async () => {
    const { ws } = fixture.servers();
    const result = await runCli(['connect', ws.url, '--proxy', fixture.proxy('basic').url, '--proxy-user', `${USER}:${PASSWORD}`, '--proxy-auth', 'digest'], { env: { ...envWithoutProxies(), NO_COLOR: '1' } });
    const output = result.stdout + result.stderr;
    expect(result.code, output).toBe(1);
    expect(output).toContain('PROXY_AUTH_UNSUPPORTED');
    expect(output).toContain('On the command line: --proxy-auth auto (or leave out --proxy-auth)');
    expect(output).not.toContain(PROXY_USER_HINT);
  });
});
