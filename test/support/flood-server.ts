/**
 * A WebSocket server on 127.0.0.1 (port 0) that sends text frames to every client as fast as
 * its socket takes them (about 1 MiB kept queued), and notes the close code of each client.
 * Used where a session must be busy storing when something else happens (a page vanishing).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';

export interface FloodServer {
  url: string;
  /** Close codes received, one per connection that closed with a close frame. */
  closeCodes: number[];
  /** Clients connected now. */
  open(): number;
  close(): Promise<void>;
}

export async function startFloodServer(payloadBytes = 512): Promise<FloodServer> {
  const server = http.createServer();
  const wss = new WebSocketServer({ server });
  const closeCodes: number[] = [];
  wss.on('connection', (socket) => {
    socket.on('error', () => socket.terminate());
    socket.on('close', (code) => closeCodes.push(code));
    const payload = 'x'.repeat(payloadBytes);
    const pump = (): void => {
      if (socket.readyState !== WebSocket.OPEN) return;
      for (let i = 0; i < 200 && socket.bufferedAmount < 1024 * 1024; i++) socket.send(payload);
      setImmediate(pump);
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/flood`,
    closeCodes,
    open: () => [...wss.clients].filter((client) => client.readyState === WebSocket.OPEN).length,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
