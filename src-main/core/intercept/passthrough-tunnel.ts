/**
 * A CONNECT to a host on the passthrough list: the tunnel is opened to the server the engine's
 * way out (route-socket.ts: the same proxy resolution, sign-in and fallback as a session, plain
 * TCP), then answered 200 and both directions are piped untouched: the client's TLS reaches the
 * real server and its certificate, nothing is decrypted or captured. A way out that fails is
 * answered 502 (504 when a deadline passed) with a line naming it. One `passthrough` report
 * when the tunnel ends: bytes each way, or the failure, and the proxy decision it went by.
 */
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import { formatHostPort } from '../../shared/host-port';
import { connectionOptionsSchema, type ProxyDecision } from '../../shared/model';
import { sessionSecretsOf } from '../capture/session-secrets';
import { ValueRedactor } from '../capture/value-redactor';
import { NetFailure, errorMessage } from '../errors/net-failure';
import type { ResolveEnvironment } from '../proxy/resolve';
import type { ClientProcess } from '../../shared/captured-from';
import type { InterceptEventListener } from './intercept-events';
import type { PassthroughPattern } from './passthrough-hosts';
import { answerAndClose } from './plain-answer';
import { openRouteSocket } from './route-socket';
import { routeOptionsOf, type UpstreamChoice } from './upstream-options';

export interface PassthroughTunnel {
  client: Duplex;
  /** What the client sent after its CONNECT request, before the answer (usually nothing). */
  head: Buffer;
  host: string;
  port: number;
  pattern: PassthroughPattern;
  clientAddress: string;
  clientProcess: ClientProcess | undefined;
}

export async function passThrough(environment: ResolveEnvironment, choice: UpstreamChoice, report: InterceptEventListener, tunnel: PassthroughTunnel): Promise<void> {
  const started = performance.now();
  const { client, host, port } = tunnel;
  const authority = formatHostPort(host, port);
  const line = {
    clientAddress: tunnel.clientAddress,
    ...(tunnel.clientProcess ? { clientProcess: tunnel.clientProcess } : {}),
    host,
    port,
    pattern: tunnel.pattern.text,
    source: tunnel.pattern.source ?? { list: 'global' as const },
  };
  const options = connectionOptionsSchema.parse({
    // ws://: a plain TCP socket through the route (the client brings its own TLS).
    url: `ws://${authority}/`,
    ...routeOptionsOf(choice),
  });
  if (client.destroyed) return;
  // A client that goes away while the way out is opened: the attempt stops (its sockets close).
  // It is read meanwhile, so its hang-up is seen; what it sends early waits for the server.
  const clientGone = new AbortController();
  const early: Buffer[] = [tunnel.head];
  const onEarlyData = (chunk: Buffer): void => void early.push(chunk);
  const onClientGone = (): void => clientGone.abort(new Error('the client went away'));
  client.on('data', onEarlyData);
  client.once('end', onClientGone);
  client.once('close', onClientGone);
  client.resume();
  // The way out taken, for the row and the report (the options' secrets kept out of its words).
  const secrets = new ValueRedactor(sessionSecretsOf(options));
  let decision: ProxyDecision | undefined;
  const taken = (): { decision?: ProxyDecision } => (decision ? { decision } : {});
  let server: net.Socket;
  try {
    server = await openRouteSocket(environment, options, clientGone.signal, (made) => (decision = secrets.decision(made)));
  } catch (error) {
    client.off('data', onEarlyData);
    if (clientGone.signal.aborted) {
      client.destroy();
      return;
    }
    const failure = error instanceof NetFailure ? error.netError : undefined;
    const timedOut = failure !== undefined && (failure.code.endsWith('TIMEOUT') || failure.details.deadline !== undefined);
    const status = timedOut ? 504 : 502;
    const why = failure ? `(${failure.stage}: ${failure.code}): ${failure.message}` : `: ${errorMessage(error)}`;
    answerAndClose(client, status, `Tunnelscope could not reach ${authority} for a passthrough tunnel ${why}`);
    report({ type: 'passthrough', ...line, status, sent: 0, received: 0, ms: performance.now() - started, error: failure?.code ?? errorMessage(error), ...taken() });
    return;
  }
  client.off('data', onEarlyData);
  client.off('end', onClientGone);
  client.off('close', onClientGone);
  const head = Buffer.concat(early);
  let sent = head.length;
  let received = 0;
  client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
  if (head.length > 0) server.write(head);
  client.on('data', (chunk: Buffer) => (sent += chunk.length));
  server.on('data', (chunk: Buffer) => (received += chunk.length));
  let closed = 0;
  let failure: string | undefined;
  const closedOne = (other: Duplex): void => {
    // One side is gone for good: what is still on its way to the other is flushed, then that
    // one is closed too (a client may never close its side on a FIN alone).
    if (other.writableFinished) other.destroy();
    else {
      other.once('finish', () => other.destroy());
      if (!other.writableEnded) other.end();
    }
    closed += 1;
    if (closed === 2) report({ type: 'passthrough', ...line, status: 200, sent, received, ms: performance.now() - started, ...(failure !== undefined ? { error: failure } : {}), ...taken() });
  };
  const fail = (side: string, error: Error): void => {
    failure ??= `${side}: ${errorMessage(error)}`;
    client.destroy();
    server.destroy();
  };
  client.pipe(server);
  server.pipe(client);
  client.once('close', () => closedOne(server));
  server.once('close', () => closedOne(client));
  client.on('error', (error: Error) => fail('client', error));
  server.on('error', (error: Error) => fail('server', error));
}
