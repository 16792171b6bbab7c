import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CA_FILE_NAME, InterceptCaError, loadOrCreateInterceptCa, readInterceptCaCertificate } from '../../../src-main/core/intercept/intercept-ca';
import { LeafCertificates } from '../../../src-main/core/intercept/leaf-certificates';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-ca-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the intercept CA', () => {
  it('is made on first use, 0600, its key encrypted, and read back the same the next time', async () => {
    const cipher = KeyFileCipher.open(dir);
    expect(await readInterceptCaCertificate(dir)).toBeUndefined();
    const first = await loadOrCreateInterceptCa({ dataDir: dir, cipher });
    expect(first.created).toBe(true);
    const file = path.join(dir, CA_FILE_NAME);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const stored = fs.readFileSync(file, 'utf8');
    // The key is an envelope, never PEM in clear.
    expect(stored).not.toContain('PRIVATE KEY');
    expect(JSON.parse(stored).key.enc).toBe('keyfile');
    const cert = new X509Certificate(first.certPem);
    expect(cert.ca).toBe(true);
    expect(cert.subject).toContain('Tunnelscope Intercept CA');
    const second = await loadOrCreateInterceptCa({ dataDir: dir, cipher });
    expect(second.created).toBe(false);
    expect(second.fingerprint256).toBe(first.fingerprint256);
    expect(await readInterceptCaCertificate(dir)).toBe(first.certPem);
  });

  it('a damaged file or a key another cipher sealed is an error naming the file, not a new CA', async () => {
    await loadOrCreateInterceptCa({ dataDir: dir, cipher: KeyFileCipher.open(dir) });
    const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-ca-other-'));
    try {
      const other = KeyFileCipher.open(otherDir);
      await expect(loadOrCreateInterceptCa({ dataDir: dir, cipher: other })).rejects.toThrow(/intercept CA's key in .*intercept-ca\.json cannot be decrypted/);
    } finally {
      fs.rmSync(otherDir, { recursive: true, force: true });
    }
    fs.writeFileSync(path.join(dir, CA_FILE_NAME), '{"version":1,"certPem":"x"}');
    const failure = loadOrCreateInterceptCa({ dataDir: dir, cipher: KeyFileCipher.open(dir) });
    await expect(failure).rejects.toBeInstanceOf(InterceptCaError);
    await expect(failure).rejects.toThrow(/is damaged \(key: .*\); move it aside/);
  });
});

describe('leaf certificates', () => {
  it('name the host in the SAN (DNS or IP), chain to the CA, and are made once per host', async () => {
    const ca = await loadOrCreateInterceptCa({ dataDir: dir, cipher: KeyFileCipher.open(dir) });
    const leaves = new LeafCertificates(ca);
    const named = await leaves.leafFor('Echo.Example');
    expect(named.subjectAltName).toBe('DNS:echo.example');
    const ip = await leaves.leafFor('127.0.0.1');
    expect(ip.subjectAltName).toBe('IP Address:127.0.0.1');
    const v6 = await leaves.leafFor('[::1]');
    expect(v6.subjectAltName).toBe('IP Address:0:0:0:0:0:0:0:1');
    const caCert = new X509Certificate(ca.certPem);
    for (const leaf of [named, ip, v6]) {
      const cert = new X509Certificate(leaf.certPem);
      expect(cert.verify(caCert.publicKey)).toBe(true);
      expect(cert.ca).toBe(false);
    }
    expect(new X509Certificate(named.certPem).checkHost('echo.example')).toBe('echo.example');
    expect(new X509Certificate(ip.certPem).checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(await leaves.leafFor('echo.example')).toBe(named);
    expect(leaves.size).toBe(3);
  });
});
