/**
 * The CONNECT exchange with an http:// or https:// proxy, on a socket already connected to
 * it. Node's own HTTP parser reads the answer (`http.request({ method: 'CONNECT' })`): it caps
 * the headers, skips any body framing on the answer, and hands over the socket with the bytes
 * that came right after the headers (`head`). On 2xx those bytes belong to the tunnel and
 * are put back; on anything else they start the refusal body, read with a cap and the same
 * deadline. Nothing else is ever written to a proxy that refused, except a CONNECT with
 * credentials after its 407, on the same connection when the proxy keeps it open
 * (`keepOnChallenge`, see openHttpTunnel).
 */
import http from 'node:http';
import type net from 'node:net';
import type { NetErrorDetails } from '../../shared/errors';
import type { Hint } from '../../shared/hint-parts';
import type { HandshakeStep, ProxyAuthRound } from '../../shared/model';
import { captureIncoming, captureOutgoing, framingOf, headerValues, rawHeaderPairs, readBodyPreview, withBody, type BodyPreview } from '../capture/http-capture';
import { NetFailure, errorMessage, systemErrorCode } from '../errors/net-failure';
import { ERROR_CATALOG } from '../errors/catalog';
import { type Deadline, deadlineDetails, deadlineWords, raceDeadline } from '../net/deadline';
import { formatHostPort } from '../../shared/host-port';
import { connectAnswerMeaning } from './connect-answer';
import { offersDigest } from './digest-auth';
import { decodeOffers, describeChallenges, offersBasic, parseProxyAuthenticate } from './proxy-auth';
import type { SignInCredentials } from './proxy-sign-in';
import type { ProxyEndpoint } from './proxy-endpoint';
import { proxyLegReporter } from './proxy-leg-step';

/** Largest header block accepted from a proxy; a real CONNECT answer is far smaller. */
const MAX_PROXY_HEADER_BYTES = 16 * 1024;
/** Largest refusal body kept for the user to read. */
const PROXY_BODY_CAP_BYTES = 8192;
/** Largest 407 body read to its end so that its connection can carry the next CONNECT. */
const PROXY_DRAIN_CAP_BYTES = 256 * 1024;
/** How many bytes of a non-HTTP answer are kept to show what it was. */
const SNIFF_BYTES = 256;

export interface HttpTunnelRequest {
  /** Connected to the proxy: plain TCP, or TLS for an https:// proxy. */
  socket: net.Socket;
  proxy: ProxyEndpoint;
  target: { host: string; port: number };
  /** The proxy phase's one deadline (shared with the TCP and TLS legs before this one). */
  deadline: Deadline;
  signal?: AbortSignal;
  onStep?: (step: HandshakeStep) => void;
  /**
   * A 407 whose connection the proxy keeps open (HTTP/1.1 without `close`, its body read to
   * its end) is returned as `challenged` with the socket, for the credentials to go on it.
   */
  keepOnChallenge?: boolean;
  /** The `Proxy-Authorization` this CONNECT carries (the proxy's username only names it in messages). */
  credentials?: SignInCredentials;
  /** Which round of the proxy sign-in this CONNECT is (1 unless credentials answer a 407). */
  authRound?: number;
}

export type HttpTunnelOutcome =
  | { kind: 'open'; socket: net.Socket }
  /** A 407 on a connection still usable for the next CONNECT; the caller owns the socket. */
  | { kind: 'challenged'; failure: NetFailure; socket: net.Socket };

interface ConnectAnswer {
  response: http.IncomingMessage;
  head: Buffer;
}

/** Counts the bytes the proxy sent and keeps the first few, to say what a bad answer was. */
class AnswerTap {
  total = 0;
  private first = Buffer.alloc(0);
  private readonly socket: net.Socket;
  private readonly onData = (chunk: unknown): void => {
    if (!Buffer.isBuffer(chunk)) return;
    this.total += chunk.length;
    if (this.first.length < SNIFF_BYTES) {
      this.first = Buffer.concat([this.first, chunk.subarray(0, SNIFF_BYTES - this.first.length)]);
    }
  };

  constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', this.onData);
  }

  detach(): void {
    this.socket.removeListener('data', this.onData);
  }

  /** The first bytes as readable text: printable ASCII kept, everything else as \xNN. */
  sample(): string {
    let text = '';
    for (const byte of this.first) {
      if (byte === 0x0d) text += '\\r';
      else if (byte === 0x0a) text += '\\n';
      else if (byte >= 0x20 && byte < 0x7f) text += String.fromCharCode(byte);
      else text += `\\x${byte.toString(16).padStart(2, '0')}`;
    }
    return text.length > 120 ? `${text.slice(0, 120)}…` : text;
  }

  firstByte(): number | undefined {
    return this.first[0];
  }
}

/**
 * The tunnel (the socket positioned at its first byte), or, with `keepOnChallenge`, a 407 on a
 * connection that can carry the next CONNECT.
 */
export async function openHttpTunnel(request: HttpTunnelRequest): Promise<HttpTunnelOutcome> {
  const { socket, proxy, target, deadline, signal, onStep } = request;
  const authority = formatHostPort(target.host, target.port);
  const { credentials } = request;
  const credentialsSent = credentials !== undefined;
  const headers: [string, string][] = [['Host', authority]];
  if (credentials) headers.push(['Proxy-Authorization', credentials.header]);
  // Set explicitly so that what is captured is exactly what is sent (Node would otherwise
  // add `Connection: close` of its own).
  headers.push(['Proxy-Connection', 'keep-alive'], ['Connection', 'keep-alive']);
  const proxyRequest = captureOutgoing(`CONNECT ${authority} HTTP/1.1`, headers);
  const baseDetails: NetErrorDetails = { target: authority, proxy: proxy.displayUrl, proxyRequest };
  const round = request.authRound ?? 1;
  const auth: ProxyAuthRound | undefined = credentials ? { round, sent: credentials.sent } : undefined;
  const step = proxyLegReporter(proxy, proxyRequest, onStep);

  // Node drops its own 'error' listener when it hands the socket over; ours stays until the
  // socket is returned, so a late reset during the refusal read cannot crash the process.
  const swallow = (): void => {};
  socket.on('error', swallow);
  let tap: AnswerTap | undefined;
  let connectRequest: http.ClientRequest | undefined;

  const answer = new Promise<ConnectAnswer>((resolve, reject) => {
    const req = http.request({
      method: 'CONNECT',
      path: authority,
      headers: Object.fromEntries(headers),
      setHost: false,
      // No `agent` at all: with `agent: false` Node makes a throwaway Agent that dials the
      // host itself and ignores `createConnection`.
      createConnection: () => socket,
      maxHeaderSize: MAX_PROXY_HEADER_BYTES,
    });
    connectRequest = req;
    // Node attaches its parser before 'socket', so the tap never sees bytes the parser misses.
    req.once('socket', () => {
      tap = new AnswerTap(socket);
      // A connection kept after a 407 was paused when its body had been read.
      if (socket.isPaused()) socket.resume();
    });
    // Fires for every status, not only 200; without it a refusal would close silently.
    req.once('connect', (response: http.IncomingMessage, _socket: net.Socket, head: Buffer) => {
      tap?.detach();
      resolve({ response, head });
    });
    req.on('error', reject);
    req.end();
  });

  let connected: ConnectAnswer;
  try {
    connected = await raceDeadline(
      answer,
      deadline,
      () => timeoutFailure(baseDetails, deadline, tap),
      signal,
      () => {
        connectRequest?.destroy();
        socket.destroy();
      },
    );
  } catch (error) {
    tap?.detach();
    socket.destroy();
    step(false, undefined, auth);
    if (error instanceof NetFailure || signal?.aborted) throw error;
    throw parseFailure(error, baseDetails, tap, proxy);
  }

  const { response, head } = connected;
  const status = response.statusCode ?? 0;
  if (status >= 200 && status < 300) {
    // Any Content-Length / Transfer-Encoding on the 200 is ignored (Node skipped the body):
    // every byte from here on is the tunnel's, starting with those that came with the answer.
    if (head.length > 0) socket.unshift(head);
    socket.removeListener('error', swallow);
    step(true, captureIncoming(response), auth);
    return { kind: 'open', socket };
  }

  const onAbort = (): void => {
    socket.destroy();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();
  const framing = framingOf(rawHeaderPairs(response.rawHeaders));
  // A 407 whose connection may carry the next CONNECT is read to its end (up to a larger cap):
  // NTLM's answer must go on this connection, after the whole body.
  const read = await readBodyPreview(socket, { capBytes: request.keepOnChallenge === true && status === 407 ? PROXY_DRAIN_CAP_BYTES : PROXY_BODY_CAP_BYTES, deadline, initial: head, framing });
  const body = shownBody(read);
  signal?.removeEventListener('abort', onAbort);
  // Reusable only when the body's end was known from its framing (not from the connection
  // closing) and the proxy neither closed nor said it would.
  const reusable =
    request.keepOnChallenge === true &&
    status === 407 &&
    framing.kind !== 'end' &&
    !read.truncated &&
    !socket.readableEnded &&
    !socket.destroyed &&
    keepsConnection(response) &&
    !signal?.aborted;
  if (!reusable) socket.destroy();
  const proxyResponse = withBody(captureIncoming(response), body);
  const offered = status === 407 ? decodeOffers(headerValues(rawHeaderPairs(response.rawHeaders), 'proxy-authenticate')) : undefined;
  step(false, proxyResponse, offered ? { round, ...(credentials ? { sent: credentials.sent } : {}), offered } : auth);
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
  const failure = refusalFailure(response, { ...baseDetails, proxyResponse }, { credentialsSent, proxy, target });
  if (!reusable) throw failure;
  // The next CONNECT on this connection attaches its own error listener.
  socket.removeListener('error', swallow);
  return { kind: 'challenged', failure, socket };
}

/** The body as shown: at most PROXY_BODY_CAP_BYTES of text, however much was read. */
function shownBody(body: BodyPreview): BodyPreview {
  if (body.text.length <= PROXY_BODY_CAP_BYTES) return body;
  return { ...body, text: body.text.slice(0, PROXY_BODY_CAP_BYTES), truncated: true };
}

/** Whether the proxy keeps the connection open after this answer (HTTP/1.1 unless it says close; 1.0 only if it says keep-alive). */
function keepsConnection(response: http.IncomingMessage): boolean {
  const tokens = [response.headers.connection, response.headers['proxy-connection']]
    .flatMap((value) => (Array.isArray(value) ? value : value === undefined ? [] : [value]))
    .flatMap((value) => value.toLowerCase().split(',').map((token) => token.trim()));
  if (tokens.includes('close')) return false;
  return response.httpVersion === '1.1' || tokens.includes('keep-alive');
}

// ---------------------------------------------------------------------------------------
// Failures
// ---------------------------------------------------------------------------------------

function timeoutFailure(details: NetErrorDetails, deadline: Deadline, tap: AnswerTap | undefined): NetFailure {
  const received = tap?.total ?? 0;
  const message =
    received === 0
      ? `The proxy did not answer the CONNECT request within the ${deadlineWords(deadline)} (${deadline.ms} ms).`
      : `The proxy had sent only ${received} byte${received === 1 ? '' : 's'} of its answer to CONNECT when the ${deadlineWords(deadline)} (${deadline.ms} ms) passed.`;
  return NetFailure.of(
    'tunnel',
    'PROXY_TIMEOUT',
    { ...details, ...deadlineDetails(deadline), ...(received > 0 ? { causeMessage: `received so far: "${tap?.sample() ?? ''}"` } : {}) },
    { message },
  );
}

/** A failure while reading the answer's status line and headers (before 'connect'). */
/** Failures of a CONNECT the proxy closed on before sending a byte of its answer. */
const unanswered = new WeakSet<NetFailure>();

/**
 * Whether the proxy closed the connection without a byte of answer to the CONNECT: on a
 * connection kept after a 407, the proxy closed it as the CONNECT went (a kept-alive connection
 * gone stale), and the request may go again on a new one.
 */
export function closedUnanswered(error: unknown): boolean {
  return error instanceof NetFailure && unanswered.has(error);
}

function parseFailure(error: unknown, details: NetErrorDetails, tap: AnswerTap | undefined, proxy: ProxyEndpoint): NetFailure {
  const cause = systemErrorCode(error);
  const received = tap?.total ?? 0;
  const withCause: NetErrorDetails = { ...details, ...(cause ? { cause } : {}), causeMessage: errorMessage(error) };
  if (cause === 'HPE_HEADER_OVERFLOW') {
    return NetFailure.of('tunnel', 'PROXY_HEADERS_TOO_LARGE', withCause, {
      message: `The proxy's answer headers are larger than ${MAX_PROXY_HEADER_BYTES / 1024} KiB (received ${received} bytes without reaching their end).`,
    });
  }
  if (cause?.startsWith('HPE_')) {
    const sample = tap?.sample() ?? '';
    return NetFailure.of('tunnel', 'PROXY_BAD_RESPONSE', withCause, {
      message: `The proxy answered the CONNECT request with something that is not HTTP: "${sample}".`,
      hint: badResponseHint(tap?.firstByte()),
    });
  }
  if (received === 0) {
    const failure = NetFailure.of('tunnel', 'PROXY_CLOSED', withCause, {
      message: 'The proxy closed the connection without answering the CONNECT request.',
      // A TLS port closes so on plain text (Node's TLS servers send no alert first).
      ...(proxy.protocol === 'http' ? { hint: CLOSED_ON_PLAIN_TEXT_HINT } : {}),
    });
    unanswered.add(failure);
    return failure;
  }
  const first = tap?.firstByte();
  return NetFailure.of('tunnel', 'PROXY_CLOSED', withCause, {
    message: `The proxy closed the connection in the middle of its answer to CONNECT (after ${received} bytes: "${tap?.sample() ?? ''}").`,
    ...(first === 0x15 || first === 0x16 ? { hint: badResponseHint(first) } : {}),
  });
}

const CLOSED_ON_PLAIN_TEXT_HINT =
  'A port that speaks TLS (an https:// proxy, or a wss:// or HTTPS server) closes like this on a plain-text CONNECT: if this one does, try the proxy URL with https:// instead of http://. ' +
  'Otherwise the proxy dropped the request (filtering, overload): check its logs or try another proxy.';

/** What the first byte of a non-HTTP answer suggests the port really speaks. */
function badResponseHint(firstByte: number | undefined): Hint {
  // 0x15 / 0x16: a TLS alert or handshake record, the answer of a TLS port to plain text.
  if (firstByte === 0x15 || firstByte === 0x16) {
    return 'The proxy port answered with TLS: it is an https:// proxy (or not a proxy at all). Try the proxy URL with https:// instead of http://.';
  }
  // 0x05: a SOCKS5 server's reply to a request it cannot parse.
  if (firstByte === 0x05) {
    return 'The answer looks like SOCKS5: try the proxy URL with socks5:// instead of http://.';
  }
  return ERROR_CATALOG.PROXY_BAD_RESPONSE.hint;
}

interface RefusalContext {
  credentialsSent: boolean;
  proxy: ProxyEndpoint;
  target: { host: string; port: number };
}

/** A complete non-2xx answer to CONNECT. */
function refusalFailure(response: http.IncomingMessage, details: NetErrorDetails, context: RefusalContext): NetFailure {
  const status = response.statusCode ?? 0;
  const headers = rawHeaderPairs(response.rawHeaders);

  if (status === 407) {
    const offer = parseProxyAuthenticate(headerValues(headers, 'proxy-authenticate'));
    const authDetails: NetErrorDetails = {
      ...details,
      authSchemes: offer.schemes,
      ...(offer.realm !== undefined ? { authRealm: offer.realm } : {}),
    };
    const offered = offer.schemes.length > 0 ? describeChallenges(offer) : '';
    const proxyAuthenticate = headerValues(headers, 'proxy-authenticate');
    const ntlmOffered = offer.schemes.some((s) => s.toLowerCase() === 'ntlm');
    const basicMissing = offer.schemes.length > 0 && !offersBasic(offer) && !offersDigest(proxyAuthenticate) && !ntlmOffered;
    const basicHint = `The proxy offers only ${offer.schemes.join(', ')}; Tunnelscope signs in with NTLM, Digest or Basic, which this proxy does not accept. Use a proxy that accepts one of them, or a local relay (such as cntlm or px) that speaks ${offer.schemes.join('/')} to it.`;
    if (context.credentialsSent) {
      const user = context.proxy.username ?? '';
      return NetFailure.of('tunnel', 'PROXY_AUTH_FAILED', authDetails, {
        message: `The proxy rejected the credentials for user "${user}" (407 after they were sent${offered ? `; it asks for ${offered}` : ''}).`,
        ...(basicMissing ? { hint: basicHint } : {}),
      });
    }
    return NetFailure.of('tunnel', 'PROXY_AUTH_REQUIRED', authDetails, {
      message: offered
        ? `The proxy requires authentication: ${offered}.`
        : 'The proxy requires authentication (407) but did not say which scheme (no Proxy-Authenticate header).',
      ...(basicMissing ? { hint: basicHint } : {}),
    });
  }

  const meaning = connectAnswerMeaning({ status, statusMessage: response.statusMessage ?? '', headers }, context.target);
  return NetFailure.of('tunnel', meaning.code, details, { message: meaning.message, hint: meaning.hint });
}
