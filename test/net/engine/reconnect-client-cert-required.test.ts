/**
 * Through the real Engine on 127.0.0.1: a wss server (Node https, the test CA's certificate for
 * 127.0.0.1) that requests and requires a client certificate (requestCert, rejectUnauthorized,
 * its CA the client CA). A connection that gives none fails the handshake (TLS 1.3: the
 * certificate_required alert; TLS 1.2: handshake_failure after the server's CertificateRequest),
 * and auto-reconnect stops after attempt 1 saying to set a client certificate: every attempt
 * would give none. With the client certificate set, the same server lets it open. Waits are on a
 * ManualClock moved at each announced wait.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { AttemptRecord } from '../../../src-main/shared/attempts';
import type { EngineEvent } from '../../../src-main/shared/events';
import type { ConnectionOptionsInput } from '../../../src-main/shared/model';
import { clientCertificate, testCa, trustedServer, writePems, type PemDir } from '../../support/certs';
import { reconnectingEngine, type ReconnectingEngine } from '../../support/reconnecting-engine';

const closers: (() => Promise<void>)[] = [];
let run: ReconnectingEngine | undefined;
let pems: PemDir | undefined;

beforeAll(async () => {
  pems = await writePems({ 'ca.pem': testCa().cert, 'client.pem': clientCertificate().cert, 'client.key': clientCertificate().key });
});
afterAll(async () => {
  await pems?.cleanup();
});
afterEach(async () => {
  await run?.engine.dispose();
  run = undefined;
  for (const close of closers.splice(0)) await close();
});

async function certRequiringServer(maxVersion: 'TLSv1.2' | 'TLSv1.3'): Promise<string> {
  const server = https.createServer({ cert: trustedServer().cert, key: trustedServer().key, ca: clientCertificate().ca, requestCert: true, rejectUnauthorized: true, maxVersion });
  const wss = new WebSocketServer({ server });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    for (const client of wss.clients) client.terminate();
    wss.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `wss://127.0.0.1:${(server.address() as AddressInfo).port}/feed`;
}

/** The first attempt's record once the connection stopped or attempt 2 began (or the connection opened). */
async function firstEnd(options: ConnectionOptionsInput): Promise<{ record: AttemptRecord | undefined; events: EngineEvent[] }> {
  run = reconnectingEngine();
  const { engine, events, until } = run;
  const opened = await engine.call('session:open', { options: { proxy: { mode: 'none' }, openTimeoutMs: 8000, ...options, reconnect: { maxAttempts: 0 } } });
  if (!opened.ok) throw new Error(`session:open refused: ${JSON.stringify(opened.error)}`);
  await until(() => events.some((e) => e.type === 'closed' || e.type === 'attempt-started' || (e.type === 'state' && e.state === 'open')));
  return { record: events.flatMap((e) => (e.type === 'attempt' ? [e.record] : []))[0], events };
}

const STOP = "not retried: the server requires a client certificate and this connection gives none, nor would another attempt: set a client certificate and its key (PEM files) in the TLS settings (the CLI's --cert and --key)";

describe('a server that requires a client certificate', () => {
  it('TLS 1.3, none given (certificate_required): not retried, saying to set one', async () => {
    const url = await certRequiringServer('TLSv1.3');
    const { record, events } = await firstEnd({ url, tls: { caFiles: [pems!.path('ca.pem')] } });
    expect(record?.outcome.error).toMatchObject({ code: 'TLS_HANDSHAKE_FAILED', details: { cause: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' } });
    expect(record?.next).toBeNull();
    expect(record?.stopReason).toBe(STOP);
    expect(events.some((e) => e.type === 'attempt-started')).toBe(false);
  });

  it('TLS 1.2, none given (handshake_failure after its CertificateRequest): not retried', async () => {
    const url = await certRequiringServer('TLSv1.2');
    const { record, events } = await firstEnd({ url, tls: { caFiles: [pems!.path('ca.pem')] } });
    expect(record?.outcome.error).toMatchObject({ code: 'TLS_HANDSHAKE_FAILED', details: { cause: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' } });
    expect(record?.stopReason).toBe(STOP);
    expect(events.some((e) => e.type === 'attempt-started')).toBe(false);
  });

  it('with the client certificate set, it opens', async () => {
    const url = await certRequiringServer('TLSv1.3');
    const { record, events } = await firstEnd({ url, tls: { caFiles: [pems!.path('ca.pem')], certFile: pems!.path('client.pem'), keyFile: pems!.path('client.key') } });
    expect(record).toBeUndefined();
    expect(events.some((e) => e.type === 'state' && e.state === 'open')).toBe(true);
  });
});
