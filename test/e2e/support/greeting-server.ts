/**
 * A `ws` server on 127.0.0.1 (port 0) that sends each new connection the same messages, for the
 * specs that only need frames to decode in the log.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

export interface GreetingServer {
  /** `ws://127.0.0.1:PORT<path>` */
  url: string;
  close(): Promise<void>;
}

export async function startGreetingServer(path: string, greetings: readonly (string | Uint8Array)[]): Promise<GreetingServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  wss.on('connection', (socket) => {
    socket.on('error', () => socket.terminate());
    for (const message of greetings) socket.send(message);
  });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}${path}`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
