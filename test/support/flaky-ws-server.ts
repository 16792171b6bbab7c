/**
 * A WebSocket server on 127.0.0.1 (port 0) that drops its first `drop` connections (the TCP
 * socket is cut before any answer to the upgrade) and then serves each later one as
 * `then` says: echo, or close at once with 1000 after the open. For reconnect tests.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FlakyServer {
  url: string;
  /** Upgrade requests seen so far (dropped ones included). */
  readonly connections: number;
  /** Cuts every open connection without a close frame (an abnormal drop). */
  cutAll(): void;
  close(): Promise<void>;
}

export interface FlakyServerOptions {
  drop: number;
  then: 'echo' | 'close-1000';
}

export async function startFlakyServer(options: FlakyServerOptions): Promise<FlakyServer> {
  const server = http.createServer();
  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<WebSocket>();
  let connections = 0;
  server.on('upgrade', (request, socket, head) => {
    connections += 1;
    if (connections <= options.drop) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => ws.terminate());
      if (options.then === 'close-1000') {
        ws.send('bye');
        ws.close(1000, 'done');
        return;
      }
      ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    cutAll: () => {
      for (const s of sockets) s.terminate();
    },
    close: async () => {
      for (const s of sockets) s.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
