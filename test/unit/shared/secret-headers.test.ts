/**
 * Which header names count as credentials, and the one rule every profile reader uses:
 * secret when marked so or when the name looks like a credential, unless unticked on purpose.
 */
import { describe, expect, it } from 'vitest';
import { headerIsSecret, looksLikeCredentialHeader } from '../../../src-main/shared/secret-headers';

describe('looksLikeCredentialHeader', () => {
  it.each([
    'Authorization',
    'proxy-authorization',
    'Cookie',
    'Set-Cookie',
    'Cookie2',
    'X-Api-Token',
    'X-Api-Key',
    'X_API_KEY',
    'apikey',
    'X-Auth-Token',
    'X-Auth-Key',
    'X-Auth',
    'X-Authorization',
    'X-Authentication',
    'X-Client-Secret',
    'X-Access-Key',
    'Ocp-Apim-Subscription-Key',
    'X-Amz-Security-Token',
    'X-CSRF-Token',
    'X-Password',
    'X-Passwd',
    'X-Key-Passphrase',
    'X-Credentials',
  ])('%s is a credential', (name) => {
    expect(looksLikeCredentialHeader(name)).toBe(true);
  });

  it.each(['X-Trace', 'Accept', 'User-Agent', 'Sec-WebSocket-Key', 'Idempotency-Key', 'X-Author', 'X-Request-Id', 'Origin', 'X-Keyboard'])('%s is not', (name) => {
    expect(looksLikeCredentialHeader(name)).toBe(false);
  });
});

describe('headerIsSecret', () => {
  it('a header marked secret is secret, whatever its name', () => {
    expect(headerIsSecret({ name: 'X-Trace', secret: true })).toBe(true);
  });

  it('a credential-like name is secret though unmarked (an older profile), and plain only when unticked on purpose', () => {
    expect(headerIsSecret({ name: 'X-Api-Token', secret: false })).toBe(true);
    expect(headerIsSecret({ name: 'X-Api-Token', secret: false, plainByChoice: true })).toBe(false);
    expect(headerIsSecret({ name: 'X-Trace', secret: false })).toBe(false);
  });
});
