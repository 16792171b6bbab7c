/**
 * unchangingFailure on the TLS failures classify-tls-error.ts makes when a peer wants a client
 * certificate: certificate_required (TLS 1.3), a handshake_failure or a close after the peer's
 * CertificateRequest with none given stop, for the server and the https:// proxy; a bare
 * handshake_failure (no CertificateRequest seen) and a close without one stay retried, and so
 * does a certificate the peer rejected (given but refused has its own line, TLS_CLIENT_CERT_INVALID).
 */
import { describe, expect, it } from 'vitest';
import { classifyTlsError } from '../../../src-main/core/tls/classify-tls-error';
import { unchangingFailure } from '../../../src-main/core/session/reconnect-unchanging';

const failure = (code: string, over: { stage?: 'tls' | 'proxy-tls'; requested?: boolean; given?: boolean } = {}): ReturnType<typeof classifyTlsError> =>
  classifyTlsError({ stage: over.stage ?? 'tls', code, host: 'api.example', port: 443, chain: [], clientCertGiven: over.given ?? false, clientCertRequested: over.requested ?? false });

describe('a peer that requires a client certificate', () => {
  it('certificate_required, handshake_failure or a close after its CertificateRequest, none given: unchanging', () => {
    const line = "the server requires a client certificate and this connection gives none, nor would another attempt: set a client certificate and its key (PEM files) in the TLS settings (the CLI's --cert and --key)";
    expect(unchangingFailure(failure('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'))).toBe(line);
    expect(unchangingFailure(failure('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', { requested: true }))).toBe(line);
    expect(unchangingFailure(failure('ECONNRESET', { requested: true }))).toBe(line);
    expect(unchangingFailure(failure('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', { stage: 'proxy-tls' }))).toMatch(/^the https:\/\/ proxy requires a client certificate/);
  });

  it('a handshake_failure or a close with no CertificateRequest seen: retried (no cipher in common, a restart)', () => {
    expect(unchangingFailure(failure('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'))).toBeUndefined();
    expect(unchangingFailure(failure('ECONNRESET'))).toBeUndefined();
    expect(unchangingFailure(failure('ERR_SSL_WRONG_VERSION_NUMBER'))).toBeUndefined();
  });

  it('a certificate given and refused keeps its own line (TLS_CLIENT_CERT_INVALID)', () => {
    const refused = failure('ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', { requested: true, given: true });
    expect(refused.code).toBe('TLS_CLIENT_CERT_INVALID');
    expect(unchangingFailure(refused)).toMatch(/^the client certificate cannot be used/);
  });
});
