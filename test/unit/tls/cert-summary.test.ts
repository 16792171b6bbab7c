/**
 * summarizeChain on objects shaped like Node's getPeerCertificate(true): leaf first, stop at
 * the self-issued root (which points at itself) or at any repeat, and never trust the shape.
 */
import { describe, expect, it } from 'vitest';
import { formatDistinguishedName, summarizeChain } from '../../../src-main/core/tls/cert-summary';

interface FakeCert {
  subject: Record<string, string | string[]>;
  issuer: Record<string, string | string[]>;
  valid_from: string;
  valid_to: string;
  fingerprint256: string;
  serialNumber: string;
  subjectaltname?: string;
  issuerCertificate?: FakeCert;
}

function fake(cn: string, issuerCn: string, fingerprint: string, extra: Partial<FakeCert> = {}): FakeCert {
  return {
    subject: { CN: cn },
    issuer: { CN: issuerCn },
    valid_from: 'Jan  1 00:00:00 2024 GMT',
    valid_to: 'Dec 31 23:59:59 2030 GMT',
    fingerprint256: fingerprint,
    serialNumber: '0A1B',
    ...extra,
  };
}

describe('summarizeChain', () => {
  it('walks leaf → intermediate → root and stops at the root that points at itself', () => {
    const root = fake('Root', 'Root', 'RR');
    root.issuerCertificate = root;
    const intermediate = fake('Intermediate', 'Root', 'II', { issuerCertificate: root });
    const leaf = fake('echo.example', 'Intermediate', 'LL', {
      subjectaltname: 'DNS:echo.example, DNS:*.echo.example, IP Address:10.0.0.1',
      issuerCertificate: intermediate,
    });
    const chain = summarizeChain(leaf);
    expect(chain.map((c) => [c.subject, c.issuer, c.selfSigned])).toEqual([
      ['CN=echo.example', 'CN=Intermediate', false],
      ['CN=Intermediate', 'CN=Root', false],
      ['CN=Root', 'CN=Root', true],
    ]);
    expect(chain[0]).toEqual({
      subject: 'CN=echo.example',
      issuer: 'CN=Intermediate',
      validFrom: '2024-01-01T00:00:00.000Z',
      validTo: '2030-12-31T23:59:59.000Z',
      fingerprint256: 'LL',
      subjectAltNames: ['DNS:echo.example', 'DNS:*.echo.example', 'IP Address:10.0.0.1'],
      serialNumber: '0A1B',
      selfSigned: false,
    });
  });

  it('stops at a cycle that is not a self-link', () => {
    const a = fake('A', 'B', 'AA');
    const b = fake('B', 'A', 'BB', { issuerCertificate: a });
    a.issuerCertificate = b;
    expect(summarizeChain(a).map((c) => c.subject)).toEqual(['CN=A', 'CN=B']);
  });

  it('treats a root given as a copy (same fingerprint, other object) as self-signed', () => {
    const root = fake('Root', 'Root', 'RR');
    root.issuerCertificate = fake('Root', 'Root', 'RR');
    expect(summarizeChain(root)).toEqual([expect.objectContaining({ subject: 'CN=Root', selfSigned: true })]);
  });

  it('marks a lone self-issued leaf (no issuer link, as after DEPTH_ZERO_SELF_SIGNED_CERT) self-signed', () => {
    expect(summarizeChain(fake('localhost', 'localhost', 'SS'))[0]?.selfSigned).toBe(true);
  });

  it('does not mark a lone leaf from another issuer self-signed', () => {
    expect(summarizeChain(fake('localhost', 'Unknown CA', 'LL'))[0]?.selfSigned).toBe(false);
  });

  it('returns [] for no certificate ({} or null) and for hostile input', () => {
    expect(summarizeChain({})).toEqual([]);
    expect(summarizeChain(null)).toEqual([]);
    expect(summarizeChain('CN=x')).toEqual([]);
    expect(summarizeChain({ fingerprint256: 42 })).toEqual([]);
  });

  it('tolerates fields of the wrong type and unparseable dates', () => {
    const chain = summarizeChain({
      fingerprint256: 'FF',
      subject: 'not an object',
      issuer: { CN: 7, O: 'Org' },
      valid_from: 'yesterday-ish',
      valid_to: undefined,
      subjectaltname: 12,
      serialNumber: null,
    });
    expect(chain).toEqual([
      {
        subject: '',
        issuer: 'O=Org',
        validFrom: 'yesterday-ish',
        validTo: '',
        fingerprint256: 'FF',
        subjectAltNames: [],
        serialNumber: '',
        selfSigned: false,
      },
    ]);
  });

  it('caps a runaway chain', () => {
    let top = fake('C0', 'C1', 'F0');
    const leaf = top;
    for (let i = 1; i < 100; i++) {
      const next = fake(`C${i}`, `C${i + 1}`, `F${i}`);
      top.issuerCertificate = next;
      top = next;
    }
    expect(summarizeChain(leaf).length).toBe(16);
  });
});

describe('formatDistinguishedName', () => {
  it('puts CN and O first, keeps repeated attributes, and the rest in order', () => {
    expect(
      formatDistinguishedName({ C: 'DE', ST: 'Berlin', O: 'Corp', OU: ['Net', 'Sec'], CN: 'Corp Inspect CA', emailAddress: 'it@corp' }),
    ).toBe('CN=Corp Inspect CA, O=Corp, OU=Net, OU=Sec, ST=Berlin, C=DE, emailAddress=it@corp');
  });

  it('is empty for a non-object', () => {
    expect(formatDistinguishedName(undefined)).toBe('');
  });
});
