/**
 * The TLS leg of the transcript with the trust setting: the store the chain was trusted
 * through and its anchor, the setting when it is not the default, the OS store's notes, and
 * the interception line (a product, or "an unlisted gateway" for a private root), with its reason.
 */
import { describe, expect, it } from 'vitest';
import type { TlsInfo } from '../../../src-main/shared/model';
import { PLAIN, formatTls } from '../../../src-main/cli/human-output';

const base: TlsInfo = {
  protocol: 'TLSv1.3',
  cipher: 'TLS_AES_128_GCM_SHA256',
  alpn: 'http/1.1',
  servername: 'intranet.corp',
  authorized: true,
  authorizationError: null,
  insecure: false,
  chain: [],
};

describe('formatTls: trust', () => {
  it('says which store the chain was trusted through, and nothing of the default setting', () => {
    const lines = formatTls('TLS', { ...base, trust: { setting: 'mozilla+os', trustedThrough: 'mozilla', anchor: 'CN=ISRG Root X1, O=Internet Security Research Group' } }, 12, PLAIN);
    expect(lines[1]).toBe("  certificate verified, trusted through Mozilla's roots (CN=ISRG Root X1, O=Internet Security Research Group)");
  });

  it('a private root: the setting, the interception by an unlisted gateway and its reason, the OS store notes', () => {
    const tls: TlsInfo = {
      ...base,
      trust: { setting: 'ca-files', trustedThrough: 'ca-file', anchor: 'CN=Corp Root', notes: ['/etc/ssl/certs: it does not exist'] },
      interception: { issuer: 'CN=Corp Issuing CA', trustedThrough: 'ca-file', reason: "Its root (CN=Corp Root) is not one of Mozilla's and was trusted through your CA file." },
    };
    expect(formatTls('TLS', tls, 12, PLAIN).slice(1)).toEqual([
      '  certificate verified, trusted through your CA file (CN=Corp Root)  trust: only my CA files',
      '  TLS intercepted by an unlisted gateway (CN=Corp Issuing CA)',
      "    Its root (CN=Corp Root) is not one of Mozilla's and was trusted through your CA file.",
      '  OS trust store: /etc/ssl/certs: it does not exist',
    ]);
  });

  it('a log from before the trust setting prints as before', () => {
    expect(formatTls('TLS', base, 12, PLAIN)[1]).toBe('  certificate verified');
  });
});
