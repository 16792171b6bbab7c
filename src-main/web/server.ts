/**
 * The web host: the built renderer over HTTP and the contract over a WebSocket at `/api`,
 * on 127.0.0.1 by default. Every request and socket must carry the access token and a Host
 * header naming this server; the WebSocket must come from this server's own origin.
 *
 * Wire protocol (src-main/shared/bridge.ts): the page sends `{type:'call', id, name, arg}`
 * and gets `{type:'result', id, result}`; engine events are pushed as `{type:'event', event}`.
 */
import http, { type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { COMMAND_NAMES } from '../shared/commands';
import type { EngineEvent } from '../shared/events';
import { webClientMessageSchema, type WebServerMessage } from '../shared/bridge';
import { fail, type Result } from '../shared/result';
import { allowedHostHeaders, checkHost, checkOrigin, checkToken, hostPort, newAccessToken, tokenCookie, type AccessPolicy } from './access';
import { baseHeaders, lookupFile, sendFile, sendText } from './static-files';
import { withSecretExportGate, type SecretExportGateOptions } from './secret-export-gate';

/** What the web host needs of the engine. */
export interface WebHostEngine {
  invoke(name: string, rawArg: unknown): Promise<Result<unknown>>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
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
  /** Largest message a page may send (binary sends arrive as base64 text). */
  maxPayloadBytes?: number;
  /** Backlog limits for pushing events to a page that does not read them; see `pushEvent`. */
  backlog?: { softBytes?: number; hardBytes?: number; graceMs?: number };
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
  /** The URL to open, token included (`http://127.0.0.1:5199/?token=…`). */
  url: string;
  /** Pages currently connected. */
  connections(): number;
  close(): Promise<void>;
}

const API_PATH = '/api';
const DEFAULT_MAX_PAYLOAD = 256 * 1024 * 1024;
const DEFAULT_BACKLOG = { softBytes: 32 * 1024 * 1024, hardBytes: 512 * 1024 * 1024, graceMs: 15_000 };
/** Close code 1013 "try again later": the page should reconnect once it has caught up. */
const CLOSE_BACKLOG = 1013;

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? newAccessToken();
  const log = options.log ?? ((line: string) => console.error(line));
  // Calls from pages go through the gate: an export with secrets needs the terminal's one-time code.
  const gatedEngine = withSecretExportGate(options.engine, { announce: log, ...options.secretExport });
  const backlog = { ...DEFAULT_BACKLOG, ...options.backlog };
  const requestedHost = options.host ?? '127.0.0.1';
  const server = http.createServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD, perMessageDeflate: false });
  const sockets = new Set<WebSocket>();
  /** When each socket's send buffer went over the soft limit (absent: under it). */
  const overSince = new Map<WebSocket, number>();
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
    if (access.tokenFromQuery) {
      // Move the token into the cookie and out of the address bar (and history).
      query.delete('token');
      const rest = query.toString();
      // `//host` would be a redirect to another site: only ever redirect to a local path.
      const local = rawPath.startsWith('/') && !rawPath.startsWith('//') && !rawPath.includes('\\') ? rawPath : '/';
      response.writeHead(303, {
        ...baseHeaders(),
        'Set-Cookie': tokenCookie(policy.cookieName, token),
        Location: rest ? `${local}?${rest}` : local,
        'Cache-Control': 'no-store',
        'Content-Length': '0',
      });
      response.end();
      return;
    }
    if (rawPath === API_PATH) return sendText(response, 426, 'This is the WebSocket endpoint.', { Upgrade: 'websocket' });
    const found = await lookupFile(options.rendererDir, rawPath);
    if (!found.ok) return sendText(response, found.status, found.reason);
    await sendFile(response, found.file, request.headers.host ?? '');
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const { rawPath, query } = splitTarget(request.url ?? '/');
    const refusal = upgradeRefusal(request, rawPath, query);
    if (refusal) {
      refuseUpgrade(socket, refusal.status, refusal.reason);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => onConnection(ws));
  });

  function upgradeRefusal(request: IncomingMessage, rawPath: string, query: URLSearchParams): { status: number; reason: string } | undefined {
    const host = checkHost(request.headers, policy);
    if (host && !host.ok) return host;
    if (rawPath !== API_PATH) return { status: 404, reason: 'Not found.' };
    const access = checkToken(request.headers, query, policy);
    if (!access.ok) return access;
    const origin = checkOrigin(request.headers);
    if (origin && !origin.ok) return origin;
    return undefined;
  }

  function onConnection(ws: WebSocket): void {
    sockets.add(ws);
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      sockets.delete(ws);
      overSince.delete(ws);
    });
    ws.on('message', (data, isBinary) => {
      void answer(ws, data, isBinary);
    });
  }

  async function answer(ws: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
    const { id, result } = await runMessage(gatedEngine, isBinary ? undefined : rawText(data));
    send(ws, { type: 'result', id, result });
  }

  function send(ws: WebSocket, message: WebServerMessage): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    ws.send(JSON.stringify(message));
  }

  /**
   * Pushes an event to every page. A page that stops reading (a frozen tab) would make the
   * send buffer grow without bound: past the soft limit for longer than the grace time, or
   * past the hard limit at once, the page is disconnected (it reconnects when it wakes up).
   */
  function pushEvent(event: EngineEvent): void {
    const text = JSON.stringify({ type: 'event', event } satisfies WebServerMessage);
    const now = Date.now();
    for (const ws of [...sockets]) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      const buffered = ws.bufferedAmount;
      if (buffered > backlog.softBytes) {
        const since = overSince.get(ws) ?? now;
        overSince.set(ws, since);
        if (buffered > backlog.hardBytes || now - since > backlog.graceMs) {
          dropSlowPage(ws, buffered);
          continue;
        }
      } else {
        overSince.delete(ws);
      }
      ws.send(text);
    }
  }

  function dropSlowPage(ws: WebSocket, buffered: number): void {
    sockets.delete(ws);
    overSince.delete(ws);
    const mb = Math.round(buffered / (1024 * 1024));
    log(`tunnelscope web: disconnected a page that stopped reading events (${mb} MB waiting to be sent); it reconnects when it catches up.`);
    ws.close(CLOSE_BACKLOG, 'event backlog too large: the page stopped reading');
    // The close frame waits behind the backlog; do not keep the memory for it.
    setTimeout(() => ws.terminate(), 1000).unref();
  }

  const unsubscribe = options.engine.onEvent(pushEvent);

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => {
      unsubscribe();
      reject(error);
    };
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
    url: `http://${hostPort(urlHost, bound.port)}/?token=${token}`,
    connections: () => sockets.size,
    close: () =>
      (closing ??= (async () => {
        unsubscribe();
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
 * else -1, see the protocol in bridge.ts).
 */
export async function runMessage(engine: WebHostEngine, text: string | undefined): Promise<{ id: number; result: Result<unknown> }> {
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
  const parsed = webClientMessageSchema.safeParse(json);
  if (!parsed.success) {
    const id = usableId(json);
    const name = typeof json === 'object' && json !== null && 'name' in json ? json.name : undefined;
    if (typeof name === 'string' && !COMMAND_NAMES.some((known) => known === name)) {
      return { id, result: fail('UNKNOWN_COMMAND', `unknown command "${name.slice(0, 100)}"`, 'name') };
    }
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;
    const message = `bad message: ${where ? `${where}: ` : ''}${issue?.message ?? 'not a {type:"call", id, name, arg} object'}`;
    return { id, result: fail('INVALID_ARGUMENT', message, where) };
  }
  const { id, name, arg } = parsed.data;
  try {
    return { id, result: await engine.invoke(name, arg) };
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
