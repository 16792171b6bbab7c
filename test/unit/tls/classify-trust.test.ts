/**
 * The trust setting and interception in TLS failure messages: an untrusted chain whose issuer
 * names an inspection product is stated as the finding (with or without a proxy, never a
 * "may be"), and a chain left out by the trust setting says the setting is why.
 */
import { describe, expect, it } from 'vitest';
import type { CertSummary } from '../../../src-main/shared/model';
import { netErrorSchema } from '../../../src-main/shared/errors';
import { hintFor } from '../../../src-main/shared/hint-text';
import { classifyTlsError, type TlsFailureInput } from '../../../src-main/core/tls/classify-tls-error';

const ZSCALER = 'CN=Zscaler Intermediate Root CA (zscaler.net), O=Zscaler Inc.';
const leaf: CertSummary = {
  subject: 'CN=echo.example',
  issuer: ZSCALER,
  validFrom: '2025-01-01T00:00:00.000Z',
  validTo: '2026-01-01T00:00:00.000Z',
  fingerprint256: 'AB:CD',
  subjectAltNames: ['DNS:echo.example'],
  serialNumber: '01',
  selfSigned: false,
};
const base: TlsFailureInput = { stage: 'tls', code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', host: 'echo.example', port: 443, chain: [leaf], clientCertGiven: false };

describe('classifyTlsError: trust and interception', () => {
  it('states a TLS-inspecting gateway as the finding, naming the product and the issuer', () => {
    const error = classifyTlsError({ ...base, interceptedBy: { product: 'Zscaler', issuer: ZSCALER }, trust: { setting: 'mozilla+os', caFilesGiven: false } });
    expect(netErrorSchema.safeParse(error).success).toBe(true);
    expect(error.code).toBe('TLS_UNTRUSTED_CERT');
    expect(error.message).toBe(`A TLS-inspecting gateway re-signed this certificate: Zscaler (${ZSCALER}) issued it on the way, and its root is not trusted here.`);
    expect(error.message).not.toMatch(/\bmay\b/);
    expect(hintFor(error, { host: 'cli' })).toBe(
      "Its root CA is not in the OS trust store either: get Zscaler's root CA certificate (PEM) from your IT department and add it as a CA file (--ca <file.pem>), " +
        'or connect without verification only if you accept that the gateway reads this traffic.',
    );
    expect(hintFor(error, { host: 'app' })).toContain('add it as a CA file (TLS → Extra CA files in the connection options), or connect');
    expect(error.actions).toEqual(['trust-ca-file', 'connect-insecure']);
  });

  it('with the OS store left out, the hint points at the setting first', () => {
    const error = classifyTlsError({ ...base, viaProxy: 'http://proxy.corp:3128', interceptedBy: { product: 'Zscaler', issuer: ZSCALER }, trust: { setting: 'mozilla', caFilesGiven: false } });
    expect(error.message).toContain('issued it on the way through the proxy http://proxy.corp:3128');
    expect(hintFor(error, { host: 'cli' })).toMatch(/^Trust is not set to include the OS store \(--trust mozilla\+os\)/);
    expect(hintFor(error, { host: 'app' })).toMatch(/^Trust is not set to include the OS store \(TLS → Trust in the connection options\)/);
  });

  it("an https:// proxy's own certificate is never called interception", () => {
    const error = classifyTlsError({ ...base, stage: 'proxy-tls', interceptedBy: { product: 'Zscaler', issuer: ZSCALER } });
    expect(error.code).toBe('PROXY_TLS_UNTRUSTED_CERT');
    expect(error.message).not.toContain('TLS-inspecting gateway');
  });

  it.each([
    ['ca-files', false, 'Trust is set to "only my CA files" and no CA file is given'],
    ['ca-files', true, 'Trust is set to "only my CA files": neither'],
    ['mozilla', false, "Trust is set to Mozilla's roots only"],
  ] as const)('trust %s (CA files given: %s) says the setting left the root out', (setting, caFilesGiven, hint) => {
    const error = classifyTlsError({ ...base, chain: [{ ...leaf, issuer: 'CN=Corp Root' }], trust: { setting, caFilesGiven } });
    expect(error.hint).toContain(hint);
  });

  it("for an https:// proxy's certificate the hint names the proxy CA files", () => {
    const error = classifyTlsError({ ...base, stage: 'proxy-tls', chain: [{ ...leaf, issuer: 'CN=Corp Root' }], trust: { setting: 'ca-files', caFilesGiven: false } });
    expect(hintFor(error, { host: 'cli' })).toBe('Trust is set to "only my CA files" and no proxy CA file is given: add one (--proxy-ca <file.pem>) or trust Mozilla and the OS store (--trust mozilla+os).');
    expect(error.hint).toBe('Trust is set to "only my CA files" and no proxy CA file is given: add one or trust Mozilla and the OS store.');
  });

  it('the default setting adds nothing to an untrusted chain without a proxy', () => {
    const error = classifyTlsError({ ...base, chain: [{ ...leaf, issuer: 'CN=Corp Root' }], trust: { setting: 'mozilla+os', caFilesGiven: false } });
    expect(error.hint).toBe("If the server uses a private or self-signed certificate, add its CA certificate (PEM) as an extra CA file.");
  });
});
