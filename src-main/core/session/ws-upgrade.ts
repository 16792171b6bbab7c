/**
 * The HTTP upgrade to WebSocket, run by `ws` on a socket that is already prepared (direct TCP,
 * a proxy tunnel, or the TLSSocket from our own TLS handshake): `createConnection` hands ws
 * that socket, so ws never dials anything itself.
 *
 * ws has no handshake timeout of its own that we trust and reports failures as message
 * text, so this module watches where each failure happens instead: `finishRequest` captures
 * the request (and the key) as sent; the `'upgrade'` event sees a 101 before ws validates it,
 * so we check the accept key and subprotocol ourselves; `'unexpected-response'` is a non-101
 * whose body we read with a cap; an error before any answer means the connection closed.
 */
import { createHash } from 'node:crypto';
import type { ClientRequest, IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type net from 'node:net';
import WebSocket from 'ws';
import type { ErrorCode } from '../../shared/errors';
import type { HandshakeStep, Header, HttpCapture } from '../../shared/model';
import { captureIncoming, captureOutgoing, readBodyPreview, statusLineOf, withBody } from '../capture/http-capture';
import type { HeaderPair } from '../capture/redact';
import { NetFailure, errorMessage, systemErrorCode } from '../errors/net-failure';
import { headerSizes, tooLargeWords, type HeaderSizes } from './upgrade-header-size';
import { Deadline, deadlineDetails, onDeadline } from '../net/deadline';

/** RFC 6455 §1.3: the GUID appended to the key to compute Sec-WebSocket-Accept. */
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** Most bytes of a non-101 answer's body kept for the error details. */
const UPGRADE_BODY_CAP_BYTES = 8192;

export interface UpgradeRequest {
  /** The ws:// or wss:// URL: its host, port and path make the request line and Host. */
  url: string;
  /** The prepared socket; owned by the upgrade from now on (destroyed on failure). */
  socket: net.Socket;
  headers?: readonly Header[];
  subprotocols?: readonly string[];
  origin?: string;
  compression?: boolean;
  /** Largest incoming message accepted (ws closes with 1009 above it). */
  maxPayload?: number;
  /** When the handshake has failed if no answer came. */
  deadline: Deadline;
  /** The failure for a passed deadline (default HANDSHAKE_TIMEOUT). */
  onTimeout?: () => NetFailure;
  signal?: AbortSignal;
  onStep?: (step: HandshakeStep) => void;
  /**
   * Called synchronously as the socket opens, before any frame can be delivered: attach
   * message listeners here, or the first frames (sent with the 101) may be missed.
   */
  onOpen?: (outcome: UpgradeOutcome) => void;
  /** Extra details for a failure (target, proxy URL). */
  failureDetails?: { target?: string; proxy?: string };
}

export interface UpgradeOutcome {
  ws: WebSocket;
  request: HttpCapture;
  response: HttpCapture;
  /** The subprotocol the server chose ('' for none). */
  protocol: string;
  extensions: string;
}

export interface UpgradeHandle {
  /** The client, created at once so listeners can be attached before it opens. */
  ws: WebSocket | undefined;
  opened: Promise<UpgradeOutcome>;
}

/** What a 101 answer says that ws would reject, checked from the headers before ws does. */
export interface UpgradeProblem {
  code: Extract<ErrorCode, 'UPGRADE_BAD_ACCEPT' | 'UPGRADE_UNREQUESTED_SUBPROTOCOL' | 'UPGRADE_MISSING_SUBPROTOCOL' | 'UPGRADE_INVALID_RESPONSE'>;
  message: string;
}

export function expectedAccept(key: string): string {
  return createHash('sha1').update(key + WS_GUID).digest('base64');
}

/** The same checks as ws, in the same order, with our codes and plain words. */
export function checkUpgradeResponse(
  headers: IncomingHttpHeaders,
  key: string,
  requested: readonly string[],
  offeredDeflate: boolean,
): UpgradeProblem | undefined {
  const upgrade = headers.upgrade;
  if (upgrade === undefined || upgrade.toLowerCase() !== 'websocket') {
    return {
      code: 'UPGRADE_INVALID_RESPONSE',
      message: `The server answered 101 but with ${upgrade === undefined ? 'no Upgrade header' : `Upgrade: ${upgrade}`} instead of Upgrade: websocket.`,
    };
  }
  const accept = headers['sec-websocket-accept'];
  const expected = expectedAccept(key);
  if (accept !== expected) {
    return {
      code: 'UPGRADE_BAD_ACCEPT',
      message: `The server's Sec-WebSocket-Accept is ${accept === undefined ? 'missing' : `"${accept}"`}; the key sent requires "${expected}".`,
    };
  }
  const chosen = headers['sec-websocket-protocol'];
  if (chosen !== undefined && !requested.includes(chosen)) {
    const asked = requested.length === 0 ? 'none was requested' : `requested: ${requested.join(', ')}`;
    return { code: 'UPGRADE_UNREQUESTED_SUBPROTOCOL', message: `The server chose subprotocol "${chosen}", but ${asked}.` };
  }
  if (chosen === undefined && requested.length > 0) {
    return {
      code: 'UPGRADE_MISSING_SUBPROTOCOL',
      message: `Subprotocols were requested (${requested.join(', ')}) but the server chose none.`,
    };
  }
  const extensions = headers['sec-websocket-extensions'];
  if (extensions !== undefined && !offeredDeflate) {
    return {
      code: 'UPGRADE_INVALID_RESPONSE',
      message: `The server enabled an extension (${extensions}) that was not offered.`,
    };
  }
  return undefined;
}

/** Headers as a record for ws; repeated names are joined as HTTP allows. */
function headerRecord(headers: readonly Header[]): Record<string, string> {
  const record: Record<string, string> = {};
  const seen = new Map<string, string>(); // lower case → the first spelling used
  for (const { name, value } of headers) {
    const spelling = seen.get(name.toLowerCase());
    if (spelling === undefined) {
      seen.set(name.toLowerCase(), name);
      record[name] = value;
    } else {
      record[spelling] = `${record[spelling] ?? ''}, ${value}`;
    }
  }
  return record;
}

/** The headers a ClientRequest will send, in the order they were set. */
function outgoingHeaders(req: ClientRequest): HeaderPair[] {
  const pairs: HeaderPair[] = [];
  for (const name of req.getRawHeaderNames()) {
    const value = req.getHeader(name);
    if (Array.isArray(value)) for (const v of value) pairs.push([name, v]);
    else if (value !== undefined) pairs.push([name, String(value)]);
  }
  return pairs;
}

function peerOf(url: URL): string {
  const port = url.port !== '' ? url.port : url.protocol === 'wss:' ? '443' : '80';
  return `${url.hostname}:${port}`;
}

/** Starts the upgrade at once; `opened` settles with the open socket or a NetFailure. */
export function startUpgrade(request: UpgradeRequest): UpgradeHandle {
  const { socket, deadline, signal, onStep } = request;
  const startedAt = Date.now();
  const url = new URL(request.url);
  const requested = [...new Set(request.subprotocols ?? [])];
  const offeredDeflate = request.compression ?? false;
  const secretHeaders = (request.headers ?? []).filter((h) => h.secret === true).map((h) => h.name);
  const baseDetails = { target: peerOf(url), ...request.failureDetails };

  let key = '';
  let requestCapture: HttpCapture | undefined;
  let responseCapture: HttpCapture | undefined;
  /** The request's header sizes as sent (before redaction), for a 431. */
  let sentSizes: HeaderSizes | undefined;
  let settled = false;
  // On the deadline's clock, so a test on fake time decides when it passes.
  let timer: { cancel(): void } | undefined;
  let resolveOpened: (outcome: UpgradeOutcome) => void = () => undefined;
  let rejectOpened: (error: Error) => void = () => undefined;
  const opened = new Promise<UpgradeOutcome>((resolve, reject) => {
    resolveOpened = resolve;
    rejectOpened = reject;
  });

  const step = (ok: boolean): HandshakeStep => ({
    leg: 'upgrade',
    startedAt,
    ms: Date.now() - startedAt,
    ok,
    peer: baseDetails.target,
    ...(requestCapture ? { request: requestCapture } : {}),
    ...(responseCapture ? { response: responseCapture } : {}),
  });

  const details = (): NetFailure['netError']['details'] => ({
    ...baseDetails,
    ...(requestCapture ? { upgradeRequest: requestCapture } : {}),
    ...(responseCapture ? { upgradeResponse: responseCapture } : {}),
  });

  const stopWatching = (): void => {
    timer?.cancel();
    timer = undefined;
    signal?.removeEventListener('abort', onAbort);
  };

  let ws: WebSocket | undefined;
  const fail = (error: Error, reportStep = true): void => {
    if (settled) return;
    settled = true;
    stopWatching();
    if (reportStep) onStep?.(step(false));
    if (ws && ws.readyState === WebSocket.CONNECTING) ws.terminate();
    socket.destroy();
    rejectOpened(error);
  };

  const failWith = (code: ErrorCode, cause?: unknown, message?: string, hint?: string): void => {
    const causeCode = cause === undefined ? undefined : systemErrorCode(cause);
    fail(
      NetFailure.of(
        'upgrade',
        code,
        {
          ...details(),
          ...(causeCode ? { cause: causeCode } : {}),
          ...(cause !== undefined ? { causeMessage: errorMessage(cause) } : {}),
        },
        { ...(message ? { message } : {}), ...(hint ? { hint } : {}) },
      ),
    );
  };

  function onAbort(): void {
    const reason: unknown = signal?.reason;
    fail(reason instanceof Error ? reason : new Error('aborted'), false);
  }

  if (signal?.aborted) {
    socket.destroy();
    onAbort();
    return { ws: undefined, opened };
  }

  try {
    ws = new WebSocket(url, requested, {
      createConnection: () => socket,
      finishRequest: (req: ClientRequest) => {
        const sentKey = req.getHeader('sec-websocket-key');
        key = typeof sentKey === 'string' ? sentKey : '';
        const sent = outgoingHeaders(req);
        sentSizes = headerSizes(sent);
        requestCapture = captureOutgoing(`GET ${req.path} HTTP/1.1`, sent, { secretHeaders });
        req.end();
      },
      headers: headerRecord(request.headers ?? []),
      ...(request.origin !== undefined ? { origin: request.origin } : {}),
      perMessageDeflate: offeredDeflate,
      maxPayload: request.maxPayload ?? 100 * 1024 * 1024,
      followRedirects: false,
      // The session answers pings itself, so the pong it sends is recorded as a frame.
      autoPong: false,
    });
  } catch (error) {
    // Node refuses header values with characters HTTP does not allow (ERR_INVALID_CHAR).
    failWith('UPGRADE_INVALID_REQUEST', error);
    return { ws: undefined, opened };
  }
  const client = ws;

  client.on('upgrade', (res: IncomingMessage) => {
    responseCapture = captureIncoming(res, { secretHeaders });
    const problem = checkUpgradeResponse(res.headers, key, requested, offeredDeflate);
    if (problem) failWith(problem.code, undefined, problem.message);
  });

  client.on('open', () => {
    if (settled) return;
    settled = true;
    stopWatching();
    const outcome: UpgradeOutcome = {
      ws: client,
      request: requestCapture ?? { startLine: '', headers: [] },
      response: responseCapture ?? { startLine: '', headers: [] },
      protocol: client.protocol,
      extensions: client.extensions,
    };
    onStep?.(step(true));
    request.onOpen?.(outcome);
    resolveOpened(outcome);
  });

  client.on('unexpected-response', (_req: ClientRequest, res: IncomingMessage) => {
    if (settled) return;
    responseCapture = captureIncoming(res, { secretHeaders });
    // The answer is here; only the body read is left, bounded by its own deadline.
    timer?.cancel();
    timer = undefined;
    res.on('error', () => undefined);
    void readBodyPreview(res, { capBytes: UPGRADE_BODY_CAP_BYTES, deadline }).then((body) => {
      if (responseCapture) responseCapture = withBody(responseCapture, body);
      if (res.statusCode === 431 && sentSizes) {
        const words = tooLargeWords(statusLineOf(res), sentSizes);
        failWith('UPGRADE_REJECTED', undefined, words.message, words.hint);
        return;
      }
      failWith(
        'UPGRADE_REJECTED',
        undefined,
        `The server answered the WebSocket upgrade with ${statusLineOf(res)} instead of 101 Switching Protocols.`,
      );
    });
  });

  client.on('error', (error: Error) => {
    if (settled) return;
    if (responseCapture) {
      // A 101 that passed our checks but not ws's (e.g. a malformed extensions header).
      failWith('UPGRADE_INVALID_RESPONSE', error);
      return;
    }
    // Node's HTTP parser reports an answer that is not HTTP with an HPE_* code.
    const code = systemErrorCode(error);
    if (code !== undefined && code.startsWith('HPE_')) failWith('UPGRADE_INVALID_RESPONSE', error);
    else failWith('UPGRADE_CONNECTION_CLOSED', error);
  });

  client.on('close', () => {
    if (!settled) failWith('UPGRADE_CONNECTION_CLOSED');
  });

  timer = onDeadline(deadline, () => {
    fail(request.onTimeout?.() ?? NetFailure.of('upgrade', 'HANDSHAKE_TIMEOUT', { ...details(), ...deadlineDetails(deadline) }));
  });
  signal?.addEventListener('abort', onAbort, { once: true });

  return { ws: client, opened };
}
