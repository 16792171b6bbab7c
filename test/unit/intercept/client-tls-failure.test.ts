/**
 * How a client's failed TLS handshake with our leaf is named: each certificate alert as a
 * refusal with its evidence, a hang-up in the middle of the handshake or right after it as a
 * likely refusal, anything else as the failure it is; and the one line the CLI and the app show.
 */
import { describe, expect, it } from 'vitest';
import { clientLabel, clientTlsFailure, clientTlsLine } from '../../../src-main/core/intercept/client-tls-failure';

function alert(text: string): Error {
  return Object.assign(new Error(`C0:3A:error:0A000418:SSL routines:ssl3_read_bytes:${text}:../deps/openssl/ssl/record/rec_layer_s3.c:1605:SSL alert number 48`), { code: 'ERR_SSL_X' });
}

describe('a client TLS failure', () => {
  it.each([
    ['tlsv1 alert unknown ca', 'unknown ca'],
    ['sslv3 alert bad certificate', 'bad certificate'],
    ['sslv3 alert certificate unknown', 'certificate unknown'],
    ['tlsv1 alert unsupported certificate', 'unsupported certificate'],
    ['sslv3 alert certificate expired', 'certificate expired'],
    ['tlsv1 alert access denied', 'access denied'],
  ])('%s: a refusal of the certificate, by its alert', (text, name) => {
    const failure = clientTlsFailure(alert(text), 'api.example.com');
    expect(failure).toEqual({
      rejectedCertificate: true,
      evidence: `TLS alert "${name}"`,
      reason: `the client refused the certificate made for api.example.com (TLS alert "${name}"): it does not trust the Tunnelscope CA, or it pins its server's certificate`,
    });
  });

  it('a hang-up: in the middle of the handshake (a close, a reset, a broken pipe) or right after it, a likely refusal', () => {
    expect(clientTlsFailure(undefined, 'h.example')).toMatchObject({ rejectedCertificate: true, evidence: 'a close in the middle of the handshake, after our certificate' });
    expect(clientTlsFailure(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'h.example')).toMatchObject({ rejectedCertificate: true });
    expect(clientTlsFailure(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }), 'h.example')).toMatchObject({ rejectedCertificate: true });
    expect(clientTlsFailure(undefined, 'h.example', true)).toMatchObject({ rejectedCertificate: true, evidence: 'a close right after the handshake, before any request' });
  });

  it('anything else is the failure it is, not a refusal', () => {
    const failure = clientTlsFailure(new Error('error:0A00010B:SSL routines::wrong version number'), 'h.example');
    expect(failure).toEqual({
      rejectedCertificate: false,
      reason: 'the TLS handshake with the client for h.example failed: error:0A00010B:SSL routines::wrong version number',
      evidence: 'error:0A00010B:SSL routines::wrong version number',
    });
  });

  it('the line: the client with its process (or "process unknown"), the host, the evidence and the passthrough command; a non-refusal without it', () => {
    expect(clientLabel('127.0.0.1:5000', { pid: 42, name: 'curl' })).toBe('127.0.0.1:5000 (curl, pid 42)');
    expect(clientLabel('[::1]:5000', undefined)).toBe('[::1]:5000 (process unknown)');
    const refused = { clientAddress: '127.0.0.1:5000', clientProcess: { pid: 42, name: 'java' }, host: 'api.example.com', ...clientTlsFailure(alert('tlsv1 alert unknown ca'), 'api.example.com') };
    expect(clientTlsLine(refused)).toBe(
      "the client at 127.0.0.1:5000 (java, pid 42) rejected Tunnelscope's certificate for api.example.com (TLS alert \"unknown ca\") — it does not trust the CA or pins its server's certificate; " +
        'to let it through undecrypted, add the host to the passthrough list: tunnelscope intercept passthrough add api.example.com (or --passthrough api.example.com for this run)',
    );
    const other = { clientAddress: '127.0.0.1:5001', host: 'h.example', ...clientTlsFailure(new Error('wrong version number'), 'h.example') };
    expect(clientTlsLine(other)).toBe('the client at 127.0.0.1:5001 (process unknown): the TLS handshake with the client for h.example failed: wrong version number');
  });
});
