/** The client certificate check before a handshake: each mistake named as itself. */
import { createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findClientCertProblem } from '../../../src-main/core/tls/client-cert';
import { clientCertificate, encryptKey, selfSignedServer } from '../../support/certs';

describe('findClientCertProblem', () => {
  it('names a wrong passphrase, also when the wrong key happens to pass the padding check', () => {
    const c = clientCertificate();
    const encrypted = encryptKey(c.key, 'right');
    expect(findClientCertProblem(Buffer.from(c.cert), Buffer.from(encrypted), 'right')).toBeUndefined();
    expect(findClientCertProblem(Buffer.from(c.cert), Buffer.from(encrypted), 'wrong')?.problem).toContain('wrong passphrase');
    // About one wrong passphrase in 256 decrypts to garbage with valid padding (OpenSSL then
    // fails to parse it, with another error): find one, and it must still say passphrase.
    let lucky: string | undefined;
    for (let i = 0; i < 5000 && lucky === undefined; i++) {
      try {
        createPrivateKey({ key: encrypted, passphrase: `wrong-${i}` });
      } catch (error) {
        if ((error as { code?: string }).code !== 'ERR_OSSL_BAD_DECRYPT') lucky = `wrong-${i}`;
      }
    }
    expect(lucky).toBeDefined();
    expect(findClientCertProblem(Buffer.from(c.cert), Buffer.from(encrypted), lucky)?.problem).toBe(
      'the passphrase does not decrypt the key (wrong passphrase, or a damaged key file)',
    );
  });

  it('names a missing passphrase, a key that is not one, and a key of another certificate', () => {
    const c = clientCertificate();
    const other = selfSignedServer();
    expect(findClientCertProblem(Buffer.from(c.cert), Buffer.from(encryptKey(c.key, 'pw')), undefined)?.problem).toBe('the key is encrypted and no passphrase was given');
    expect(findClientCertProblem(Buffer.from(c.cert), Buffer.from('not a key'), undefined)?.problem).toBe('the key file does not hold a private key this program can read');
    expect(findClientCertProblem(Buffer.from(c.cert), Buffer.from(other.key), undefined)?.problem).toMatch(/^the key does not belong to the certificate/);
  });
});
