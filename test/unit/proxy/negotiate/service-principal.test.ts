/** The Negotiate service principal: the default for a proxy host, a setting read or refused in words, the platform's spelling. */
import { describe, expect, it } from 'vitest';
import { defaultServicePrincipal, gssServiceName } from '../../../../src-main/core/proxy/negotiate/service-principal';
import { parseServicePrincipal, principalText } from '../../../../src-main/shared/service-principal';

describe('service principal', () => {
  it('defaults to HTTP@<proxy host>, an IPv6 literal without brackets', () => {
    expect(principalText(defaultServicePrincipal('proxy.corp.example'))).toBe('HTTP@proxy.corp.example');
    expect(principalText(defaultServicePrincipal('[::1]'))).toBe('HTTP@::1');
  });

  it('reads HTTP@host and the Windows spelling HTTP/host alike', () => {
    expect(parseServicePrincipal('HTTP@proxy.corp.example')).toEqual({ ok: true, principal: { service: 'HTTP', host: 'proxy.corp.example' } });
    expect(parseServicePrincipal(' HTTP/proxy-1.corp.example ')).toEqual({ ok: true, principal: { service: 'HTTP', host: 'proxy-1.corp.example' } });
  });

  it('refuses a realm, a bare name and a bad host, saying how to write it', () => {
    expect(parseServicePrincipal('HTTP/proxy@CORP.EXAMPLE')).toEqual({ ok: false, problem: expect.stringContaining('names a realm too') });
    expect(parseServicePrincipal('proxy.corp')).toEqual({ ok: false, problem: expect.stringContaining('write it as HTTP@proxy.corp.example') });
    expect(parseServicePrincipal('HTTP@pro xy')).toEqual({ ok: false, problem: '"pro xy" is not a host name' });
  });

  it('is service@host for GSSAPI and service/host for SSPI', () => {
    const principal = { service: 'HTTP', host: 'proxy' };
    expect(gssServiceName(principal, 'linux')).toBe('HTTP@proxy');
    expect(gssServiceName(principal, 'darwin')).toBe('HTTP@proxy');
    expect(gssServiceName(principal, 'win32')).toBe('HTTP/proxy');
  });
});
