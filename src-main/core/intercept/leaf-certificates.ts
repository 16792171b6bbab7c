/**
 * Leaf certificates for intercepted hosts, signed by the intercept CA and kept for the run: one
 * per host name or IP address, its subjectAltName naming exactly that host (a DNS name, or an
 * IP address as an iPAddress entry, which is what clients check for an address). All leaves of
 * a run share one RSA key made at the first use (as mitmproxy does): making a key costs far
 * more than signing, and the key never leaves this process.
 */
import { X509Certificate } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import forge from 'node-forge';
import { certificateDraft, certificatePem, newRsaKeyPem } from '../tls/certificate-draft';
import { type InterceptCa } from './intercept-ca';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Within what browsers accept for any certificate (398 days). */
const LEAF_VALID_DAYS = 397;
/** What the client is offered: WebSocket runs over HTTP/1.1. */
export const INTERCEPT_ALPN = ['http/1.1'];

export interface LeafCertificate {
  certPem: string;
  keyPem: string;
  /** The names in its subjectAltName, e.g. `DNS:echo.example`, `IP Address:127.0.0.1`. */
  subjectAltName: string;
}

export class LeafCertificates {
  private readonly contexts = new Map<string, Promise<{ leaf: LeafCertificate; context: tls.SecureContext }>>();
  private leafKey: Promise<string> | undefined;
  private readonly caCert: forge.pki.Certificate;
  private readonly caKey: forge.pki.rsa.PrivateKey;

  constructor(
    private readonly ca: Pick<InterceptCa, 'certPem' | 'keyPem'>,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.caCert = forge.pki.certificateFromPem(ca.certPem);
    this.caKey = forge.pki.privateKeyFromPem(ca.keyPem);
  }

  /** How many hosts have a leaf so far. */
  get size(): number {
    return this.contexts.size;
  }

  /** The TLS context presenting `host`'s leaf (and the CA after it), made once per host. */
  async contextFor(host: string): Promise<tls.SecureContext> {
    return (await this.entry(host)).context;
  }

  async leafFor(host: string): Promise<LeafCertificate> {
    return (await this.entry(host)).leaf;
  }

  private entry(host: string): Promise<{ leaf: LeafCertificate; context: tls.SecureContext }> {
    const key = normalizeHost(host);
    let made = this.contexts.get(key);
    if (!made) {
      made = this.make(key);
      // A failure is not kept: the next connection tries again.
      made.catch(() => this.contexts.delete(key));
      this.contexts.set(key, made);
    }
    return made;
  }

  private async make(host: string): Promise<{ leaf: LeafCertificate; context: tls.SecureContext }> {
    const keyPem = await this.sharedKey();
    const now = this.now();
    const caEnd = this.caCert.validity.notAfter.getTime();
    const { cert } = certificateDraft(keyPem, now, new Date(Math.min(now.getTime() + LEAF_VALID_DAYS * DAY_MS, caEnd)));
    cert.setSubject([{ name: 'commonName', value: host.slice(0, 64) }]);
    cert.setIssuer(this.caCert.subject.attributes);
    const isIp = net.isIP(host) !== 0;
    cert.setExtensions([
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      // Type 2: dNSName, type 7: iPAddress (forge encodes `ip` to the address bytes).
      { name: 'subjectAltName', altNames: [isIp ? { type: 7, ip: host } : { type: 2, value: host }] },
      { name: 'subjectKeyIdentifier' },
      { name: 'authorityKeyIdentifier', keyIdentifier: this.caCert.generateSubjectKeyIdentifier().getBytes() },
    ]);
    cert.sign(this.caKey, forge.md.sha256.create());
    const certPem = certificatePem(cert);
    const leaf: LeafCertificate = { certPem, keyPem, subjectAltName: new X509Certificate(certPem).subjectAltName ?? '' };
    const context = tls.createSecureContext({
      key: keyPem,
      // The chain a client needs when it trusts the CA: leaf, then the CA.
      cert: `${certPem}${this.ca.certPem}`,
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.3',
    });
    return { leaf, context };
  }

  private sharedKey(): Promise<string> {
    this.leafKey ??= newRsaKeyPem();
    return this.leafKey;
  }
}

/** `[::1]` → `::1`, names in lower case: one leaf per host however the client spelled it. */
export function normalizeHost(host: string): string {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return bare.toLowerCase();
}
