/**
 * The web host's own certificate for `--tls`: made once, kept 0600 in the data folder and
 * reused (same fingerprint), made again when it no longer fits, with the reason. Dates are
 * passed in, never read from the clock.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CERT_FILE, KEY_FILE, certificateNames, loadOrCreateCertificate } from '../../../src-main/web/tls-certificate';

const NOW = new Date('2026-06-01T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
let dataDir: string;

beforeEach(() => {
  dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'tunnelscope-tls-')), 'data');
});
afterEach(() => rmSync(path.dirname(dataDir), { recursive: true, force: true }));

const isPosix = process.platform !== 'win32';

describe('certificateNames', () => {
  it('names the bound address and loopback', () => {
    expect(certificateNames('192.168.1.5')).toEqual({ ips: ['127.0.0.1', '::1', '192.168.1.5'], dns: ['localhost'] });
    expect(certificateNames('My-Box.lan')).toEqual({ ips: ['127.0.0.1', '::1'], dns: ['localhost', 'my-box.lan'] });
    expect(certificateNames('127.0.0.1')).toEqual({ ips: ['127.0.0.1', '::1'], dns: ['localhost'] });
  });

  it('bound to all interfaces, names loopback only (the certificate is shown before the token is checked)', () => {
    expect(certificateNames('0.0.0.0')).toEqual({ ips: ['127.0.0.1', '::1'], dns: ['localhost'] });
    expect(certificateNames('::')).toEqual({ ips: ['127.0.0.1', '::1'], dns: ['localhost'] });
  });
});

describe('loadOrCreateCertificate', () => {
  it('makes a self-signed certificate whose SAN names the bound address, kept 0600 in the data folder', async () => {
    const made = await loadOrCreateCertificate({ dataDir, host: '127.0.0.1', now: NOW });
    expect(made.madeBecause).toBe('there was none yet');
    expect(made.keyFile).toBe(path.join(dataDir, KEY_FILE));
    expect(made.certFile).toBe(path.join(dataDir, CERT_FILE));
    const cert = new X509Certificate(readFileSync(made.certFile, 'utf8'));
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('10.1.2.3')).toBeUndefined();
    expect(cert.subject).toBe(cert.issuer);
    expect(cert.fingerprint256).toBe(made.fingerprint256);
    expect(made.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(Date.parse(cert.validFrom)).toBeLessThan(NOW.getTime());
    expect(Date.parse(cert.validTo)).toBeGreaterThan(NOW.getTime() + 300 * DAY);
    if (isPosix) {
      expect(statSync(made.keyFile).mode & 0o777).toBe(0o600);
      expect(statSync(made.certFile).mode & 0o777).toBe(0o600);
    }
  });

  it('reuses the stored certificate on the next run: same fingerprint, permissions tightened again', async () => {
    const first = await loadOrCreateCertificate({ dataDir, host: '127.0.0.1', now: NOW });
    if (isPosix) chmodSync(first.keyFile, 0o644);
    const second = await loadOrCreateCertificate({ dataDir, host: '127.0.0.1', now: new Date(NOW.getTime() + 100 * DAY) });
    expect(second.madeBecause).toBeUndefined();
    expect(second.fingerprint256).toBe(first.fingerprint256);
    expect(second.keyPem).toBe(first.keyPem);
    if (isPosix) expect(statSync(first.keyFile).mode & 0o777).toBe(0o600);
  });

  it('makes a new one when the bound address is not named in the stored one', async () => {
    const first = await loadOrCreateCertificate({ dataDir, host: '127.0.0.1', now: NOW });
    const other = await loadOrCreateCertificate({ dataDir, host: '192.168.1.5', now: NOW });
    expect(other.madeBecause).toBe('the stored certificate does not name 192.168.1.5');
    expect(other.fingerprint256).not.toBe(first.fingerprint256);
    expect(new X509Certificate(other.certPem).checkIP('192.168.1.5')).toBe('192.168.1.5');
  });

  it('makes a new one shortly before the stored one expires', async () => {
    const first = await loadOrCreateCertificate({ dataDir, host: '127.0.0.1', now: NOW });
    const later = await loadOrCreateCertificate({ dataDir, host: '127.0.0.1', now: new Date(NOW.getTime() + 390 * DAY) });
    expect(later.madeBecause).toMatch(/^the stored certificate expires /);
    expect(later.fingerprint256).not.toBe(first.fingerprint256);
  });

  it('makes a new one when the stored files are not a certificate and its key, and says which', async () => {
    const first = await loadOrCreateCertificate({ dataDir, host: '127.0.0.1', now: NOW });
    writeFileSync(first.certFile, 'not a certificate');
    expect((await loadOrCreateCertificate({ dataDir, host: '127.0.0.1', now: NOW })).madeBecause).toContain(`${CERT_FILE}) is not a readable PEM certificate`);

    writeFileSync(first.keyFile, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
    expect((await loadOrCreateCertificate({ dataDir, host: '127.0.0.1', now: NOW })).madeBecause).toContain(`${KEY_FILE}) is not a readable PEM private key`);
  });

  it('makes a new one when the stored key belongs to another certificate', async () => {
    const first = await loadOrCreateCertificate({ dataDir, host: '127.0.0.1', now: NOW });
    const otherDir = `${dataDir}-other`;
    const other = await loadOrCreateCertificate({ dataDir: otherDir, host: '127.0.0.1', now: NOW });
    writeFileSync(first.keyFile, other.keyPem);
    const remade = await loadOrCreateCertificate({ dataDir, host: '127.0.0.1', now: NOW });
    expect(remade.madeBecause).toContain('does not belong to the stored certificate');
    expect(new X509Certificate(remade.certPem).checkPrivateKey(createPrivateKey(remade.keyPem))).toBe(true);
  });
});
