/**
 * A WebSocket server on 127.0.0.1 (port 0) for an e2e spec: the address its sessions connect
 * to, and a close that ends every client before the server.
 */
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface LocalWss {
  /** `ws://127.0.0.1:PORT`, to which a spec adds its path. */
  base: string;
  close(): Promise<void>;
}

/** Starts it; `onConnection` gets each socket, whose errors already end it. */
export async function startLocalWss(onConnection: (socket: WebSocket, request: IncomingMessage) => void): Promise<LocalWss> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  wss.on('connection', (socket, request) => {
    socket.on('error', () => socket.terminate());
    onConnection(socket, request);
  });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  return {
    base: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
