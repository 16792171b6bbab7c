/**
 * The web host's own TLS certificate for `--tls`: self-signed (made with node-forge), its
 * key and certificate kept in the data folder (mode 0600) and reused across runs, so the
 * SHA-256 fingerprint a user once checked stays the same. It is made again only when it is
 * missing or unreadable, no longer names every address the host answers to, or is about to
 * expire; the caller prints why.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { certificateDraft, certificatePem, newRsaKeyPem } from '../core';
import forge from 'node-forge';
import writeFileAtomic from 'write-file-atomic';

export const KEY_FILE = 'web-host-tls-key.pem';
export const CERT_FILE = 'web-host-tls-cert.pem';
const PRIVATE_FILE_MODE = 0o600;
const DAY_MS = 24 * 60 * 60 * 1000;
/** How long a new certificate is valid. */
const VALID_DAYS = 397;
/** A certificate with less than this left is replaced at start rather than expiring mid-run. */
const RENEW_BEFORE_DAYS = 14;

export interface HostCertificate {
  keyPem: string;
  certPem: string;
  /** SHA-256 of the DER certificate, as browsers show it (`AB:CD:…`). */
  fingerprint256: string;
  /** Why a new one was made (`undefined`: the stored one was reused). */
  madeBecause?: string;
  keyFile: string;
  certFile: string;
}

export interface CertificateRequest {
  dataDir: string;
  /** The address or name the host binds (`--host`). */
  host: string;
  /** The time to judge validity by (injectable: tests use fixed dates). */
  now: Date;
}

/**
 * The names the certificate's subjectAltName must hold: the bound address or name, and
 * loopback (https://127.0.0.1 and https://localhost on the machine itself). Bound to all
 * interfaces (0.0.0.0, ::) it names loopback only: the certificate is shown to anyone who
 * connects, before the token is checked, and naming every interface would hand them the
 * machine's addresses (the 421 answer keeps them back for the same reason).
 */
export function certificateNames(host: string): { ips: string[]; dns: string[] } {
  const ips = new Set<string>(['127.0.0.1', '::1']);
  const dns = new Set<string>(['localhost']);
  if (host !== '0.0.0.0' && host !== '::') {
    if (net.isIP(host) !== 0) ips.add(host.toLowerCase());
    else dns.add(host.toLowerCase());
  }
  return { ips: [...ips], dns: [...dns] };
}

/** Loads the stored certificate when it still fits, else makes (and stores) a new one. */
export async function loadOrCreateCertificate(request: CertificateRequest): Promise<HostCertificate> {
  const keyFile = path.join(request.dataDir, KEY_FILE);
  const certFile = path.join(request.dataDir, CERT_FILE);
  const names = certificateNames(request.host);
  const stored = await readStored(keyFile, certFile);
  const problem = stored.ok ? storedProblem(stored.keyPem, stored.certPem, names, request.now) : stored.problem;
  if (stored.ok && problem === undefined) {
    // An earlier version, a copy or a restore may have left them readable by others.
    await Promise.all([fs.chmod(keyFile, PRIVATE_FILE_MODE), fs.chmod(certFile, PRIVATE_FILE_MODE)]);
    return { keyPem: stored.keyPem, certPem: stored.certPem, fingerprint256: new X509Certificate(stored.certPem).fingerprint256, keyFile, certFile };
  }
  const made = await makeCertificate(names, request.now);
  await fs.mkdir(request.dataDir, { recursive: true, mode: 0o700 });
  // Key first: a certificate on disk without its key would be replaced next time anyway.
  await writeFileAtomic(keyFile, made.keyPem, { mode: PRIVATE_FILE_MODE });
  await writeFileAtomic(certFile, made.certPem, { mode: PRIVATE_FILE_MODE });
  return { ...made, fingerprint256: new X509Certificate(made.certPem).fingerprint256, madeBecause: problem, keyFile, certFile };
}

type Stored = { ok: true; keyPem: string; certPem: string } | { ok: false; problem: string };

async function readStored(keyFile: string, certFile: string): Promise<Stored> {
  try {
    const [keyPem, certPem] = await Promise.all([fs.readFile(keyFile, 'utf8'), fs.readFile(certFile, 'utf8')]);
    return { ok: true, keyPem, certPem };
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    if (code === 'ENOENT') return { ok: false, problem: 'there was none yet' };
    return { ok: false, problem: `the stored one could not be read (${error instanceof Error ? error.message : String(error)})` };
  }
}

/** Why the stored pair cannot be used, or undefined when it can. */
function storedProblem(keyPem: string, certPem: string, names: { ips: string[]; dns: string[] }, now: Date): string | undefined {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    return `the stored certificate (${CERT_FILE}) is not a readable PEM certificate`;
  }
  try {
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) return `the stored key (${KEY_FILE}) does not belong to the stored certificate`;
  } catch {
    return `the stored key (${KEY_FILE}) is not a readable PEM private key`;
  }
  const renewAt = Date.parse(cert.validTo) - RENEW_BEFORE_DAYS * DAY_MS;
  if (Number.isNaN(renewAt) || now.getTime() >= renewAt) return `the stored certificate expires ${cert.validTo}`;
  if (now.getTime() < Date.parse(cert.validFrom)) return `the stored certificate is not valid before ${cert.validFrom}`;
  const missing = [...names.ips.filter((ip) => cert.checkIP(ip) === undefined), ...names.dns.filter((dns) => cert.checkHost(dns) === undefined)];
  if (missing.length > 0) return `the stored certificate does not name ${missing.join(', ')}`;
  return undefined;
}

async function makeCertificate(names: { ips: string[]; dns: string[] }, now: Date): Promise<{ keyPem: string; certPem: string }> {
  const privateKey = await newRsaKeyPem();
  const { key, cert } = certificateDraft(privateKey, now, new Date(now.getTime() + VALID_DAYS * DAY_MS));
  const subject = [
    { name: 'commonName', value: 'Tunnelscope web host' },
    { name: 'organizationName', value: 'Tunnelscope (self-signed)' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    // Type 2: dNSName, type 7: iPAddress (forge encodes `ip` to the address bytes).
    { name: 'subjectAltName', altNames: [...names.dns.map((value) => ({ type: 2, value })), ...names.ips.map((ip) => ({ type: 7, ip }))] },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  return { keyPem: privateKey, certPem: certificatePem(cert) };
}
