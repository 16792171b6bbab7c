/**
 * HAR 1.2 with Chrome's WebSocket extension, so Chrome DevTools (Network → Import HAR) and HAR
 * tools open it: one entry for the upgrade, `_resourceType: "websocket"`, and the frames in
 * `_webSocketMessages` as Chrome writes them ({ type: send|receive, time: epoch seconds,
 * opcode, data }). Chrome itself records only data frames (opcode 1 text, 2 binary as base64);
 * its importer accepts any opcode and its frame view names 8, 9 and 10 (close, ping, pong),
 * so control frames are written too, their payload as base64 like binary.
 *
 * Everything Tunnelscope knows beyond HAR (the proxy decision, each leg's exchange, how the
 * session ended) goes in `_tunnelscope`, which our importer reads back; an intercepted
 * connection's client side of the handshake (what the client asked us, our 101) in
 * `_clientHandshake`, as `{ request, response }` captures.
 *
 * The document is produced in two halves around the messages array, so a file export can
 * stream a million messages without building one giant string.
 */
import type { HarWebSocketMessage } from '../../shared/log-file';
import type { LoggedDecode } from '../../shared/log-decode';
import type { HandshakeStep, HttpCapture } from '../../shared/model';
import { legRow } from '../../shared/pipeline-legs';
import type { FrameFilter } from '../../shared/search';
import type { StoredFrame } from '../session/frame-store';
import { shownUrlOf, type SessionLog } from '../session/session-log';
import { redactCapture } from '../capture/redact';
import { redactClientHandshake, redactSteps } from './redact-log';

const MESSAGES_MARK = '__tunnelscope_messages__';
import { loggedMark } from './intercept-mark';

const OPCODE_NUMBER = { text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

export interface HarParts {
  /** Everything up to the opening of `_webSocketMessages` (the array's `[` included). */
  head: string;
  /** From the array's `]` to the end of the document. */
  tail: string;
}

export function harMessage(frame: StoredFrame): HarWebSocketMessage {
  const message: HarWebSocketMessage = {
    type: frame.dir === 'out' ? 'send' : 'receive',
    time: frame.at / 1000,
    opcode: OPCODE_NUMBER[frame.opcode],
    data: frame.opcode === 'text' ? frame.payload.toString('utf8') : frame.payload.toString('base64'),
  };
  const mark = loggedMark(frame);
  if (mark) message._intercept = mark;
  return message;
}

/** Messages are written one per line, indented to sit inside the entry. */
export const HAR_MESSAGE_INDENT = '        ';

/** `decode`: the Decode choice the session is read with, recorded in `_tunnelscope` so an import decodes the same way. */
export function harParts(session: SessionLog, options: { version: string; filter: FrameFilter | undefined; now: number; decode?: LoggedDecode | undefined }): HarParts {
  const secret = session.secretHeaderNames();
  const steps = session.handshakeSteps();
  const upgrade = lastStep(steps, 'upgrade');
  const url = shownUrlOf(session);
  const timings = harTimings(session, steps);
  const startedAt = steps[0]?.startedAt ?? session.createdAt;
  const ending = session.closedInfo();
  const clientHandshake = session.clientHandshake?.();
  const entry = {
    startedDateTime: new Date(startedAt).toISOString(),
    time: harTotal(timings),
    request: harRequest(url, upgrade?.request ? redactCapture(upgrade.request, secret) : undefined),
    response: harResponse(upgrade?.response ? redactCapture(upgrade.response, secret) : undefined, session),
    cache: {},
    timings,
    _resourceType: 'websocket',
    // An intercepted connection: the request and response above are the server's side; this is the client's.
    ...(clientHandshake ? { _clientHandshake: redactClientHandshake(clientHandshake, secret) } : {}),
    _webSocketMessages: MESSAGES_MARK,
    _tunnelscope: {
      version: 1,
      ...(session.name !== undefined ? { name: session.name } : {}),
      state: session.state,
      proxy: session.proxyDecision() ?? null,
      handshake: redactSteps(steps, secret),
      error: session.failure() ?? null,
      closed: ending
        ? { code: ending.code, reason: ending.reason, wasClean: ending.wasClean, initiatedBy: ending.initiatedBy, at: new Date(ending.at).toISOString() }
        : null,
      framesDropped: session.frames.dropped,
      filter: options.filter ? { ...options.filter } : null,
      exportedAt: new Date(options.now).toISOString(),
      ...(options.decode ? { decode: options.decode } : {}),
    },
  };
  const document = {
    log: {
      version: '1.2',
      creator: { name: 'Tunnelscope', version: options.version },
      pages: [],
      entries: [entry],
    },
  };
  const text = JSON.stringify(document, null, 2);
  const marker = JSON.stringify(MESSAGES_MARK);
  const at = text.indexOf(marker);
  return { head: `${text.slice(0, at)}[`, tail: `\n      ]${text.slice(at + marker.length)}\n` };
}

function lastStep(steps: readonly HandshakeStep[], leg: HandshakeStep['leg']): HandshakeStep | undefined {
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i];
    if (step?.leg === leg) return step;
  }
  return undefined;
}

function harHeaders(capture: HttpCapture | undefined): { name: string; value: string }[] {
  return (capture?.headers ?? []).map(([name, value]) => ({ name, value }));
}

function harRequest(url: string, capture: HttpCapture | undefined) {
  let queryString: { name: string; value: string }[] = [];
  try {
    queryString = [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    // not a URL we can parse: no query string
  }
  return {
    method: 'GET',
    url,
    httpVersion: httpVersionOf(capture?.startLine.split(' ').pop()),
    cookies: [],
    headers: harHeaders(capture),
    queryString,
    headersSize: -1,
    bodySize: 0,
  };
}

function harResponse(capture: HttpCapture | undefined, session: SessionLog) {
  const match = capture ? /^(HTTP\/\d(?:\.\d)?)\s+(\d{3})\s*(.*)$/.exec(capture.startLine) : null;
  const location = capture?.headers.find(([name]) => name.toLowerCase() === 'location')?.[1] ?? '';
  const failure = session.failure();
  return {
    status: match ? Number(match[2]) : 0,
    statusText: match ? (match[3] ?? '') : '',
    httpVersion: httpVersionOf(match?.[1]),
    cookies: [],
    headers: harHeaders(capture),
    content: {
      size: capture?.bodyBytes ?? 0,
      mimeType: capture?.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? 'x-unknown',
      ...(capture?.bodyPreview !== undefined ? { text: capture.bodyPreview } : {}),
    },
    redirectURL: location,
    headersSize: -1,
    bodySize: capture?.bodyBytes ?? (capture ? 0 : -1),
    ...(failure && !match ? { _error: `${failure.code}: ${failure.message}` } : {}),
  };
}

function httpVersionOf(text: string | undefined): string {
  return text !== undefined && /^HTTP\/\d(?:\.\d)?$/.test(text) ? text : 'HTTP/1.1';
}

interface HarTimings {
  blocked: number;
  dns: number;
  connect: number;
  ssl: number;
  send: number;
  wait: number;
  receive: number;
  _blocked_proxy?: number;
}

/**
 * Our legs in HAR's terms, each leg's `har` in the pipeline table (shared/pipeline-legs.ts):
 * proxy resolution is Chrome's `_blocked_proxy` (and `blocked`); TCP, the proxy's TLS,
 * CONNECT and the server's TLS are `connect` (with TLS also in `ssl`, which HAR counts inside
 * `connect`); the upgrade is `wait`; the open socket's life is `receive`, as Chrome reports a
 * WebSocket.
 */
function harTimings(session: SessionLog, steps: readonly HandshakeStep[]): HarTimings {
  const sum = (counts: (leg: HandshakeStep['leg']) => boolean): number => {
    const picked = steps.filter((step) => counts(step.leg));
    return picked.length === 0 ? -1 : picked.reduce((total, step) => total + Math.max(0, step.ms), 0);
  };
  const resolve = sum((leg) => legRow(leg).har === 'blocked');
  const connect = sum((leg) => legRow(leg).har === 'connect');
  const ssl = sum((leg) => legRow(leg).tls);
  const upgrade = lastStep(steps, 'upgrade');
  const openedAt = upgrade ? upgrade.startedAt + upgrade.ms : undefined;
  const endedAt = session.closedInfo()?.at ?? (session.frames.lastSeq > 0 ? session.frames.entry(session.frames.lastSeq)?.at : undefined);
  const receive = openedAt !== undefined && endedAt !== undefined && upgrade?.ok === true ? Math.max(0, endedAt - openedAt) : 0;
  return {
    blocked: resolve,
    dns: -1,
    connect,
    ssl,
    send: 0,
    wait: upgrade ? Math.max(0, upgrade.ms) : 0,
    receive,
    ...(resolve >= 0 ? { _blocked_proxy: resolve } : {}),
  };
}

function harTotal(timings: HarTimings): number {
  return [timings.blocked, timings.dns, timings.connect, timings.send, timings.wait, timings.receive].reduce(
    (total, value) => total + Math.max(0, value),
    0,
  );
}
