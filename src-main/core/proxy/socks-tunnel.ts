/**
 * SOCKS5 negotiation (RFC 1928, user/password per RFC 1929) on a socket already connected to
 * the proxy, driven by the `socks` package. The host name goes to the proxy as a name
 * (remote DNS), so names only the proxy can resolve still work.
 *
 * Why failures are decided from the proxy's reply bytes: `socks` reports every failure as a
 * SocksClientError whose only distinguishing data is its message text (its ERRORS table is not
 * exported from the package entry, and socket errors lose their `code`). So we watch the bytes
 * the proxy sends on the same socket (method choice, auth status, reply code) and decide from
 * those, plus Node's `error.code` from our own socket listener; the message is kept only as
 * `causeMessage` for the curious.
 */
import net from 'node:net';
import { SocksClient } from 'socks';
import type { ErrorCode, NetErrorDetails } from '../../shared/errors';
import type { Hint } from '../../shared/hint-parts';
import type { HandshakeStep, HttpCapture } from '../../shared/model';
import { NetFailure, errorMessage, systemErrorCode } from '../errors/net-failure';
import { ERROR_CATALOG } from '../errors/catalog';
import { type Deadline, deadlineDetails, deadlineWords, raceDeadline } from '../net/deadline';
import { formatHostPort } from '../../shared/host-port';
import type { ProxyEndpoint } from './proxy-endpoint';
import { proxyLegReporter } from './proxy-leg-step';

export interface SocksTunnelRequest {
  /** A TCP connection to the SOCKS proxy. */
  socket: net.Socket;
  proxy: ProxyEndpoint;
  target: { host: string; port: number };
  deadline: Deadline;
  signal?: AbortSignal;
  onStep?: (step: HandshakeStep) => void;
}

const METHOD_NO_AUTH = 0x00;
const METHOD_USER_PASS = 0x02;
const METHOD_NONE_ACCEPTABLE = 0xff;

const METHOD_NAMES: Record<number, string> = {
  0x00: 'no authentication',
  0x01: 'GSSAPI',
  0x02: 'username/password',
  0xff: 'no acceptable method',
};

/** RFC 1928 §6 reply codes. */
const SOCKS5_REPLIES: Record<number, string> = {
  0x00: 'succeeded',
  0x01: 'general SOCKS server failure',
  0x02: 'connection not allowed by ruleset',
  0x03: 'network unreachable',
  0x04: 'host unreachable',
  0x05: 'connection refused',
  0x06: 'TTL expired',
  0x07: 'command not supported',
  0x08: 'address type not supported',
};

/** What the proxy said, as far as it got. */
export interface Socks5Observed {
  /** Version byte of the method-selection reply (5 for a SOCKS5 proxy). */
  version?: number;
  /** The method the proxy chose (0xff: none of those offered). */
  method?: number;
  /** RFC 1929 status after user/password (0 = accepted). */
  authStatus?: number;
  /** Version byte of the CONNECT reply. */
  replyVersion?: number;
  /** RFC 1928 REP of the CONNECT reply (0 = succeeded). */
  reply?: number;
  /** Bytes received in all. */
  bytes: number;
}

/**
 * Follows the proxy's side of a SOCKS5 CONNECT negotiation from raw bytes. Never touches
 * the socket: feed it what arrives and read `observed`.
 */
export class Socks5ReplyObserver {
  private buffer = Buffer.alloc(0);
  private readonly observedState: Socks5Observed = { bytes: 0 };

  get observed(): Socks5Observed {
    return { ...this.observedState };
  }

  feed(chunk: Buffer): void {
    this.observedState.bytes += chunk.length;
    // Everything we need lies in the first few bytes; keep only those.
    if (this.buffer.length < 16) this.buffer = Buffer.concat([this.buffer, chunk]).subarray(0, 16);
    const b = this.buffer;
    const o = this.observedState;
    if (b.length < 2) return;
    o.version = b[0];
    o.method = b[1];
    if (o.version !== 5 || o.method === METHOD_NONE_ACCEPTABLE) return;
    let next = 2;
    if (o.method === METHOD_USER_PASS) {
      if (b.length < 4) return;
      o.authStatus = b[3];
      if (o.authStatus !== 0) return;
      next = 4;
    }
    if (b.length < next + 2) return;
    o.replyVersion = b[next];
    o.reply = b[next + 1];
  }
}

function addressKind(host: string): string {
  if (net.isIPv4(host)) return 'IPv4';
  if (net.isIPv6(host)) return 'IPv6';
  return 'host name (resolved by the proxy)';
}

function requestCapture(proxy: ProxyEndpoint, target: { host: string; port: number }): HttpCapture {
  const methods = proxy.username !== undefined ? 'no authentication, username/password' : 'no authentication';
  const headers: [string, string][] = [
    ['Methods', methods],
    ['Address', addressKind(target.host)],
  ];
  if (proxy.username !== undefined) headers.push(['Username', proxy.username], ['Password', '••••••']);
  return { startLine: `SOCKS5 CONNECT ${formatHostPort(target.host, target.port)}`, headers };
}

function responseCapture(observed: Socks5Observed, bound?: { host: string; port: number }): HttpCapture | undefined {
  if (observed.version === undefined) return undefined;
  const headers: [string, string][] = [];
  if (observed.method !== undefined) {
    headers.push(['Method', METHOD_NAMES[observed.method] ?? `0x${observed.method.toString(16).padStart(2, '0')}`]);
  }
  if (observed.authStatus !== undefined) {
    headers.push(['Authentication', observed.authStatus === 0 ? 'accepted' : `rejected (status ${observed.authStatus})`]);
  }
  if (bound) headers.push(['Bound', formatHostPort(bound.host, bound.port)]);
  let startLine = `SOCKS${observed.version}`;
  if (observed.reply !== undefined) {
    const code = observed.reply.toString(16).padStart(2, '0');
    startLine = `SOCKS${observed.replyVersion ?? observed.version} ${code} ${SOCKS5_REPLIES[observed.reply] ?? 'unknown reply'}`;
  }
  return { startLine, headers };
}

/** Negotiates the tunnel and returns the socket, positioned at the first tunnel byte. */
export async function connectViaSocks5(request: SocksTunnelRequest): Promise<net.Socket> {
  const { socket, proxy, target, deadline, signal, onStep } = request;
  const authority = formatHostPort(target.host, target.port);
  const proxyRequest = requestCapture(proxy, target);
  const baseDetails: NetErrorDetails = { target: authority, proxy: proxy.displayUrl, proxyRequest };
  const step = proxyLegReporter(proxy, proxyRequest, onStep);

  if (Buffer.byteLength(target.host) > 255) {
    step(false, undefined);
    socket.destroy();
    throw NetFailure.of('tunnel', 'SOCKS_REFUSED', baseDetails, {
      message: 'The host name is longer than SOCKS5 allows (255 bytes).',
      hint: 'Check the host name in the URL.',
    });
  }

  const observer = new Socks5ReplyObserver();
  const onData = (chunk: unknown): void => {
    if (Buffer.isBuffer(chunk)) observer.feed(chunk);
  };
  let socketErrorCode: string | undefined;
  const onError = (error: Error): void => {
    socketErrorCode ??= systemErrorCode(error);
  };
  socket.on('data', onData);
  socket.on('error', onError);
  const detach = (): void => {
    socket.removeListener('data', onData);
    socket.removeListener('error', onError);
  };

  let bound: { host: string; port: number } | undefined;
  try {
    const established = SocksClient.createConnection({
      command: 'connect',
      destination: { host: target.host, port: target.port },
      proxy: {
        host: proxy.host,
        port: proxy.port,
        type: 5,
        ...(proxy.username !== undefined ? { userId: proxy.username, password: proxy.password ?? '' } : {}),
      },
      existing_socket: socket,
      // Our deadline decides; the package's own timer must never fire first.
      timeout: deadline.remaining() + 5_000,
    });
    const info = await raceDeadline(
      established,
      deadline,
      () =>
        NetFailure.of(
          'tunnel',
          'PROXY_TIMEOUT',
          { ...baseDetails, ...deadlineDetails(deadline), ...responseDetails(observer.observed) },
          { message: `The SOCKS proxy did not complete the tunnel within the ${deadlineWords(deadline)} (${deadline.ms} ms).` },
        ),
      signal,
      () => socket.destroy(),
    );
    if (info.remoteHost) bound = { host: info.remoteHost.host, port: info.remoteHost.port };
    // `socks` replays bytes that came after its reply as a 'data' event on a setImmediate and
    // then resumes the socket, so anything arriving before the caller (TLS, ws) listens would
    // be lost. Catch those bytes, put them back, and leave the socket as Node's own CONNECT
    // hands one over: not flowing (`readableFlowing = null`), so the first 'data' listener
    // starts the flow. `pause()` would set it to false, and a later listener would wait forever.
    const early: Buffer[] = [];
    const collect = (chunk: unknown): void => {
      if (Buffer.isBuffer(chunk)) early.push(chunk);
    };
    socket.removeListener('data', onData);
    socket.on('data', collect);
    await new Promise<void>((resolve) => setImmediate(resolve));
    socket.removeListener('data', collect);
    // The typings mark it read-only, but Readable has a setter (node:_http_client uses it).
    Reflect.set(socket, 'readableFlowing', null);
    if (early.length > 0) socket.unshift(Buffer.concat(early));
  } catch (error) {
    detach();
    socket.destroy();
    step(false, responseCapture(observer.observed));
    if (error instanceof NetFailure || signal?.aborted) throw error;
    throw negotiationFailure(observer.observed, proxy, { ...baseDetails, causeMessage: errorMessage(error) }, socketErrorCode);
  }
  detach();
  step(true, responseCapture(observer.observed, bound));
  return socket;
}

function responseDetails(observed: Socks5Observed): NetErrorDetails {
  const proxyResponse = responseCapture(observed);
  return proxyResponse ? { proxyResponse } : {};
}

/** Decides the code from what the proxy sent (see the header comment). */
export function negotiationFailure(
  observed: Socks5Observed,
  proxy: Pick<ProxyEndpoint, 'username'>,
  details: NetErrorDetails,
  socketErrorCode?: string,
): NetFailure {
  const full: NetErrorDetails = { ...details, ...responseDetails(observed), ...(socketErrorCode ? { cause: socketErrorCode } : {}) };
  const fail = (code: ErrorCode, message: string, hint?: Hint): NetFailure =>
    NetFailure.of('tunnel', code, full, { message, ...(hint ? { hint } : {}) });

  if (observed.version !== undefined && observed.version !== 5) {
    // 'H' (0x48): an HTTP proxy answering our SOCKS greeting with an error page.
    const http = observed.version === 0x48;
    return fail(
      'PROXY_BAD_RESPONSE',
      `The proxy did not answer as a SOCKS5 proxy (first byte 0x${observed.version.toString(16).padStart(2, '0')}).`,
      http ? 'The answer looks like HTTP: try the proxy URL with http:// instead of socks5://.' : undefined,
    );
  }
  if (observed.method === METHOD_NONE_ACCEPTABLE) {
    return proxy.username === undefined
      ? fail(
          'SOCKS_AUTH_FAILED',
          'The SOCKS proxy requires authentication (it does not accept connections without a user name and password).',
          'Enter the SOCKS user name and password (in the proxy URL or the proxy settings) and connect again.',
        )
      : fail(
          'SOCKS_AUTH_FAILED',
          'The SOCKS proxy accepts none of the offered authentication methods (none, username/password).',
          'The proxy needs another method (such as GSSAPI) that Tunnelscope does not support.',
        );
  }
  if (observed.method !== undefined && observed.method !== METHOD_NO_AUTH && observed.method !== METHOD_USER_PASS) {
    return fail('PROXY_BAD_RESPONSE', `The SOCKS proxy chose an authentication method that was not offered (0x${observed.method.toString(16)}).`);
  }
  if (observed.authStatus !== undefined && observed.authStatus !== 0) {
    return fail('SOCKS_AUTH_FAILED', `The SOCKS proxy rejected the user name and password for user "${proxy.username ?? ''}".`);
  }
  if (observed.reply !== undefined) {
    if (observed.replyVersion !== 5) {
      return fail('PROXY_BAD_RESPONSE', 'The SOCKS proxy sent an invalid reply to the CONNECT request.');
    }
    if (observed.reply !== 0) {
      const name = SOCKS5_REPLIES[observed.reply] ?? `unknown reply 0x${observed.reply.toString(16)}`;
      return fail('SOCKS_REFUSED', `The SOCKS proxy refused to connect to the server (reply ${observed.reply}: ${name}).`, replyHint(observed.reply));
    }
  }
  const received = observed.bytes;
  return fail(
    'PROXY_CLOSED',
    received === 0
      ? 'The SOCKS proxy closed the connection without answering.'
      : `The SOCKS proxy closed the connection in the middle of the negotiation (after ${received} bytes).`,
    ERROR_CATALOG.PROXY_CONNECTION_RESET.hint,
  );
}

function replyHint(reply: number): string | undefined {
  switch (reply) {
    case 0x02:
      return "The proxy's rules do not allow this destination; ask its administrators to allow this host and port.";
    case 0x03:
    case 0x04:
      return 'The proxy could not reach the server; check the host name (the proxy resolves it) and that the server is reachable from the proxy.';
    case 0x05:
      return 'The server refused the connection from the proxy; check the port in the URL and that the server is running.';
    case 0x08:
      return 'The proxy does not accept this kind of address; it may not resolve host names itself. Try the server by IP address.';
    default:
      return undefined;
  }
}
