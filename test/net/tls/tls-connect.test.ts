/**
 * startTls against real TLS servers on 127.0.0.1 (one per case, port 0): success with the
 * captured details, each certificate failure with its exact code and the chain in details,
 * the insecure switch, non-TLS and silent servers, client certificates, and abort.
 */
import { X509Certificate } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HandshakeStep } from '../../../src-main/shared/model';
import { NetFailure } from '../../../src-main/core/errors/net-failure';
import { Deadline } from '../../../src-main/core/net/deadline';
import { startTls, type TlsRequest } from '../../../src-main/core/tls/tls-connect';
import {
  TLS_SCENARIOS,
  clientCertificate,
  encryptKey,
  expiredServer,
  notYetValidServer,
  selfSignedServer,
  selfSignedWrongHostServer,
  testCa,
  trustedServer,
  unknownCaServer,
  wrongHostServer,
} from '../../support/certs';

const closers: (() => void)[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

beforeAll(() => {
  // Generate every key up front so no case spends its deadline on key generation.
  for (const make of Object.values(TLS_SCENARIOS)) make();
  clientCertificate();
  process.on('unhandledRejection', onUnhandled);
  return () => process.off('unhandledRejection', onUnhandled);
});

afterEach(() => {
  while (closers.length > 0) closers.pop()?.();
  expect(unhandled).toEqual([]);
});

interface TestServer {
  port: number;
  /** The SNI each accepted TLS connection carried (false when none). */
  servernames: (string | false)[];
  /** Subject CN of the client certificate each connection presented. */
  clientCns: string[];
}

/** A TLS echo server; closed (with every socket) after the test. */
async function tlsServer(options: tls.TlsOptions): Promise<TestServer> {
  const sockets = new Set<net.Socket>();
  const result: TestServer = { port: 0, servernames: [], clientCns: [] };
  const server = tls.createServer(options, (socket) => {
    // `servername` (the SNI received, or false) is missing from @types/node 20's TLSSocket.
    const servername: unknown = Reflect.get(socket, 'servername');
    result.servernames.push(typeof servername === 'string' ? servername : false);
    const peer = socket.getPeerCertificate();
    if (typeof peer.subject?.CN === 'string') result.clientCns.push(peer.subject.CN);
    socket.on('error', () => undefined);
    socket.pipe(socket);
  });
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  result.port = address.port;
  return result;
}

/** A plain TCP server with a custom connection handler. */
async function tcpServer(onConnection: (socket: net.Socket) => void): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function connectRaw(port: number): Promise<net.Socket> {
  const socket = net.connect({ host: '127.0.0.1', port });
  closers.push(() => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return socket;
}

type Options = Partial<Omit<TlsRequest, 'socket' | 'port' | 'deadline'>> & { deadlineMs?: number };

/**
 * The deadline of a case that fails for another reason: one that waited for it would end the
 * test at Vitest's timeout, with HANDSHAKE_TIMEOUT instead of the expected code.
 */
const FAR_DEADLINE_MS = 60_000;

/** Runs startTls against `port`, recording the steps. */
async function attempt(port: number, options: Options = {}) {
  const raw = await connectRaw(port);
  const steps: HandshakeStep[] = [];
  const deadlineMs = options.deadlineMs ?? FAR_DEADLINE_MS;
  const request: TlsRequest = {
    host: '127.0.0.1',
    stage: 'tls',
    material: { ca: [Buffer.from(testCa().cert)], insecure: false },
    onStep: (step) => steps.push(step),
    ...options,
    socket: raw,
    port,
    deadline: new Deadline(deadlineMs),
  };
  try {
    const result = await startTls(request);
    result.socket.on('error', () => undefined);
    closers.push(() => result.socket.destroy());
    return { result, error: undefined, raw, steps, deadlineMs };
  } catch (error) {
    return { result: undefined, error, raw, steps, deadlineMs };
  }
}

/** Asserts a NetFailure with this stage and code; returns its NetError. */
function expectFailure(outcome: Awaited<ReturnType<typeof attempt>>, stage: string, code: string) {
  expect(outcome.result).toBeUndefined();
  expect(outcome.error).toBeInstanceOf(NetFailure);
  if (!(outcome.error instanceof NetFailure)) throw outcome.error;
  const netError = outcome.error.netError;
  expect({ stage: netError.stage, code: netError.code }).toEqual({ stage, code });
  expect(outcome.raw.destroyed).toBe(true);
  expect(outcome.steps.at(-1)?.ok).toBe(false);
  return netError;
}

async function echo(socket: tls.TLSSocket, text: string): Promise<string> {
  socket.write(text);
  const [chunk] = await new Promise<Buffer[]>((resolve) => socket.once('data', (data: Buffer) => resolve([data])));
  return chunk?.toString() ?? '';
}

describe('startTls: success', () => {
  it('trusts a server signed by an extra CA and captures protocol, cipher, ALPN and chain; no SNI for an IP', async () => {
    const s = trustedServer();
    const server = await tlsServer({ cert: s.cert, key: s.key, ALPNProtocols: ['http/1.1'] });
    const outcome = await attempt(server.port, { alpnProtocols: ['http/1.1'] });
    expect(outcome.error).toBeUndefined();
    const info = outcome.result?.info;
    expect(info).toMatchObject({
      protocol: 'TLSv1.3',
      alpn: 'http/1.1',
      servername: null,
      authorized: true,
      authorizationError: null,
      insecure: false,
    });
    expect(info?.cipher).toMatch(/^TLS_/);
    expect(info?.chain).toHaveLength(2);
    expect(info?.chain[0]).toMatchObject({
      subject: 'CN=localhost, O=Tunnelscope Tests',
      issuer: 'CN=Tunnelscope Test CA, O=Tunnelscope Tests',
      fingerprint256: new X509Certificate(s.cert).fingerprint256,
      subjectAltNames: ['DNS:localhost', 'IP Address:127.0.0.1'],
      validTo: s.notAfter.toISOString().replace(/\.\d{3}Z$/, '.000Z'),
      selfSigned: false,
    });
    expect(info?.chain[1]).toMatchObject({ subject: 'CN=Tunnelscope Test CA, O=Tunnelscope Tests', selfSigned: true });
    expect(outcome.steps).toEqual([expect.objectContaining({ leg: 'tls', ok: true, peer: `127.0.0.1:${server.port}`, tls: info })]);
    // The echo also makes sure the server's side of the handshake has run.
    if (outcome.result) expect(await echo(outcome.result.socket, 'hello')).toBe('hello');
    expect(server.servernames).toEqual([false]);
  });

  it('sends SNI for a host name (localhost, connected on 127.0.0.1)', async () => {
    const s = trustedServer();
    const server = await tlsServer({ cert: s.cert, key: s.key });
    const outcome = await attempt(server.port, { host: 'localhost' });
    expect(outcome.error).toBeUndefined();
    expect(outcome.result?.info.servername).toBe('localhost');
    expect(outcome.result?.info.authorized).toBe(true);
    if (outcome.result) expect(await echo(outcome.result.socket, 'sni')).toBe('sni');
    expect(server.servernames).toEqual(['localhost']);
  });

  it('reports the proxy-tls leg when the stage is proxy-tls', async () => {
    const s = trustedServer();
    const server = await tlsServer({ cert: s.cert, key: s.key });
    const outcome = await attempt(server.port, { stage: 'proxy-tls' });
    expect(outcome.error).toBeUndefined();
    expect(outcome.steps.map((step) => [step.leg, step.ok])).toEqual([['proxy-tls', true]]);
  });
});

describe('startTls: certificate failures', () => {
  it('expired → TLS_CERT_EXPIRED with the date and the chain', async () => {
    const s = expiredServer();
    const server = await tlsServer({ cert: s.cert, key: s.key });
    const error = expectFailure(await attempt(server.port), 'tls', 'TLS_CERT_EXPIRED');
    expect(error.message).toContain('expired on 2024-01-01');
    expect(error.details).toMatchObject({ target: `127.0.0.1:${server.port}`, cause: 'CERT_HAS_EXPIRED' });
    expect(error.details.certChain?.[0]?.validTo).toBe('2024-01-01T00:00:00.000Z');
    expect(error.actions).toContain('connect-insecure');
  });

  it('not yet valid → TLS_CERT_NOT_YET_VALID with the start date', async () => {
    const s = notYetValidServer();
    const server = await tlsServer({ cert: s.cert, key: s.key });
    const error = expectFailure(await attempt(server.port), 'tls', 'TLS_CERT_NOT_YET_VALID');
    expect(error.message).toContain(`not valid until ${s.notBefore.toISOString().slice(0, 10)}`);
    expect(error.details.certChain?.length).toBeGreaterThan(0);
  });

  it('wrong host → TLS_HOSTNAME_MISMATCH naming both', async () => {
    const s = wrongHostServer();
    const server = await tlsServer({ cert: s.cert, key: s.key });
    const error = expectFailure(await attempt(server.port), 'tls', 'TLS_HOSTNAME_MISMATCH');
    expect(error.message).toContain('is for other.example, not 127.0.0.1');
    expect(error.details.certChain?.[0]?.subjectAltNames).toEqual(['DNS:other.example']);
    expect(error.details.cause).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('self-signed → TLS_UNTRUSTED_CERT', async () => {
    const s = selfSignedServer();
    const server = await tlsServer({ cert: s.cert, key: s.key });
    const error = expectFailure(await attempt(server.port), 'tls', 'TLS_UNTRUSTED_CERT');
    expect(error.details.cause).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(error.message).toContain('self-signed');
    expect(error.details.certChain).toEqual([expect.objectContaining({ subject: 'CN=localhost', selfSigned: true })]);
  });

  it('self-signed and for another host → TLS_UNTRUSTED_CERT that names the host problem too', async () => {
    const s = selfSignedWrongHostServer();
    const server = await tlsServer({ cert: s.cert, key: s.key });
    const error = expectFailure(await attempt(server.port), 'tls', 'TLS_UNTRUSTED_CERT');
    expect(error.details.cause).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(error.message).toMatch(/self-signed .*\. Also, the server's certificate is for other\.example, not 127\.0\.0\.1\.$/);
  });

  it('a chain problem alone says nothing about the host', async () => {
    const s = selfSignedServer();
    const server = await tlsServer({ cert: s.cert, key: s.key });
    const error = expectFailure(await attempt(server.port), 'tls', 'TLS_UNTRUSTED_CERT');
    expect(error.message).not.toContain('Also,');
  });

  it('unknown CA (leaf only) → TLS_UNTRUSTED_CERT naming the issuer', async () => {
    const s = unknownCaServer();
    const server = await tlsServer({ cert: s.cert, key: s.key });
    const error = expectFailure(await attempt(server.port), 'tls', 'TLS_UNTRUSTED_CERT');
    expect(error.details.cause).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(error.message).toContain('CN=Tunnelscope Unknown CA');
    expect(error.details.certChain).toHaveLength(1);
  });

  it('unknown CA (whole chain sent) → TLS_UNTRUSTED_CERT with the root in the chain', async () => {
    const s = unknownCaServer();
    const server = await tlsServer({ cert: s.cert + (s.issuerCa ?? ''), key: s.key });
    const error = expectFailure(await attempt(server.port), 'tls', 'TLS_UNTRUSTED_CERT');
    expect(error.details.cause).toBe('SELF_SIGNED_CERT_IN_CHAIN');
    expect(error.details.certChain?.map((cert) => cert.selfSigned)).toEqual([false, true]);
  });

  it('the same failure at stage proxy-tls → PROXY_TLS_UNTRUSTED_CERT', async () => {
    const s = selfSignedServer();
    const server = await tlsServer({ cert: s.cert, key: s.key });
    const outcome = await attempt(server.port, { stage: 'proxy-tls' });
    expectFailure(outcome, 'proxy-tls', 'PROXY_TLS_UNTRUSTED_CERT');
    expect(outcome.steps.map((step) => step.leg)).toEqual(['proxy-tls']);
  });

  it('through a proxy, an untrusted issuer gets the TLS-inspection hint', async () => {
    const s = unknownCaServer();
    const server = await tlsServer({ cert: s.cert, key: s.key });
    const error = expectFailure(await attempt(server.port, { viaProxy: 'http://proxy.corp:3128' }), 'tls', 'TLS_UNTRUSTED_CERT');
    expect(error.hint).toContain('TLS-inspecting proxy');
    expect(error.hint).toContain('http://proxy.corp:3128');
    expect(error.hint).toContain('CN=Tunnelscope Unknown CA, O=Tunnelscope Tests');
    expect(error.hint).toContain('extra CA file');
    expect(error.actions).toEqual(['trust-ca-file', 'connect-insecure']);
    expect(error.details.proxy).toBe('http://proxy.corp:3128');
  });

  it('without the extra CA the test CA is not trusted (extra CAs are what make it trusted)', async () => {
    const s = trustedServer();
    const server = await tlsServer({ cert: s.cert, key: s.key });
    const outcome = await attempt(server.port, { material: { ca: [], insecure: false } });
    expectFailure(outcome, 'tls', 'TLS_UNTRUSTED_CERT');
  });
});

describe('startTls: insecure', () => {
  it('accepts an expired certificate, marked insecure, with the truth in authorized/authorizationError', async () => {
    const s = expiredServer();
    const server = await tlsServer({ cert: s.cert, key: s.key });
    const outcome = await attempt(server.port, { material: { ca: [Buffer.from(testCa().cert)], insecure: true } });
    expect(outcome.error).toBeUndefined();
    expect(outcome.result?.info).toMatchObject({ insecure: true, authorized: false, authorizationError: 'CERT_HAS_EXPIRED' });
    expect(outcome.result?.info.chain[0]?.validTo).toBe('2024-01-01T00:00:00.000Z');
    if (outcome.result) expect(await echo(outcome.result.socket, 'still works')).toBe('still works');
  });

  it('accepts a wrong host, reporting ERR_TLS_CERT_ALTNAME_INVALID', async () => {
    const s = wrongHostServer();
    const server = await tlsServer({ cert: s.cert, key: s.key });
    const outcome = await attempt(server.port, { material: { ca: [Buffer.from(testCa().cert)], insecure: true } });
    expect(outcome.error).toBeUndefined();
    expect(outcome.result?.info).toMatchObject({ insecure: true, authorized: false, authorizationError: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('marks a good certificate insecure too but authorized', async () => {
    const s = trustedServer();
    const server = await tlsServer({ cert: s.cert, key: s.key });
    const outcome = await attempt(server.port, { material: { ca: [Buffer.from(testCa().cert)], insecure: true } });
    expect(outcome.result?.info).toMatchObject({ insecure: true, authorized: true, authorizationError: null });
  });
});

describe('startTls: servers that do not speak TLS', () => {
  it('a plain HTTP answer → TLS_HANDSHAKE_FAILED saying it is not TLS', async () => {
    const port = await tcpServer((socket) => {
      socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
    });
    const error = expectFailure(await attempt(port), 'tls', 'TLS_HANDSHAKE_FAILED');
    expect(error.message).toContain('did not answer with TLS');
    expect(['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG']).toContain(error.details.cause);
  });

  it('a server that closes at the hello → TLS_HANDSHAKE_FAILED (closed during the handshake)', async () => {
    const port = await tcpServer((socket) => {
      socket.once('data', () => socket.destroy());
    });
    const error = expectFailure(await attempt(port), 'tls', 'TLS_HANDSHAKE_FAILED');
    expect(error.message).toContain('closed the connection during the TLS handshake');
  });

  it('a server that never answers → HANDSHAKE_TIMEOUT at the stage, within the deadline', async () => {
    const port = await tcpServer(() => undefined);
    const error = expectFailure(await attempt(port, { deadlineMs: 400 }), 'tls', 'HANDSHAKE_TIMEOUT');
    expect(error.message).toContain('TLS handshake');
    expect(error.message).toContain('did not finish within 400 ms');
    expect(error.details.timeoutMs).toBe(400);
  });

  it('a silent https:// proxy → HANDSHAKE_TIMEOUT at proxy-tls', async () => {
    const port = await tcpServer(() => undefined);
    const error = expectFailure(await attempt(port, { deadlineMs: 300, stage: 'proxy-tls' }), 'proxy-tls', 'HANDSHAKE_TIMEOUT');
    expect(error.hint).toContain('http://');
  });

  it('a socket that is already closed → TLS_HANDSHAKE_FAILED at once', async () => {
    const port = await tcpServer(() => undefined);
    const raw = await connectRaw(port);
    raw.destroy();
    const error: unknown = await startTls({
      socket: raw,
      host: '127.0.0.1',
      port,
      stage: 'tls',
      material: { ca: [], insecure: false },
      deadline: new Deadline(FAR_DEADLINE_MS),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetFailure);
    // At once: TLS_HANDSHAKE_FAILED, not the deadline's HANDSHAKE_TIMEOUT.
    if (error instanceof NetFailure) expect([error.netError.stage, error.netError.code]).toEqual(['tls', 'TLS_HANDSHAKE_FAILED']);
  });

  it('an abort destroys the socket and rejects promptly with the reason', async () => {
    const port = await tcpServer(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user cancelled')), 50);
    const outcome = await attempt(port, { signal: controller.signal });
    // The abort's reason, not the deadline's HANDSHAKE_TIMEOUT.
    expect(outcome.error).toBeInstanceOf(Error);
    expect(outcome.error).not.toBeInstanceOf(NetFailure);
    expect(outcome.error instanceof Error ? outcome.error.message : '').toBe('user cancelled');
    expect(outcome.raw.destroyed).toBe(true);
  });
});

describe('startTls: client certificates', () => {
  const mtlsServer = (extra: tls.TlsOptions = {}) => {
    const s = trustedServer();
    return tlsServer({ cert: s.cert, key: s.key, requestCert: true, rejectUnauthorized: true, ca: [clientCertificate().ca], ...extra });
  };
  const withClientCert = (cert: string, key: string, passphrase?: string) => ({
    material: {
      ca: [Buffer.from(testCa().cert)],
      cert: Buffer.from(cert),
      key: Buffer.from(key),
      ...(passphrase !== undefined ? { passphrase } : {}),
      insecure: false,
    },
  });

  it('required and provided → success; the server sees the client certificate', async () => {
    const server = await mtlsServer();
    const c = clientCertificate();
    const outcome = await attempt(server.port, withClientCert(c.cert, c.key));
    expect(outcome.error).toBeUndefined();
    expect(outcome.result?.info.authorized).toBe(true);
    if (outcome.result) expect(await echo(outcome.result.socket, 'mtls')).toBe('mtls');
    expect(server.clientCns).toEqual(['tunnelscope-client']);
  });

  it('an encrypted key with the right passphrase works', async () => {
    const server = await mtlsServer();
    const c = clientCertificate();
    const outcome = await attempt(server.port, withClientCert(c.cert, encryptKey(c.key, 'open sesame'), 'open sesame'));
    expect(outcome.error).toBeUndefined();
    if (outcome.result) expect(await echo(outcome.result.socket, 'encrypted key')).toBe('encrypted key');
    expect(server.clientCns).toEqual(['tunnelscope-client']);
  });

  it('required but missing (TLS 1.3) → TLS_HANDSHAKE_FAILED saying a client certificate is required', async () => {
    const server = await mtlsServer();
    const error = expectFailure(await attempt(server.port), 'tls', 'TLS_HANDSHAKE_FAILED');
    expect(error.message).toContain('requires a client certificate');
    expect(error.hint).toContain('client certificate');
    expect(error.details.cause).toBe('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
    expect(error.details.certChain?.length).toBe(2);
  });

  it('required but missing (TLS 1.2) → TLS_HANDSHAKE_FAILED with a client-certificate hint', async () => {
    const server = await mtlsServer({ maxVersion: 'TLSv1.2' });
    const error = expectFailure(await attempt(server.port), 'tls', 'TLS_HANDSHAKE_FAILED');
    expect(error.message).toContain('asked for a client certificate, none was given');
    expect(error.hint).toContain('client certificate');
    expect(error.details.cause).toBe('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE');
    // Captured during the handshake, before the server's alert ended it.
    expect(error.details.certChain?.[0]?.subject).toBe('CN=localhost, O=Tunnelscope Tests');
  });

  it('a certificate the server does not accept → TLS_CLIENT_CERT_INVALID', async () => {
    const server = await mtlsServer();
    const other = selfSignedServer();
    const error = expectFailure(await attempt(server.port, withClientCert(other.cert, other.key)), 'tls', 'TLS_CLIENT_CERT_INVALID');
    expect(error.message).toContain('client certificate');
  });

  it('optional client certificate, none given → success (the wait for the verdict ends on the ticket)', async () => {
    const server = await mtlsServer({ rejectUnauthorized: false });
    const outcome = await attempt(server.port);
    expect(outcome.error).toBeUndefined();
    expect(outcome.result?.info.authorized).toBe(true);
    if (outcome.result) expect(await echo(outcome.result.socket, 'optional')).toBe('optional');
  });

  it('a wrong passphrase → TLS_CLIENT_CERT_INVALID before anything is sent', async () => {
    const server = await mtlsServer();
    const c = clientCertificate();
    const error = expectFailure(await attempt(server.port, withClientCert(c.cert, encryptKey(c.key, 'right'), 'wrong')), 'tls', 'TLS_CLIENT_CERT_INVALID');
    expect(error.message).toContain('wrong passphrase');
    expect(server.clientCns).toEqual([]);
  });

  it('a key that belongs to another certificate → TLS_CLIENT_CERT_INVALID', async () => {
    const server = await mtlsServer();
    const error = expectFailure(
      await attempt(server.port, withClientCert(clientCertificate().cert, trustedServer().key)),
      'tls',
      'TLS_CLIENT_CERT_INVALID',
    );
    expect(error.message).toContain('does not belong to the certificate');
  });
});
