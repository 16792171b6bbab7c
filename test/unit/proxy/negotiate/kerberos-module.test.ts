/**
 * The optional module's loading: what it exports is checked, and a failed load says what is
 * missing and how to get it (the module, its native part, the system library, the ABI).
 */
import { describe, expect, it } from 'vitest';
import { bindingFrom, importKerberos, missingFrom } from '../../../../src-main/core/proxy/negotiate/kerberos-module';

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('missingFrom', () => {
  it('a module that is not installed: how to build it (libkrb5-dev, a toolchain, npm_config_nodedir)', () => {
    const words = missingFrom(withCode("Cannot find package 'kerberos' imported from /app/x.js", 'ERR_MODULE_NOT_FOUND'));
    expect(words).toContain('the optional kerberos module is not installed');
    expect(words).toContain('libkrb5-dev');
    expect(words).toContain('C++ toolchain');
    expect(words).toContain('npm_config_nodedir');
    expect(words).toContain('npm rebuild kerberos');
  });

  it('a module without its native part', () => {
    const words = missingFrom(withCode("Cannot find module '../build/Debug/kerberos.node'", 'MODULE_NOT_FOUND'));
    expect(words).toContain('its native part was not built');
  });

  it("the system's GSSAPI library missing", () => {
    expect(missingFrom(new Error('Opening library libgssapi_krb5.so.2 failed: libgssapi_krb5.so.2: cannot open shared object file'))).toContain(
      "the system's Kerberos library libgssapi_krb5.so.2 is missing",
    );
  });

  it('a module built for another runtime', () => {
    expect(missingFrom(new Error('was compiled against a different Node.js version using NODE_MODULE_VERSION 115'))).toContain('rebuild it for this one');
  });
});

describe('bindingFrom', () => {
  it('refuses a namespace without initializeClient or the mechanism constants', () => {
    expect(bindingFrom({})).toBe('the kerberos module has no initializeClient function');
    expect(bindingFrom({ default: { initializeClient: () => undefined } })).toBe('the kerberos module has no GSS_MECH_OID_SPNEGO / GSS_MECH_OID_KRB5');
    expect(bindingFrom(undefined)).toBe('the kerberos module exports nothing');
  });

  it('checks what the client and its step return', async () => {
    const fake = { GSS_MECH_OID_SPNEGO: 6, GSS_MECH_OID_KRB5: 9, initializeClient: () => Promise.resolve({ step: () => Promise.resolve(42) }) };
    const binding = bindingFrom({ default: fake });
    if (typeof binding === 'string') throw new Error(binding);
    const client = await binding.initializeClient('HTTP@proxy', 'spnego');
    await expect(client.step('')).rejects.toThrow('a token that is not a string');
  });

  it('passes the SPNEGO or Kerberos mechanism to the library', async () => {
    const seen: unknown[] = [];
    const fake = {
      GSS_MECH_OID_SPNEGO: 6,
      GSS_MECH_OID_KRB5: 9,
      initializeClient: (service: string, options: unknown) => {
        seen.push([service, options]);
        return Promise.resolve({ step: () => Promise.resolve('dG9rZW4='), contextComplete: true });
      },
    };
    const binding = bindingFrom(fake);
    if (typeof binding === 'string') throw new Error(binding);
    const client = await binding.initializeClient('HTTP@proxy', 'krb5');
    expect(await client.step('')).toBe('dG9rZW4=');
    expect(client.contextComplete).toBe(true);
    await binding.initializeClient('HTTP@proxy', 'spnego');
    expect(seen).toEqual([
      ['HTTP@proxy', { mechOID: 9 }],
      ['HTTP@proxy', { mechOID: 6 }],
    ]);
  });
});

describe('importKerberos (the module installed here)', () => {
  it('loads it and checks its exports, or says what is missing', async () => {
    const load = await importKerberos();
    // Where the optional module could not be built the answer must say how to build it.
    if (!load.ok) expect(load.missing).toMatch(/kerberos/);
    else expect(typeof load.binding.initializeClient).toBe('function');
  });
});
