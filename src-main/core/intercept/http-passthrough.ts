/**
 * Plain HTTP through the intercepting proxy (an absolute-form request, or a request inside an
 * intercepted tunnel that is not a WebSocket upgrade): relayed as it is, one request per
 * upstream connection, through the engine's way out (route-socket.ts), and reported in one
 * line (method, host, path, status, size, time). Nothing else of it is captured.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { formatHostPort } from '../../shared/host-port';
import { connectionOptionsSchema } from '../../shared/model';
import { NetFailure, errorMessage } from '../errors/net-failure';
import type { ResolveEnvironment } from '../proxy/resolve';
import type { InterceptEventListener } from './intercept-events';
import type { Passthrough } from './intercept-proxy';
import { openRouteSocket } from './route-socket';
import { routeOptionsOf, type UpstreamChoice } from './upstream-options';

/** This hop's headers: never passed on (RFC 9110 §7.6.1, and the proxy's own). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer', 'upgrade']);

export function httpPassthrough(environment: ResolveEnvironment, choice: UpstreamChoice, report: InterceptEventListener): Passthrough {
  return (request, response, target, clientAddress) => {
    void relay(environment, choice, report, request, response, { ...target, clientAddress });
  };
}

async function relay(
  environment: ResolveEnvironment,
  choice: UpstreamChoice,
  report: InterceptEventListener,
  request: IncomingMessage,
  response: ServerResponse,
  target: { host: string; port: number; secure: boolean; clientAddress: string },
): Promise<void> {
  const started = performance.now();
  const path = originForm(request.url ?? '/');
  const method = request.method ?? 'GET';
  const line = { clientAddress: target.clientAddress, method, host: formatHostPort(target.host, target.port), path };
  const done = (status: number | null, size: number | null, error?: string): void =>
    report({ type: 'http', ...line, status, size, ms: performance.now() - started, ...(error !== undefined ? { error } : {}) });
  const options = connectionOptionsSchema.parse({
    url: `${target.secure ? 'wss' : 'ws'}://${formatHostPort(target.host, target.port)}/`,
    ...routeOptionsOf(choice),
  });
  // A client that leaves before its answer: the way out being opened for it is given up.
  const clientGone = new AbortController();
  const onClose = (): void => {
    if (!response.writableFinished) clientGone.abort(new Error('the client went away'));
  };
  response.once('close', onClose);
  let socket;
  try {
    socket = await openRouteSocket(environment, options, clientGone.signal);
  } catch (error) {
    if (clientGone.signal.aborted) {
      done(null, null, 'the client went away');
      return;
    }
    const text = error instanceof NetFailure ? `(${error.netError.stage}: ${error.netError.code}): ${error.netError.message}` : `: ${errorMessage(error)}`;
    const timedOut = error instanceof NetFailure && (error.netError.code.endsWith('TIMEOUT') || error.netError.details.deadline !== undefined);
    answer(response, timedOut ? 504 : 502, `Tunnelscope could not reach ${line.host} ${text}`);
    done(timedOut ? 504 : 502, null, error instanceof NetFailure ? error.netError.code : errorMessage(error));
    return;
  }
  const headers: [string, string][] = [];
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i] ?? '';
    if (!HOP_BY_HOP.has(name.toLowerCase())) headers.push([name, request.rawHeaders[i + 1] ?? '']);
  }
  headers.push(['Connection', 'close']);
  const connected = socket;
  const upstream = http.request({ method, path, headers: headers.flat(), setHost: false, createConnection: () => connected });
  upstream.once('response', (res) => {
    const raw: string[] = [];
    for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
      const name = res.rawHeaders[i] ?? '';
      if (!HOP_BY_HOP.has(name.toLowerCase())) raw.push(name, res.rawHeaders[i + 1] ?? '');
    }
    response.writeHead(res.statusCode ?? 502, res.statusMessage, raw);
    let size = 0;
    res.on('data', (chunk: Buffer) => (size += chunk.length));
    res.once('end', () => done(res.statusCode ?? null, size));
    res.pipe(response);
  });
  upstream.once('error', (error) => {
    connected.destroy();
    if (!response.headersSent) answer(response, 502, `Tunnelscope: ${line.host} did not answer: ${errorMessage(error)}`);
    else response.destroy();
    done(null, null, errorMessage(error));
  });
  request.pipe(upstream);
}

/** `http://host/a?b` → `/a?b`; an origin-form target as it is. */
function originForm(target: string): string {
  if (target.startsWith('/')) return target;
  try {
    const parsed = new URL(target);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return '/';
  }
}

function answer(response: ServerResponse, status: number, text: string): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
  response.end(`${text.replace(/[\x00-\x1f\x7f]+/g, ' ')}\n`);
}
