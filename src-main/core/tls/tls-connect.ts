/**
 * The TLS handshake on an already connected socket (a direct TCP connection, a CONNECT
 * tunnel, or a TCP connection to an https:// proxy). Node is told to accept any certificate
 * so the peer's chain is captured even when it is bad; verification is then done here, with
 * the chain result from OpenSSL and the host name check from `tls.checkServerIdentity`, so a
 * failure can say exactly what was wrong and show the certificate it was about.
 *
 * The caller must attach its own 'error' listener to the returned socket before awaiting
 * anything else: a server's late alert (e.g. a rejected client certificate) arrives as an
 * 'error' on that socket, and `classifyTlsError` turns its code into the right NetError.
 */
import net from 'node:net';
import tls from 'node:tls';
import { DEFAULT_TRUST, type HandshakeStep, type TlsInfo } from '../../shared/model';
import type { NetError } from '../../shared/errors';
import { NetFailure, createNetError, errorMessage, systemErrorCode } from '../errors/net-failure';
import { Deadline, raceDeadline } from '../net/deadline';
import { formatHostPort } from '../../shared/host-port';
import { summarizeChain } from './cert-summary';
import { classifyTlsError, clientCertError, tlsTimeoutError, type TlsStage } from './classify-tls-error';
import { findClientCertProblem } from './client-cert';
import { secureContextFor } from './context-cache';
import type { TlsMaterial } from './tls-material';
import { OS_CA_BUNDLE_ENV, loadOsTrustStore, type Env, type OsTrustStore } from './os-trust-store';
import { buildTrustList, chainCertificates, judgeTrust, type TrustJudgement, type TrustList } from './trust-list';

export interface TlsRequest {
  /** Connected TCP socket or tunnel. */
  socket: net.Socket;
  /** Target host for SNI and the host name check, and its port (for messages). */
  host: string;
  port: number;
  stage: TlsStage;
  material: TlsMaterial & {
    /** Whose CA files `ca` holds: the user's (`tls`) or the proxy's (`proxy-tls`); default by stage. */
    caSource?: 'ca-file' | 'proxy-ca';
  };
  /** Where the OS store lookup reads its override (TUNNELSCOPE_OS_CA_BUNDLE); default process.env. */
  env?: Env;
  /** The OS store (tests and hosts may give their own); default: read from the OS, cached. */
  loadOsStore?: (env: Env) => Promise<OsTrustStore>;
  /** Display URL of the proxy the tunnel goes through (no credentials). */
  viaProxy?: string;
  alpnProtocols?: string[];
  deadline: Deadline;
  signal?: AbortSignal;
  /** Receives the `tls` or `proxy-tls` leg, with TlsInfo, when the handshake ends either way. */
  onStep?: (step: HandshakeStep) => void;
  /**
   * The https:// proxy's own TLS leg: an error's `target` is the server the tunnel is for and its
   * `proxy` the proxy, as every other leg's error says (the message names the peer, the proxy).
   */
  failurePlace?: { target: string; proxy: string };
}

/**
 * In TLS 1.3 a server that asked for a client certificate judges it only after the client
 * has finished its side of the handshake. Wait this long (within the deadline) for its
 * verdict: a session ticket means accepted, an alert or a close means rejected.
 */
const CLIENT_CERT_VERDICT_MS = 300;

/** What could be learned about the peer so far (kept up to date during the handshake). */
interface PeerSnapshot {
  chain: TlsInfo['chain'];
  clientCertRequested: boolean;
}

function takeSnapshot(socket: tls.TLSSocket, into: PeerSnapshot): void {
  // Both calls need the live handle; after a failure it may already be gone.
  try {
    const chain = summarizeChain(socket.getPeerCertificate(true));
    if (chain.length > 0) into.chain = chain;
    if (socket.getSharedSigalgs().length > 0) into.clientCertRequested = true;
  } catch {
    // keep what was captured before
  }
}

/** Node types `authorizationError` as Error but sets a string code; accept either. */
function authorizationCode(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return systemErrorCode(value) ?? value.message;
  return null;
}

/** The peer's chain as certificates (for the anchor search); empty if the handle is gone. */
function peerChain(socket: tls.TLSSocket): ReturnType<typeof chainCertificates> {
  try {
    return chainCertificates(socket.getPeerCertificate(true));
  } catch {
    return [];
  }
}

/** An error standing for "the connection closed" where Node gave none. */
function closedError(): Error {
  return Object.assign(new Error('the connection closed during the TLS handshake'), { code: 'ECONNRESET' });
}

/** Resolves on 'secureConnect'; rejects on 'error' or 'close' of either socket. */
function waitForSecure(socket: tls.TLSSocket, raw: net.Socket, snapshot: PeerSnapshot): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onKeylog = (): void => takeSnapshot(socket, snapshot);
    const onSecure = (): void => {
      detach();
      resolve();
    };
    const onError = (error: Error): void => {
      takeSnapshot(socket, snapshot);
      detach();
      reject(error);
    };
    const onClose = (): void => {
      detach();
      reject(closedError());
    };
    const detach = (): void => {
      socket.off('keylog', onKeylog);
      socket.off('secureConnect', onSecure);
      socket.off('error', onError);
      socket.off('close', onClose);
      raw.off('error', onError);
    };
    // A key log line is written once the peer's hello (and in TLS 1.2 its certificate and
    // certificate request) has been processed: the moment to capture the chain in case the
    // handshake fails after it.
    socket.on('keylog', onKeylog);
    socket.once('secureConnect', onSecure);
    socket.once('error', onError);
    socket.once('close', onClose);
    raw.once('error', onError);
  });
}

/** TLS 1.3 with a client certificate requested: wait for the server's verdict (see above). */
function waitForClientCertVerdict(socket: tls.TLSSocket, deadline: Deadline): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let done = false;
    const finish = (error?: Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.off('session', onSession);
      socket.off('error', onError);
      socket.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    // 'session' is emitted from inside OpenSSL's read; a write made before that unwinds
    // (by a caller continuing on this promise) is lost, so resolve on the next turn.
    const onSession = (): void => {
      setImmediate(() => finish());
    };
    const onError = (error: Error): void => finish(error);
    const onClose = (): void => finish(closedError());
    const timer = setTimeout(() => finish(), Math.min(CLIENT_CERT_VERDICT_MS, deadline.remaining()));
    socket.once('session', onSession);
    socket.once('error', onError);
    socket.once('close', onClose);
  });
}

function buildInfo(
  socket: tls.TLSSocket,
  servername: string | undefined,
  insecure: boolean,
  chain: TlsInfo['chain'],
  authorizationError: string | null,
  judgement: TrustJudgement,
): TlsInfo {
  const cipher = socket.getCipher();
  return {
    protocol: socket.getProtocol() ?? null,
    cipher: cipher?.name ?? null,
    alpn: typeof socket.alpnProtocol === 'string' ? socket.alpnProtocol : null,
    servername: servername ?? null,
    authorized: authorizationError === null,
    authorizationError,
    insecure,
    chain,
    trust: judgement.trust,
    ...(judgement.interception ? { interception: judgement.interception } : {}),
  };
}

/** The trust list for this connection; an unusable OS store override throws LOCAL_FILE_UNREADABLE. */
async function trustListFor(request: TlsRequest): Promise<TrustList | NetError> {
  const { material, stage } = request;
  const setting = material.trust ?? DEFAULT_TRUST;
  const env = request.env ?? process.env;
  const os = setting === 'mozilla+os' ? await (request.loadOsStore ?? loadOsTrustStore)(env) : undefined;
  const fatal = os?.problems.find((problem) => problem.fatal);
  if (fatal) {
    return createNetError(
      stage,
      'LOCAL_FILE_UNREADABLE',
      { file: fatal.where },
      {
        message: `The OS trust store named by ${OS_CA_BUNDLE_ENV} could not be used: "${fatal.where.replace(`${OS_CA_BUNDLE_ENV}=`, '')}": ${fatal.message}.`,
        hint: `Point ${OS_CA_BUNDLE_ENV} at a readable PEM file (or a directory of PEM files), or unset it to read the OS store itself.`,
      },
    );
  }
  return buildTrustList({
    setting,
    caFiles: material.ca,
    caSource: material.caSource ?? (stage === 'proxy-tls' ? 'proxy-ca' : 'ca-file'),
    ...(os ? { os } : {}),
  });
}

export async function startTls(request: TlsRequest): Promise<{ socket: tls.TLSSocket; info: TlsInfo }> {
  const { socket: raw, port, stage, material, viaProxy, deadline, signal, onStep } = request;
  // URL host names keep IPv6 brackets; SNI and the identity check want the bare address.
  const host = request.host.replace(/^\[(.*)\]$/, '$1');
  const servername = net.isIP(host) === 0 ? host : undefined;
  const startedAt = Date.now();
  const leg = stage === 'proxy-tls' ? 'proxy-tls' : 'tls';
  const peer = formatHostPort(host, port);
  const clientCertGiven = material.cert !== undefined;
  const snapshot: PeerSnapshot = { chain: [], clientCertRequested: false };
  // Set once tls.connect has wrapped the raw socket, so a failure destroys both.
  const live: { tls?: tls.TLSSocket } = {};

  const report = (ok: boolean, tlsInfo?: TlsInfo): void => {
    onStep?.({ leg, startedAt, ms: Date.now() - startedAt, ok, peer, ...(tlsInfo ? { tls: tlsInfo } : {}) });
  };
  const destroy = (): void => {
    // Late events from dead sockets must not crash the process.
    live.tls?.on('error', () => undefined).destroy();
    raw.on('error', () => undefined).destroy();
  };
  const placed = (netError: NetError): NetError =>
    request.failurePlace ? { ...netError, details: { ...netError.details, ...request.failurePlace } } : netError;
  const fail = (netError: NetError, tlsInfo?: TlsInfo): NetFailure => {
    destroy();
    report(false, tlsInfo);
    return new NetFailure(placed(netError));
  };
  const classify = (
    code: string | undefined,
    causeMessage?: string,
    hostnameAlsoWrong = false,
    trustList?: TrustList,
    judgement?: TrustJudgement,
  ): NetError =>
    classifyTlsError({
      stage,
      code,
      host,
      port,
      ...(viaProxy ? { viaProxy } : {}),
      chain: snapshot.chain,
      clientCertGiven,
      clientCertRequested: snapshot.clientCertRequested,
      ...(causeMessage ? { causeMessage } : {}),
      ...(hostnameAlsoWrong ? { hostnameAlsoWrong } : {}),
      ...(trustList ? { trust: { setting: trustList.setting, caFilesGiven: trustList.caFilesGiven } } : {}),
      ...(judgement?.interception?.product ? { interceptedBy: { product: judgement.interception.product, issuer: judgement.interception.issuer } } : {}),
    });

  const certProblem = findClientCertProblem(material.cert, material.key, material.passphrase);
  if (certProblem) throw fail(clientCertError(stage, host, port, certProblem.problem, certProblem.cause));
  if (raw.destroyed) throw fail(classify('ERR_SOCKET_CLOSED', 'the connection was already closed before TLS started'));

  const trustList = await trustListFor(request);
  if (!('parts' in trustList)) throw fail(trustList);
  // Reading the OS store took a turn: the user may have closed meanwhile.
  if (signal?.aborted) {
    destroy();
    report(false);
    throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
  }
  if (raw.destroyed) throw fail(classify('ERR_SOCKET_CLOSED', 'the connection closed while the trust store was read'));

  let secureContext: tls.SecureContext;
  try {
    secureContext = secureContextFor({
      // Always explicit, so only the chosen stores count (never NODE_EXTRA_CA_CERTS).
      ca: trustList.ca,
      ...(material.cert ? { cert: material.cert } : {}),
      ...(material.key ? { key: material.key } : {}),
      ...(material.passphrase !== undefined ? { passphrase: material.passphrase } : {}),
    });
  } catch (error) {
    const cause = systemErrorCode(error);
    throw fail(
      clientCertGiven
        ? clientCertError(stage, host, port, errorMessage(error), cause)
        : classify(cause, errorMessage(error)),
    );
  }

  const socket = tls.connect({
    socket: raw,
    ...(servername ? { servername } : {}),
    secureContext,
    // Accept everything here so the chain is captured even when it is bad; verified below.
    rejectUnauthorized: false,
    checkServerIdentity: () => undefined,
    ...(request.alpnProtocols && request.alpnProtocols.length > 0 ? { ALPNProtocols: request.alpnProtocols } : {}),
  });
  live.tls = socket;

  const negotiate = async (): Promise<{ authorizationError: string | null; hostnameAlsoWrong: boolean; chainVerified: boolean }> => {
    await waitForSecure(socket, raw, snapshot);
    takeSnapshot(socket, snapshot);
    const chainError = socket.authorized ? null : authorizationCode(socket.authorizationError) ?? 'CERT_UNTRUSTED';
    // The name is checked even when the chain failed, so both problems can be told at once.
    const identityError = tls.checkServerIdentity(host, socket.getPeerCertificate());
    const identityCode = identityError ? systemErrorCode(identityError) ?? 'ERR_TLS_CERT_ALTNAME_INVALID' : null;
    const authorizationError = chainError ?? identityCode;
    const hostnameAlsoWrong = chainError !== null && identityCode !== null;
    const chainVerified = chainError === null;
    if (authorizationError !== null && !material.insecure) return { authorizationError, hostnameAlsoWrong, chainVerified };
    if (snapshot.clientCertRequested && socket.getProtocol() === 'TLSv1.3') {
      await waitForClientCertVerdict(socket, deadline);
    }
    return { authorizationError, hostnameAlsoWrong, chainVerified };
  };

  let authorizationError: string | null;
  let hostnameAlsoWrong: boolean;
  let chainVerified: boolean;
  try {
    ({ authorizationError, hostnameAlsoWrong, chainVerified } = await raceDeadline(
      negotiate(),
      deadline,
      () => new NetFailure(placed(tlsTimeoutError(stage, host, port, deadline.ms, viaProxy, deadline.name))),
      signal,
      destroy,
    ));
  } catch (error) {
    if (error instanceof NetFailure || signal?.aborted) {
      destroy();
      report(false);
      throw error;
    }
    throw fail(classify(systemErrorCode(error), errorMessage(error)));
  }

  const judgement = judgeTrust(trustList, peerChain(socket), snapshot.chain, chainVerified, stage === 'tls');
  const info = buildInfo(socket, servername, material.insecure, snapshot.chain, authorizationError, judgement);
  if (authorizationError !== null && !material.insecure) {
    throw fail(classify(authorizationError, undefined, hostnameAlsoWrong, trustList, judgement), info);
  }
  report(true, info);
  return { socket, info };
}
