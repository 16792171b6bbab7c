/**
 * A WebSocket server on 127.0.0.1 (port 0) that stays quiet until a client sends
 * `flood N R`, then sends that client N text frames (`flood 000001` …, 40 bytes), R per second
 * in a burst every 10 ms (never more than its socket takes), so a test can show a session in
 * two places before the flood starts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';

export interface FloodOnDemandServer {
  url: string;
  /** Frames sent so far, over every connection. */
  sent(): number;
  close(): Promise<void>;
}

const FLOOD = /^flood (\d{1,7}) (\d{1,7})$/;
const TICK_MS = 10;

export async function startFloodOnDemandServer(): Promise<FloodOnDemandServer> {
  const server = http.createServer();
  const wss = new WebSocketServer({ server });
  let sent = 0;
  wss.on('connection', (socket) => {
    socket.on('error', () => socket.terminate());
    socket.on('message', (data, isBinary) => {
      const match = isBinary ? null : FLOOD.exec(data.toString());
      if (!match) return;
      const total = Number(match[1]);
      const perTick = Math.max(1, Math.round((Number(match[2]) * TICK_MS) / 1000));
      let next = 1;
      const pump = (): void => {
        const end = Math.min(total, next + perTick - 1);
        while (next <= end && socket.readyState === WebSocket.OPEN && socket.bufferedAmount < 1024 * 1024) {
          socket.send(`flood ${String(next).padStart(6, '0')}`.padEnd(40, '.'));
          next += 1;
          sent += 1;
        }
        if (next <= total && socket.readyState === WebSocket.OPEN) setTimeout(pump, TICK_MS);
      };
      pump();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the flood server is not on a TCP port');
  const { port } = address satisfies AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/flood-on-demand`,
    sent: () => sent,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
