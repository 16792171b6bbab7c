/**
 * The web host: the built renderer over HTTP (HTTPS with `tls`) and the contract over a
 * WebSocket at `/api`, on 127.0.0.1 by default. Every request and socket must carry the access
 * token and a Host header naming this server; the WebSocket must come from this server's own
 * origin. A page may send messages of at most `maxPayloadBytes`, and gets no events while more
 * than `maxBufferedBytes` are waiting to go out to it (event-backlog.ts).
 *
 * Each page connection is its own subscriber of the engine (Engine.subscribe): it hears the
 * sessions it subscribes to (`session:subscribe`, and those it opens, imports or adopts), in
 * its own batches acknowledged by itself; a session it does not show costs it nothing. Its
 * frames become `frames-skipped` notices (exact ranges) while its socket has more than
 * `congestedBytes` unsent, before the backlog's limit is reached.
 *
 * Wire protocol (src-main/shared/bridge.ts): the page sends `{type:'call', id, name, arg}`
 * and gets `{type:'result', id, result}`; engine events are pushed as `{type:'event', event}`.
 * A larger call (an imported log) comes in `call-part`s, joined per page (call-parts.ts).
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { COMMAND_NAMES } from '../shared/commands';
import type { EngineEvent, HostEvent } from '../shared/events';
import { webClientMessageSchema, type WebServerMessage } from '../shared/bridge';
import { CallParts, DEFAULT_MAX_IMPORT_UPLOAD_CHARS } from './call-parts';
import { fail, type Result } from '../shared/result';
import { DEFAULT_PAGE_TAIL_FRAMES } from '../core';
import { formatHostPort } from '../shared/host-port';
import { allowedHostHeaders, checkHost, checkOrigin, checkToken, newAccessToken, tokenCookie, type AccessPolicy } from './access';
import { EventBacklog } from './event-backlog';
import { lookupFile, sendFile, sendText } from './static-files';
import { pageClientOf } from './page-clients';
import { withSecretExportGate, type SecretExportGateOptions } from './secret-export-gate';
import { PLAIN_ISSUE_WORDS } from '../shared/zod-words';

/** A page connection's subscription to the engine's events (core Engine.subscribe). */
export interface PageSubscription {
  readonly id: string;
  close(): void;
}

/** Who sent a call: the page (its sessions are its own, see page-clients.ts) and its connection's subscription. */
export interface PageCaller {
  clientId: string;
  subscriptionId?: string;
}

/** What the web host needs of the engine. */
export interface WebHostEngine {
  invoke(name: string, rawArg: unknown, caller?: PageCaller): Promise<Result<unknown>>;
  /** Every event (the secret-export gate passes it through; pages are served through `subscribe`). */
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** A consumer of its own per page connection: only the sessions it subscribes to, its own batches and acknowledgements. */
  subscribe(options: {
    deliver: (event: HostEvent) => void;
    clientId?: string;
    congested?: () => boolean;
    batch?: { tailFrames?: number };
  }): PageSubscription;
  /** A connection of a page opened / closed: the engine keeps the page's sessions for the grace after its last one. */
  clientConnected?(clientId: string): void;
  clientDisconnected?(clientId: string): void;
}

export interface WebHostOptions {
  engine: WebHostEngine;
  /** The built renderer folder (out/renderer). */
  rendererDir: string;
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /** Port; 0 (the default) picks a free one. */
  port?: number;
  /** Fixed token (tests); a random one otherwise. */
  token?: string;
  /** Largest message a page may send (binary sends arrive as base64 text); default 8 MiB. */
  maxPayloadBytes?: number;
  /**
   * Largest `frames:import` argument (JSON characters) a page may send in parts; default the
   * engine's import bound plus room for escaping. Other calls in parts: at most maxPayloadBytes.
   */
  maxImportUploadChars?: number;
  /** Bytes waiting to go out to one page before it gets no more events until they drain; default 16 MiB. */
  maxBufferedBytes?: number;
  /** Bytes waiting to go out to one page past which its frames become skipped notices; default a quarter of maxBufferedBytes. */
  congestedBytes?: number;
  /**
   * Frames a page is sent as rows per batch interval while a stream is faster, the newest; the
   * earlier ones as skipped ranges it pages when scrolled to. Default DEFAULT_PAGE_TAIL_FRAMES.
   */
  pageTailFrames?: number;
  /** Serve HTTPS and WSS with this key and certificate (PEM); plain HTTP without. */
  tls?: { keyPem: string; certPem: string };
  /** Where notes go (a dropped page); default stderr. */
  log?: (line: string) => void;
  /**
   * An export with secrets needs a one-time code printed here (the terminal that started the
   * host, never the page); default: `log`. See secret-export-gate.ts.
   */
  secretExport?: Partial<SecretExportGateOptions>;
}

export interface WebHost {
  /** The address and port actually bound. */
  address: string;
  port: number;
  token: string;
  /** The URL to open, token included (`http://127.0.0.1:5199/?token=…`, `https://…` with TLS). */
  url: string;
  /** Pages currently connected. */
  connections(): number;
  close(): Promise<void>;
}

const API_PATH = '/api';
export const DEFAULT_MAX_PAYLOAD_BYTES = 8 * 1024 * 1024;
export const DEFAULT_MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/** Close code 1009 "message too big" (RFC 6455), which ws sends for a message over maxPayload. */
const CLOSE_TOO_BIG = 1009;

/**
 * ws closes a connection whose message exceeds maxPayload with a bare 1009; this gives the
 * close frame a reason the page can show (ws lets a server supply its own WebSocket class).
 */
function socketClassWithTooBigReason(maxPayloadBytes: number): typeof WebSocket {
  const mib = maxPayloadBytes / (1024 * 1024);
  const limit = Number.isInteger(mib) ? `${mib} MiB` : `${maxPayloadBytes} bytes`;
  const reason = `message too big: the web host accepts at most ${limit} (--max-message-mb)`;
  return class PageSocket extends WebSocket {
    override close(code?: number, data?: string | Buffer): void {
      super.close(code, code === CLOSE_TOO_BIG && data === undefined ? reason : data);
    }
  };
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? newAccessToken();
  const log = options.log ?? ((line: string) => console.error(line));
  // Calls from pages go through the gate: an export with secrets needs the terminal's one-time code.
  const gatedEngine = withSecretExportGate(options.engine, { announce: log, ...options.secretExport });
  const requestedHost = options.host ?? '127.0.0.1';
  const scheme = options.tls ? 'https' : 'http';
  const server = options.tls ? https.createServer({ key: options.tls.keyPem, cert: options.tls.certPem }) : http.createServer();
  const maxPayload = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const wss = new WebSocketServer({ noServer: true, maxPayload, perMessageDeflate: false, WebSocket: socketClassWithTooBigReason(maxPayload) });
  const sockets = new Set<WebSocket>();
  const maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const backlog = new EventBacklog(maxBufferedBytes, log);
  const congestedBytes = options.congestedBytes ?? Math.floor(maxBufferedBytes / 4);
  /** An event most pages hear (a session's state, the list) is serialized once, not once per page. */
  const serialized = new WeakMap<HostEvent, string>();
  // Filled once the port is known (the policy needs it); requests cannot arrive before.
  let policy: AccessPolicy = { token, cookieName: '', allowedHosts: new Set() };

  server.on('request', (request, response) => {
    void handleHttp(request, response).catch((error: unknown) => {
      log(`tunnelscope web: a request failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) sendText(response, 500, 'Internal error.');
      else response.destroy();
    });
  });

  async function handleHttp(request: IncomingMessage, response: http.ServerResponse): Promise<void> {
    const hostRefusal = checkHost(request.headers, policy);
    if (hostRefusal && !hostRefusal.ok) return sendText(response, hostRefusal.status, hostRefusal.reason);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return sendText(response, 405, 'Method not allowed.', { Allow: 'GET, HEAD' });
    }
    const { rawPath, query } = splitTarget(request.url ?? '/');
    const access = checkToken(request.headers, query, policy);
    if (!access.ok) return sendText(response, access.status, access.reason);
    // The token in the query: the page is served as it is (not redirected) with the cookie,
    // and its first script takes the token out of the address bar (history.replaceState). A
    // redirect would not do: a SameSite=Strict cookie set on a redirect that a link on another
    // site started is not sent on the redirected request, so the page would be refused.
    const setCookie: Record<string, string> = access.tokenFromQuery ? { 'Set-Cookie': tokenCookie(policy.cookieName, token, scheme === 'https') } : {};
    if (rawPath === API_PATH) return sendText(response, 426, 'This is the WebSocket endpoint.', { Upgrade: 'websocket', ...setCookie });
    const found = await lookupFile(options.rendererDir, rawPath);
    if (!found.ok) return sendText(response, found.status, found.reason, setCookie);
    await sendFile(response, found.file, request.headers.host ?? '', { scheme, extraHeaders: setCookie });
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const { rawPath, query } = splitTarget(request.url ?? '/');
    const refusal = upgradeRefusal(request, rawPath, query);
    if (refusal) {
      refuseUpgrade(socket, refusal.status, refusal.reason);
      return;
    }
    const page = pageClientOf(query);
    if (!page.ok) {
      refuseUpgrade(socket, page.status, page.reason);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => onConnection(ws, page.clientId));
  });

  const maxImportUploadChars = options.maxImportUploadChars ?? DEFAULT_MAX_IMPORT_UPLOAD_CHARS;

  function upgradeRefusal(request: IncomingMessage, rawPath: string, query: URLSearchParams): { status: number; reason: string } | undefined {
    const host = checkHost(request.headers, policy);
    if (host && !host.ok) return host;
    if (rawPath !== API_PATH) return { status: 404, reason: 'Not found.' };
    const access = checkToken(request.headers, query, policy);
    if (!access.ok) return access;
    const origin = checkOrigin(request.headers, scheme);
    if (origin && !origin.ok) return origin;
    return undefined;
  }

  function onConnection(ws: WebSocket, clientId: string): void {
    sockets.add(ws);
    const parts = new CallParts({ maxMessageChars: maxPayload, maxLargeChars: maxImportUploadChars });
    options.engine.clientConnected?.(clientId);
    const subscription = options.engine.subscribe({
      clientId,
      deliver: (event) => backlog.push(ws, textOf(event)),
      congested: () => ws.bufferedAmount > congestedBytes,
      // A page's log shows the live end: it is sent that, not the whole stream (FrameBatcher).
      batch: { tailFrames: options.pageTailFrames ?? DEFAULT_PAGE_TAIL_FRAMES },
    });
    const caller: PageCaller = { clientId, subscriptionId: subscription.id };
    ws.on('error', (error) => {
      // A message over maxPayload: ws is already closing with 1009 and a reason; let the
      // close frame go out (terminating now could cut it off) and say so here.
      if ('code' in error && error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        log(`tunnelscope web: closed a page's connection: it sent a message over ${maxPayload} bytes (--max-message-mb).`);
        return;
      }
      ws.terminate();
    });
    ws.on('close', () => {
      sockets.delete(ws);
      subscription.close();
      options.engine.clientDisconnected?.(clientId);
      backlog.forget(ws);
      // A page gone mid-upload: its parts go with it.
      parts.clear();
    });
    ws.on('message', (data, isBinary) => {
      void answer(ws, data, isBinary, caller, parts);
    });
  }

  async function answer(ws: WebSocket, data: RawData, isBinary: boolean, caller: PageCaller, parts: CallParts): Promise<void> {
    const answered = await runMessage(gatedEngine, isBinary ? undefined : rawText(data), caller, parts);
    if (answered) send(ws, { type: 'result', id: answered.id, result: answered.result });
  }

  function send(ws: WebSocket, message: WebServerMessage): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    // A close frame would wait behind the backlog: drop the connection and its memory at once.
    if (!backlog.answerFits(ws)) return void ws.terminate();
    ws.send(JSON.stringify(message));
  }

  /** The wire text of an event (a page that fell behind gets none until it catches up, event-backlog.ts). */
  function textOf(event: HostEvent): string {
    let text = serialized.get(event);
    if (text === undefined) {
      text = JSON.stringify({ type: 'event', event } satisfies WebServerMessage);
      serialized.set(event, text);
    }
    return text;
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(options.port ?? 0, requestedHost, () => {
      server.removeListener('error', onError);
      resolve();
    });
  });
  const bound = server.address();
  if (bound === null || typeof bound === 'string') throw new Error('the web host is not listening on a TCP port');
  policy = {
    token,
    // Cookies are shared across ports: name it per port so two hosts do not clobber each other.
    cookieName: `tunnelscope_token_${bound.port}`,
    allowedHosts: allowedHostHeaders(bound.address, bound.port, requestedHost),
  };
  // An all-interfaces bind is reachable on loopback too; print the URL that works here.
  const urlHost = bound.address === '0.0.0.0' || bound.address === '::' ? '127.0.0.1' : bound.address;
  let closing: Promise<void> | undefined;

  return {
    address: bound.address,
    port: bound.port,
    token,
    url: `${scheme}://${formatHostPort(urlHost, bound.port)}/?token=${token}`,
    connections: () => sockets.size,
    close: () =>
      (closing ??= (async () => {
        for (const ws of sockets) ws.close(1001, 'the web host is shutting down');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            for (const ws of wss.clients) ws.terminate();
          }, 1000);
          wss.close(() => {
            clearTimeout(timer);
            resolve();
          });
          if (wss.clients.size === 0) resolve();
        });
        for (const ws of wss.clients) ws.terminate();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })()),
  };
}

/** Splits a request target into its raw path and its query (not decoded: the file lookup checks both forms). */
function splitTarget(target: string): { rawPath: string; query: URLSearchParams } {
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  return { rawPath: rawPath === '' ? '/' : rawPath, query: new URLSearchParams(q < 0 ? '' : target.slice(q + 1)) };
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const body = Buffer.from(`${reason}\n`, 'utf8');
  const statusText = http.STATUS_CODES[status] ?? 'Refused';
  socket.end(
    `HTTP/1.1 ${status} ${statusText}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n` +
      `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body.toString('utf8')}`,
  );
  setTimeout(() => socket.destroy(), 1000).unref();
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/**
 * One message from a page → the answer to send back. Never throws: bad JSON, a bad shape or
 * an unknown command get an error result (with the message's id when it had a usable one,
 * else -1, see the protocol in bridge.ts). A part of a call (`parts`: the page's uploads) is
 * answered only when refused; the call that ends it runs with the joined arg.
 */
export async function runMessage(
  engine: Pick<WebHostEngine, 'invoke'>,
  text: string | undefined,
  caller?: PageCaller,
  parts?: CallParts,
): Promise<{ id: number; result: Result<unknown> } | undefined> {
  if (text === undefined) {
    return { id: -1, result: fail('INVALID_ARGUMENT', 'bad message: the web host accepts JSON text messages, not binary ones') };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { id: -1, result: fail('INVALID_ARGUMENT', `bad message: not JSON (${why.slice(0, 200)})`) };
  }
  const parsed = webClientMessageSchema.safeParse(json, PLAIN_ISSUE_WORDS);
  if (!parsed.success) {
    const id = usableId(json);
    const name = typeof json === 'object' && json !== null && 'name' in json ? json.name : undefined;
    if (typeof name === 'string' && !COMMAND_NAMES.some((known) => known === name)) {
      return { id, result: fail('UNKNOWN_COMMAND', `unknown command "${name.slice(0, 100)}"`, 'name') };
    }
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;
    const message = `bad message: ${where ? `${where}: ` : ''}${issue?.message ?? 'not a {type:"call", id, name, arg} object'}`;
    const result = fail('INVALID_ARGUMENT', message, where);
    // A malformed part ends its sequence: what was held is freed, the rest is dropped.
    if (parts && id >= 0 && typeof json === 'object' && json !== null && 'type' in json && json.type === 'call-part') parts.refuse(id, result);
    return { id, result };
  }
  const message = parsed.data;
  if (message.type === 'call-part') {
    if (!parts) return { id: message.id, result: fail('INVALID_ARGUMENT', 'bad message: this host takes no calls in parts') };
    const refusal = parts.add(message);
    return refusal === undefined ? undefined : { id: message.id, result: refusal };
  }
  const { id, name } = message;
  let arg = message.arg;
  if (message.parts !== undefined) {
    if (!parts) return { id, result: fail('INVALID_ARGUMENT', 'bad message: this host takes no calls in parts') };
    const joined = parts.finish({ ...message, parts: message.parts });
    if (joined.kind === 'dropped') return undefined;
    if (joined.kind === 'refused') return { id, result: joined.result };
    arg = joined.arg;
  }
  try {
    return { id, result: await engine.invoke(name, arg, caller) };
  } catch (error) {
    // The engine promises not to throw; a host must not crash if it ever does.
    return { id, result: fail('INTERNAL', `${name} failed: ${error instanceof Error ? error.message : String(error)}`) };
  }
}

function usableId(json: unknown): number {
  if (typeof json !== 'object' || json === null || !('id' in json)) return -1;
  const id = json.id;
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : -1;
}
