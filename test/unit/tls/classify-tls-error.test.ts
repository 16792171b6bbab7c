/**
 * The table of TLS failure mappings: every verification and handshake code to our code at
 * both stages, the specifics in the message, and the interception hint through a proxy.
 */
import { describe, expect, it } from 'vitest';
import type { CertSummary } from '../../../src-main/shared/model';
import { netErrorSchema } from '../../../src-main/shared/errors';
import { hintFor } from '../../../src-main/shared/hint-text';
import {
  certificateNames,
  classifyTlsError,
  clientCertError,
  isTlsLayerCode,
  tlsTimeoutError,
  type TlsFailureInput,
} from '../../../src-main/core/tls/classify-tls-error';

const NOW = Date.parse('2025-06-01T00:00:00Z');

function cert(subject: string, issuer: string, validFrom: string, validTo: string, sans: string[] = []): CertSummary {
  return {
    subject,
    issuer,
    validFrom,
    validTo,
    fingerprint256: 'AB:CD',
    subjectAltNames: sans,
    serialNumber: '01',
    selfSigned: subject === issuer,
  };
}

const ROOT = cert('CN=Test Root', 'CN=Test Root', '2020-01-01T00:00:00.000Z', '2040-01-01T00:00:00.000Z');
const GOOD_LEAF = cert('CN=echo.example', 'CN=Test Root', '2025-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', ['DNS:echo.example']);
const EXPIRED_LEAF = cert('CN=echo.example', 'CN=Test Root', '2023-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z', ['DNS:echo.example']);
const FUTURE_LEAF = cert('CN=echo.example', 'CN=Test Root', '2026-03-04T00:00:00.000Z', '2027-01-01T00:00:00.000Z', ['DNS:echo.example']);
const OTHER_LEAF = cert('CN=other.example', 'CN=Test Root', '2025-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', ['DNS:other.example', 'IP Address:10.1.2.3']);
const SELF_LEAF = cert('CN=localhost', 'CN=localhost', '2025-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', ['DNS:localhost']);
const INSPECTED_LEAF = cert('CN=echo.example', 'CN=Corp Inspect CA, O=Corp', '2025-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', ['DNS:echo.example']);
const EXPIRED_INTERMEDIATE = cert('CN=Old Intermediate', 'CN=Test Root', '2015-01-01T00:00:00.000Z', '2020-02-02T00:00:00.000Z');

function input(overrides: Partial<TlsFailureInput>): TlsFailureInput {
  return {
    stage: 'tls',
    code: undefined,
    host: 'echo.example',
    port: 443,
    chain: [GOOD_LEAF, ROOT],
    clientCertGiven: false,
    now: NOW,
    ...overrides,
  };
}

interface Row {
  name: string;
  in: Partial<TlsFailureInput>;
  code: string;
  message?: string;
  hint?: string;
}

const TABLE: Row[] = [
  // certificate verification, stage tls
  { name: 'expired leaf', in: { code: 'CERT_HAS_EXPIRED', chain: [EXPIRED_LEAF, ROOT] }, code: 'TLS_CERT_EXPIRED', message: "The server's certificate (CN=echo.example) expired on 2024-01-01." },
  { name: 'expired intermediate', in: { code: 'CERT_HAS_EXPIRED', chain: [GOOD_LEAF, EXPIRED_INTERMEDIATE, ROOT] }, code: 'TLS_CERT_EXPIRED', message: "A certificate in the server's chain (CN=Old Intermediate) expired on 2020-02-02." },
  { name: 'expired, no chain', in: { code: 'CERT_HAS_EXPIRED', chain: [] }, code: 'TLS_CERT_EXPIRED', message: "The server's certificate has expired." },
  { name: 'not yet valid', in: { code: 'CERT_NOT_YET_VALID', chain: [FUTURE_LEAF, ROOT] }, code: 'TLS_CERT_NOT_YET_VALID', message: 'is not valid until 2026-03-04', hint: 'clock' },
  { name: 'altname (Node)', in: { code: 'ERR_TLS_CERT_ALTNAME_INVALID', host: '127.0.0.1', chain: [OTHER_LEAF, ROOT] }, code: 'TLS_HOSTNAME_MISMATCH', message: "The server's certificate is for other.example, 10.1.2.3, not 127.0.0.1." },
  { name: 'altname (OpenSSL name)', in: { code: 'HOSTNAME_MISMATCH', chain: [OTHER_LEAF] }, code: 'TLS_HOSTNAME_MISMATCH', message: 'not echo.example' },
  { name: 'IPv6 host in brackets', in: { code: 'IP_ADDRESS_MISMATCH', host: '[::1]', chain: [OTHER_LEAF] }, code: 'TLS_HOSTNAME_MISMATCH', message: 'not ::1.' },
  { name: 'altname, no names', in: { code: 'ERR_TLS_CERT_ALTNAME_INVALID', chain: [] }, code: 'TLS_HOSTNAME_MISMATCH', message: 'names no host at all' },
  { name: 'self-signed leaf', in: { code: 'DEPTH_ZERO_SELF_SIGNED_CERT', chain: [SELF_LEAF] }, code: 'TLS_UNTRUSTED_CERT', message: 'self-signed', hint: 'extra CA file' },
  { name: 'self-signed root in chain', in: { code: 'SELF_SIGNED_CERT_IN_CHAIN' }, code: 'TLS_UNTRUSTED_CERT', message: 'ends in a root that is not trusted (CN=Test Root)' },
  { name: 'issuer unknown (locally)', in: { code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', chain: [INSPECTED_LEAF] }, code: 'TLS_UNTRUSTED_CERT', message: 'issued by CN=Corp Inspect CA, O=Corp that is not a trusted authority' },
  { name: 'issuer unknown', in: { code: 'UNABLE_TO_GET_ISSUER_CERT', chain: [INSPECTED_LEAF] }, code: 'TLS_UNTRUSTED_CERT', message: 'CN=Corp Inspect CA' },
  { name: 'leaf signature unverifiable', in: { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', chain: [INSPECTED_LEAF] }, code: 'TLS_UNTRUSTED_CERT', message: 'CN=Corp Inspect CA' },
  { name: 'other verification code', in: { code: 'INVALID_PURPOSE' }, code: 'TLS_UNTRUSTED_CERT', message: 'could not be verified (INVALID_PURPOSE)' },
  { name: 'revoked', in: { code: 'CERT_REVOKED' }, code: 'TLS_UNTRUSTED_CERT' },
  // handshake errors, stage tls
  { name: 'plain HTTP answer', in: { code: 'ERR_SSL_WRONG_VERSION_NUMBER' }, code: 'TLS_HANDSHAKE_FAILED', message: 'did not answer with TLS', hint: 'ws://' },
  { name: 'huge record', in: { code: 'ERR_SSL_PACKET_LENGTH_TOO_LONG' }, code: 'TLS_HANDSHAKE_FAILED', message: 'did not answer with TLS' },
  { name: 'reset during handshake', in: { code: 'ECONNRESET' }, code: 'TLS_HANDSHAKE_FAILED', message: 'closed the connection during the TLS handshake' },
  { name: 'reset through a proxy', in: { code: 'ECONNRESET', viaProxy: 'http://proxy:3128' }, code: 'TLS_HANDSHAKE_FAILED', hint: 'proxy' },
  { name: 'closed before start', in: { code: 'ERR_SOCKET_CLOSED' }, code: 'TLS_HANDSHAKE_FAILED', message: 'closed the connection' },
  { name: 'no common version', in: { code: 'ERR_SSL_UNSUPPORTED_PROTOCOL' }, code: 'TLS_HANDSHAKE_FAILED', message: 'no TLS version in common' },
  { name: 'protocol_version alert', in: { code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION' }, code: 'TLS_HANDSHAKE_FAILED', message: 'no TLS version in common' },
  { name: 'handshake_failure, no client cert', in: { code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' }, code: 'TLS_HANDSHAKE_FAILED', message: 'handshake_failure', hint: 'requires a client certificate' },
  { name: 'handshake_failure after a cert request, none given', in: { code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', clientCertRequested: true }, code: 'TLS_HANDSHAKE_FAILED', message: 'asked for a client certificate, none was given', hint: '--cert' },
  { name: 'handshake_failure, client cert given', in: { code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', clientCertGiven: true }, code: 'TLS_HANDSHAKE_FAILED', hint: 'did not accept the client certificate' },
  { name: 'certificate_required alert', in: { code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' }, code: 'TLS_HANDSHAKE_FAILED', message: 'requires a client certificate and none was given', hint: '--cert' },
  { name: 'unknown_ca alert on our cert', in: { code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', clientCertGiven: true }, code: 'TLS_CLIENT_CERT_INVALID', message: 'rejected the client certificate' },
  { name: 'bad_certificate alert on our cert', in: { code: 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', clientCertGiven: true }, code: 'TLS_CLIENT_CERT_INVALID' },
  { name: 'closed after cert request, none given', in: { code: 'ECONNRESET', clientCertRequested: true }, code: 'TLS_HANDSHAKE_FAILED', message: 'asked for a client certificate, none was given' },
  { name: 'closed after cert request, one given', in: { code: 'ECONNRESET', clientCertRequested: true, clientCertGiven: true }, code: 'TLS_CLIENT_CERT_INVALID', message: 'closed the connection after receiving it' },
  { name: 'unrecognized_name alert', in: { code: 'ERR_SSL_TLSV1_ALERT_UNRECOGNIZED_NAME' }, code: 'TLS_HANDSHAKE_FAILED', message: 'does not serve the host name echo.example' },
  { name: 'unknown code', in: { code: 'ERR_SSL_SOMETHING_NEW' }, code: 'TLS_HANDSHAKE_FAILED', message: 'The TLS handshake with the server at echo.example:443 failed (ERR_SSL_SOMETHING_NEW).' },
  { name: 'no code at all', in: { code: undefined }, code: 'TLS_HANDSHAKE_FAILED', message: 'failed.' },
  // the same at stage proxy-tls
  { name: 'proxy: expired', in: { stage: 'proxy-tls', code: 'CERT_HAS_EXPIRED', chain: [EXPIRED_LEAF] }, code: 'PROXY_TLS_CERT_EXPIRED', message: "The https:// proxy's certificate (CN=echo.example) expired on 2024-01-01." },
  { name: 'proxy: not yet valid', in: { stage: 'proxy-tls', code: 'CERT_NOT_YET_VALID', chain: [FUTURE_LEAF] }, code: 'PROXY_TLS_CERT_NOT_YET_VALID', message: 'not valid until 2026-03-04' },
  { name: 'proxy: hostname', in: { stage: 'proxy-tls', code: 'ERR_TLS_CERT_ALTNAME_INVALID', host: 'proxy.corp', chain: [OTHER_LEAF] }, code: 'PROXY_TLS_HOSTNAME_MISMATCH', message: "The https:// proxy's certificate is for other.example, 10.1.2.3, not proxy.corp." },
  { name: 'proxy: self-signed', in: { stage: 'proxy-tls', code: 'DEPTH_ZERO_SELF_SIGNED_CERT', chain: [SELF_LEAF] }, code: 'PROXY_TLS_UNTRUSTED_CERT', hint: 'proxy CA file' },
  { name: 'proxy: unknown issuer', in: { stage: 'proxy-tls', code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' }, code: 'PROXY_TLS_UNTRUSTED_CERT' },
  { name: 'proxy: plain http proxy', in: { stage: 'proxy-tls', code: 'ERR_SSL_WRONG_VERSION_NUMBER' }, code: 'PROXY_TLS_HANDSHAKE_FAILED', message: 'The https:// proxy at echo.example:443 did not answer with TLS.', hint: 'http:// instead of https://' },
  { name: 'proxy: reset', in: { stage: 'proxy-tls', code: 'ECONNRESET' }, code: 'PROXY_TLS_HANDSHAKE_FAILED', hint: 'use http://' },
  { name: 'proxy: client cert rejected', in: { stage: 'proxy-tls', code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', clientCertGiven: true }, code: 'TLS_CLIENT_CERT_INVALID', message: 'The https:// proxy rejected' },
];

describe('classifyTlsError', () => {
  it.each(TABLE)('$name → $code', (row) => {
    const error = classifyTlsError(input(row.in));
    expect(netErrorSchema.parse(error)).toEqual(error);
    expect(error.code).toBe(row.code);
    expect(error.stage).toBe(row.in.stage ?? 'tls');
    if (row.message) expect(error.message).toContain(row.message);
    // The CLI's wording: a setting named by its flag.
    if (row.hint) expect(hintFor(error, { host: 'cli', scheme: row.in.stage === 'proxy-tls' ? undefined : 'wss:' })).toContain(row.hint);
    expect(error.hint.length).toBeGreaterThan(10);
  });

  it('puts target, proxy, chain and cause in details', () => {
    const chain = [EXPIRED_LEAF, ROOT];
    const error = classifyTlsError(input({ code: 'CERT_HAS_EXPIRED', chain, viaProxy: 'http://proxy:3128', causeMessage: 'certificate has expired' }));
    expect(error.details).toEqual({
      target: 'echo.example:443',
      proxy: 'http://proxy:3128',
      certChain: chain,
      cause: 'CERT_HAS_EXPIRED',
      causeMessage: 'certificate has expired',
    });
  });

  it('formats an IPv6 target with brackets', () => {
    expect(classifyTlsError(input({ code: 'ECONNRESET', host: '::1', port: 8443 })).details.target).toBe('[::1]:8443');
  });

  describe('through a proxy, an untrusted issuer hints at TLS inspection', () => {
    it.each([
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
    ])('%s', (code) => {
      const error = classifyTlsError(input({ code, chain: [INSPECTED_LEAF], viaProxy: 'http://proxy.corp:8080' }));
      expect(error.code).toBe('TLS_UNTRUSTED_CERT');
      expect(error.hint).toContain('TLS-inspecting proxy may be re-signing traffic');
      expect(error.hint).toContain('http://proxy.corp:8080');
      expect(error.hint).toContain('issued by CN=Corp Inspect CA, O=Corp');
      expect(error.hint).toContain('extra CA file');
      expect(error.actions).toEqual(['trust-ca-file', 'connect-insecure']);
      expect(error.details.proxy).toBe('http://proxy.corp:8080');
    });

    it('names "an unknown issuer" when no chain was captured', () => {
      const error = classifyTlsError(input({ code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', chain: [], viaProxy: 'http://p:1' }));
      expect(error.hint).toContain('issued by an unknown issuer');
    });

    it("says a self-signed certificate that names the host is most likely the server's own, not a proxy's", () => {
      const own = cert('CN=echo.example', 'CN=echo.example', '2025-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', ['DNS:echo.example']);
      const error = classifyTlsError(input({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT', chain: [own], viaProxy: 'http://127.0.0.1:8888' }));
      expect(error.code).toBe('TLS_UNTRUSTED_CERT');
      expect(error.hint).not.toContain('TLS-inspecting proxy may');
      expect(error.hint).not.toContain('IT department');
      expect(error.hint).toContain("most likely the server's own, passed through the proxy http://127.0.0.1:8888 unchanged");
      expect(error.hint).toContain('add its certificate (PEM) as an extra CA file');
      expect(error.actions).toEqual(['trust-ca-file', 'connect-insecure']);
    });

    it('keeps the inspection hint when the self-signed certificate does not name the host', () => {
      const error = classifyTlsError(input({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT', chain: [SELF_LEAF], viaProxy: 'http://p:1', hostnameAlsoWrong: true }));
      expect(error.hint).toContain('TLS-inspecting proxy may be re-signing traffic');
      expect(error.hint).not.toContain("server's own");
    });

    it('is not given without a proxy, nor for other failures through one', () => {
      expect(classifyTlsError(input({ code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' })).hint).not.toContain('TLS-inspecting');
      expect(classifyTlsError(input({ code: 'CERT_HAS_EXPIRED', viaProxy: 'http://p:1' })).hint).not.toContain('TLS-inspecting');
    });
  });
});

describe('the other TLS errors', () => {
  it('tlsTimeoutError: HANDSHAKE_TIMEOUT at the given stage, saying the TLS handshake did not finish', () => {
    const server = tlsTimeoutError('tls', 'echo.example', 443, 1500, 'http://proxy:3128');
    expect(server).toMatchObject({ stage: 'tls', code: 'HANDSHAKE_TIMEOUT', details: { timeoutMs: 1500, target: 'echo.example:443', proxy: 'http://proxy:3128' } });
    expect(server.message).toBe('The TLS handshake with the server at echo.example:443 did not finish within 1500 ms.');
    const proxy = tlsTimeoutError('proxy-tls', 'proxy.corp', 3129, 800);
    expect(proxy).toMatchObject({ stage: 'proxy-tls', code: 'HANDSHAKE_TIMEOUT' });
    expect(proxy.message).toContain('https:// proxy');
    expect(proxy.details.proxy).toBeUndefined();
  });

  it('clientCertError: TLS_CLIENT_CERT_INVALID with the problem in the message', () => {
    const error = clientCertError('tls', 'echo.example', 443, 'the key is encrypted and no passphrase was given', 'ERR_MISSING_PASSPHRASE');
    expect(error).toMatchObject({ stage: 'tls', code: 'TLS_CLIENT_CERT_INVALID', details: { cause: 'ERR_MISSING_PASSPHRASE' } });
    expect(error.message).toBe('The client certificate could not be used: the key is encrypted and no passphrase was given.');
  });

  it('isTlsLayerCode tells TLS alerts from socket errors', () => {
    expect(isTlsLayerCode('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED')).toBe(true);
    expect(isTlsLayerCode('ERR_TLS_CERT_ALTNAME_INVALID')).toBe(true);
    expect(isTlsLayerCode('ECONNRESET')).toBe(false);
    expect(isTlsLayerCode(undefined)).toBe(false);
  });

  it('certificateNames: SANs without their labels, else the CN', () => {
    expect(certificateNames(OTHER_LEAF)).toEqual(['other.example', '10.1.2.3']);
    expect(certificateNames(ROOT)).toEqual(['Test Root']);
    expect(certificateNames(undefined)).toEqual([]);
  });
});

describe('a chain problem and a host problem at once', () => {
  it('says both: the chain first, then the names the certificate is for', () => {
    const error = classifyTlsError(input({ code: 'CERT_HAS_EXPIRED', chain: [cert('CN=other.example', 'CN=Test Root', '2023-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z', ['DNS:other.example']), ROOT], hostnameAlsoWrong: true }));
    expect(error.code).toBe('TLS_CERT_EXPIRED');
    expect(error.message).toBe("The server's certificate (CN=other.example) expired on 2024-01-01. Also, the server's certificate is for other.example, not echo.example.");
  });

  it('at the proxy, names the proxy', () => {
    const error = classifyTlsError(input({ stage: 'proxy-tls', code: 'DEPTH_ZERO_SELF_SIGNED_CERT', chain: [SELF_LEAF], hostnameAlsoWrong: true, host: 'proxy.corp' }));
    expect(error.code).toBe('PROXY_TLS_UNTRUSTED_CERT');
    expect(error.message).toContain("Also, the https:// proxy's certificate is for localhost, not proxy.corp.");
  });

  it('adds nothing to a handshake failure or to the host problem itself', () => {
    expect(classifyTlsError(input({ code: 'ECONNRESET', hostnameAlsoWrong: true })).message).not.toContain('Also,');
    expect(classifyTlsError(input({ code: 'ERR_TLS_CERT_ALTNAME_INVALID', chain: [OTHER_LEAF, ROOT], hostnameAlsoWrong: true })).message).not.toContain('Also,');
  });
});
