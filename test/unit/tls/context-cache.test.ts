/**
 * The SecureContext cache: the same roots and client certificate give the same context (so
 * ~300 roots are loaded once, not per connection), anything different a new one, and a
 * context that cannot be built is not kept.
 */
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { secureContextFor } from '../../../src-main/core/tls/context-cache';
import { clientCertificate, testCa, unknownTestCa } from '../../support/certs';

describe('secureContextFor', () => {
  it('reuses the context for the same inputs and builds another for different ones', () => {
    const roots = [...tls.rootCertificates, testCa().cert];
    const first = secureContextFor({ ca: roots });
    expect(secureContextFor({ ca: [...roots] })).toBe(first);
    expect(secureContextFor({ ca: [...roots, unknownTestCa().cert] })).not.toBe(first);
    const client = clientCertificate();
    const withCert = secureContextFor({ ca: roots, cert: Buffer.from(client.cert), key: Buffer.from(client.key) });
    expect(withCert).not.toBe(first);
    expect(secureContextFor({ ca: roots, cert: Buffer.from(client.cert), key: Buffer.from(client.key), passphrase: '' })).not.toBe(withCert);
  });

  it('a context that cannot be built throws every time', () => {
    const bad = { ca: [testCa().cert], cert: Buffer.from(clientCertificate().cert), key: Buffer.from('not a key') };
    expect(() => secureContextFor(bad)).toThrow();
    expect(() => secureContextFor(bad)).toThrow();
  });
});
