/**
 * A WebSocket echo server for tests: plain (ws://) or TLS (wss://), on 127.0.0.1, port 0.
 * Text comes back as text, binary as binary. Close it with `close()` in afterEach/afterAll.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface EchoServer {
  port: number;
  /** `ws://127.0.0.1:PORT` or `wss://…` (with the host name given for TLS). */
  url: string;
  /** Connections accepted so far, with the request headers each one had. */
  upgrades: http.IncomingHttpHeaders[];
  sockets: Set<WebSocket>;
  /** The next connection accepted after the call (its socket, before any of its events). */
  nextConnection(): Promise<WebSocket>;
  close(): Promise<void>;
}

export interface EchoServerOptions {
  /** Serve wss:// with this certificate and key (PEM). */
  tls?: { cert: string; key: string; hostname?: string };
  /** Subprotocols the server accepts (the first requested one that is listed is chosen). */
  subprotocols?: string[];
}

export async function startEchoServer(options: EchoServerOptions = {}): Promise<EchoServer> {
  const server = options.tls
    ? https.createServer({ cert: options.tls.cert, key: options.tls.key })
    : http.createServer();
  const upgrades: http.IncomingHttpHeaders[] = [];
  const sockets = new Set<WebSocket>();
  const awaitingConnection: ((socket: WebSocket) => void)[] = [];
  const accepted = options.subprotocols;
  const wss = new WebSocketServer({
    server,
    handleProtocols: (offered) => {
      if (!accepted) return false;
      for (const p of offered) if (accepted.includes(p)) return p;
      return false;
    },
  });
  wss.on('connection', (socket, request) => {
    upgrades.push(request.headers);
    sockets.add(socket);
    for (const resolve of awaitingConnection.splice(0)) resolve(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.terminate());
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const scheme = options.tls ? 'wss' : 'ws';
  const host = options.tls?.hostname ?? '127.0.0.1';
  return {
    port,
    url: `${scheme}://${host}:${port}`,
    upgrades,
    sockets,
    nextConnection: () => new Promise<WebSocket>((resolve) => awaitingConnection.push(resolve)),
    close: async () => {
      for (const s of sockets) s.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
