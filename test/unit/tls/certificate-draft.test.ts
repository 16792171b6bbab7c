import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { certificateDraft, certificatePem, newRsaKeyPem, positiveSerial } from '../../../src-main/core/tls/certificate-draft';

describe('certificate-draft: the start of every certificate Tunnelscope makes', () => {
  it('a positive serial of 16 bytes, a different one each time', () => {
    const serials = new Set(Array.from({ length: 200 }, () => positiveSerial()));
    expect(serials.size).toBe(200);
    for (const serial of serials) {
      expect(serial).toMatch(/^[0-9a-f]{32}$/);
      // The top bit clear (positive in DER) and the first byte never zero (no leading zero to strip).
      expect(Number.parseInt(serial.slice(0, 2), 16)).toBeGreaterThanOrEqual(1);
      expect(Number.parseInt(serial.slice(0, 2), 16)).toBeLessThan(0x80);
    }
  });

  it('a self-signed draft: the key belongs to it, valid from a day back to the given end, PEM with LF line ends', async () => {
    const keyPem = await newRsaKeyPem();
    const now = new Date('2026-12-05T04:00:00Z');
    const notAfter = new Date('2027-12-05T04:00:00Z');
    const { key, cert } = certificateDraft(keyPem, now, notAfter);
    cert.setSubject([{ name: 'commonName', value: 'draft test' }]);
    cert.setIssuer([{ name: 'commonName', value: 'draft test' }]);
    cert.sign(key, forge.md.sha256.create());
    const pem = certificatePem(cert);
    expect(pem).not.toContain('\r');
    const x509 = new X509Certificate(pem);
    expect(x509.checkPrivateKey(await import('node:crypto').then((c) => c.createPrivateKey(keyPem)))).toBe(true);
    expect(new Date(x509.validFrom).toISOString()).toBe('2026-12-04T04:00:00.000Z');
    expect(new Date(x509.validTo).toISOString()).toBe('2027-12-05T04:00:00.000Z');
  });
});
