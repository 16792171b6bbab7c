/**
 * Opens a TCP connection, either to a proxy (stage `proxy-connect`) or straight to the server
 * (stage `connect`), and reports the `tcp` leg. Failures become NetFailures whose code comes
 * from Node's system error code.
 */
import net from 'node:net';
import type { ErrorStage } from '../../shared/errors';
import { formatHostPort } from '../../shared/host-port';
import type { HandshakeStep } from '../../shared/model';
import { NetFailure, errorMessage, systemErrorCode } from '../errors/net-failure';
import { proxyConnectCode, serverConnectCode } from '../errors/socket-errors';
import { Deadline, deadlineDetails, raceDeadline } from './deadline';

export interface TcpConnectRequest {
  host: string;
  port: number;
  /** `proxy-connect` when the peer is a proxy, `connect` when it is the server. */
  stage: Extract<ErrorStage, 'proxy-connect' | 'connect'>;
  deadline: Deadline;
  signal?: AbortSignal;
  onStep?: (step: HandshakeStep) => void;
  /** Extra details for a failure (target, proxy URL). */
  failureDetails?: { target?: string; proxy?: string };
}

export async function tcpConnect(request: TcpConnectRequest): Promise<net.Socket> {
  const { host, port, stage, deadline, signal, onStep } = request;
  // The leg is timed on the deadline's clock, so a test on fake time gets fake timings too.
  const clock = deadline.clock;
  const startedAt = clock.now();
  const peer = formatHostPort(host, port);
  const socket = net.connect({ host, port });
  socket.setNoDelay(true);
  const connected = new Promise<net.Socket>((resolve, reject) => {
    const onError = (error: Error): void => {
      socket.removeListener('connect', onConnect);
      reject(error);
    };
    const onConnect = (): void => {
      socket.removeListener('error', onError);
      resolve(socket);
    };
    socket.once('error', onError);
    socket.once('connect', onConnect);
  });
  const timeoutCode = stage === 'proxy-connect' ? 'PROXY_TIMEOUT' : 'CONNECT_TIMEOUT';
  try {
    const result = await raceDeadline(
      connected,
      deadline,
      () =>
        NetFailure.of(stage, timeoutCode, { ...request.failureDetails, ...deadlineDetails(deadline) }),
      signal,
      () => socket.destroy(),
    );
    onStep?.({ leg: 'tcp', startedAt, ms: clock.now() - startedAt, ok: true, peer });
    return result;
  } catch (error) {
    socket.destroy();
    onStep?.({ leg: 'tcp', startedAt, ms: clock.now() - startedAt, ok: false, peer });
    if (error instanceof NetFailure || signal?.aborted) throw error;
    const cause = systemErrorCode(error);
    const code = stage === 'proxy-connect' ? proxyConnectCode(cause) : serverConnectCode(cause);
    throw NetFailure.of(stage, code, {
      ...request.failureDetails,
      ...(cause ? { cause } : {}),
      causeMessage: errorMessage(error),
    });
  }
}
