/**
 * The trust list and the judgement after a handshake, without sockets: which stores a setting
 * includes, the anchor found by fingerprint or by issuer and named by its store, interception
 * named for a root Mozilla does not hold or an issuer from the product table, and not for a
 * Mozilla-anchored chain or an https:// proxy's own certificate.
 */
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import type { CertSummary } from '../../../src-main/shared/model';
import { INSPECTION_PRODUCTS, inspectionProductOf } from '../../../src-main/core/tls/inspection-products';
import { buildTrustList, displayName, findAnchor, judgeTrust, mozillaPart } from '../../../src-main/core/tls/trust-list';
import type { OsTrustStore } from '../../../src-main/core/tls/os-trust-store';
import { createCa, createLeaf, testCa } from '../../support/certs';

const os = (...certificates: string[]): OsTrustStore => ({ certificates, readFrom: ['test'], problems: [] });
const x509 = (pem: string): X509Certificate => new X509Certificate(pem);
function summary(cert: X509Certificate): CertSummary {
  return {
    subject: displayName(cert.subject),
    issuer: displayName(cert.issuer),
    validFrom: cert.validFrom,
    validTo: cert.validTo,
    fingerprint256: cert.fingerprint256,
    subjectAltNames: [],
    serialNumber: cert.serialNumber,
    selfSigned: cert.subject === cert.issuer,
  };
}

describe('buildTrustList', () => {
  it('includes Mozilla, the CA files and the OS store per setting; CA files always add', () => {
    const file = [Buffer.from(testCa().cert)];
    const store = os(createCa('Tunnelscope OS CA').cert);
    const sources = (setting: 'mozilla+os' | 'mozilla' | 'ca-files') =>
      buildTrustList({ setting, caFiles: file, caSource: 'ca-file', os: store }).parts.map((part) => part.source);
    expect(sources('mozilla+os')).toEqual(['mozilla', 'ca-file', 'os']);
    expect(sources('mozilla')).toEqual(['mozilla', 'ca-file']);
    expect(sources('ca-files')).toEqual(['ca-file']);
    const list = buildTrustList({ setting: 'mozilla+os', caFiles: file, caSource: 'ca-file', os: store });
    expect(list.ca).toHaveLength(tls.rootCertificates.length + 2);
  });

  it('carries what of the OS store could not be read as notes', () => {
    const list = buildTrustList({
      setting: 'mozilla+os',
      caFiles: [],
      caSource: 'ca-file',
      os: { certificates: [], readFrom: [], problems: [{ where: '/etc/ssl/certs', message: 'it does not exist', fatal: false }] },
    });
    expect(list.notes).toEqual(['/etc/ssl/certs: it does not exist']);
  });
});

describe('findAnchor and judgeTrust', () => {
  const leaf = x509(createLeaf({ cn: 'localhost', dns: ['localhost'] }).cert);

  it('finds the issuer of the top certificate in the OS store', () => {
    const list = buildTrustList({ setting: 'mozilla+os', caFiles: [], caSource: 'ca-file', os: os(testCa().cert) });
    expect(findAnchor([leaf], list)?.source).toBe('os');
  });

  it('names a Mozilla root as Mozilla even when the OS store holds it too, and calls nothing intercepted', () => {
    const root = tls.rootCertificates[0] ?? '';
    const list = buildTrustList({ setting: 'mozilla+os', caFiles: [], caSource: 'ca-file', os: os(root) });
    const judged = judgeTrust(list, [x509(root)], [summary(x509(root))], true, true);
    expect(judged.trust.trustedThrough).toBe('mozilla');
    expect(judged.interception).toBeUndefined();
    expect(mozillaPart().byFingerprint.size).toBe(tls.rootCertificates.length);
  });

  it('an unverified chain has no anchor; a product in it is still named', () => {
    const zscaler = createCa('Zscaler Root CA');
    const signed = x509(createLeaf({ cn: 'example.com', issuer: zscaler }).cert);
    const list = buildTrustList({ setting: 'mozilla+os', caFiles: [], caSource: 'ca-file', os: os() });
    const judged = judgeTrust(list, [signed], [summary(signed)], false, true);
    expect(judged.trust).toEqual({ setting: 'mozilla+os', trustedThrough: null, anchor: null });
    expect(judged.interception).toEqual({
      product: 'Zscaler',
      issuer: 'CN=Zscaler Root CA, O=Tunnelscope Tests',
      trustedThrough: null,
      reason: 'The issuer names Zscaler; it was not trusted.',
    });
  });

  it('a self-signed server certificate given as a CA file is trusted as itself, and is no interception', () => {
    const self = x509(createLeaf({ cn: 'localhost', dns: ['localhost'], issuer: 'self' }).cert);
    const list = buildTrustList({ setting: 'mozilla+os', caFiles: [Buffer.from(self.toString())], caSource: 'ca-file', os: os() });
    const judged = judgeTrust(list, [self], [summary(self)], true, true);
    expect(judged.trust.trustedThrough).toBe('ca-file');
    expect(judged.interception).toBeUndefined();
  });

  it("an https:// proxy's own private CA is not interception", () => {
    const list = buildTrustList({ setting: 'mozilla', caFiles: [Buffer.from(testCa().cert)], caSource: 'proxy-ca' });
    const judged = judgeTrust(list, [leaf], [summary(leaf)], true, false);
    expect(judged.trust.trustedThrough).toBe('proxy-ca');
    expect(judged.interception).toBeUndefined();
  });
});

describe('the inspection product table', () => {
  it.each([
    ['CN=Zscaler Intermediate Root CA (zscaler.net), O=Zscaler Inc.', 'Zscaler'],
    ['CN=caadmin.netskope.com, O=Netskope Inc', 'Netskope'],
    ['CN=McAfee Web Gateway, O=McAfee', 'McAfee/Skyhigh'],
    ['CN=Skyhigh Security Root CA', 'McAfee/Skyhigh'],
    ['CN=Blue Coat ProxySG CA', 'Blue Coat/Symantec'],
    ['CN=Palo Alto Networks Forward Trust CA', 'Palo Alto Networks'],
    ['CN=FortiGate CA, O=Fortinet', 'Fortinet'],
    ['CN=Cisco Umbrella Root CA, O=Cisco', 'Cisco'],
    ['CN=Sophos SSL CA_C123', 'Sophos'],
    ['CN=Forcepoint Cloud Root CA', 'Forcepoint'],
    ['CN=mitmproxy, O=mitmproxy', 'mitmproxy'],
    ['CN=DO_NOT_TRUST_FiddlerRoot, O=DO_NOT_TRUST', 'Fiddler'],
    ['CN=Charles Proxy CA (1 Jan 2024, host), OU=https://charlesproxy.com/ssl', 'Charles'],
    ['CN=PortSwigger CA, O=PortSwigger', 'Burp Suite'],
    ['CN=HTTP Toolkit CA', 'HTTP Toolkit'],
  ])('%s → %s', (name, product) => {
    expect(inspectionProductOf(name)).toBe(product);
  });

  it('does not name public CAs of the same companies', () => {
    expect(inspectionProductOf('CN=Symantec Class 3 Secure Server CA - G4, O=Symantec Corporation')).toBeUndefined();
    expect(inspectionProductOf('CN=Cisco RSA Root CA 2099, O=Cisco')).toBeUndefined();
    expect(inspectionProductOf("CN=Let's Encrypt R3")).toBeUndefined();
    expect(INSPECTION_PRODUCTS.length).toBeGreaterThanOrEqual(14);
  });
});
