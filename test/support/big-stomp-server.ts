/**
 * A WebSocket server on 127.0.0.1 (port 0) speaking v12.stomp that sends, on connect, one
 * message holding CONNECTED and a MESSAGE whose body is `bodyBytes` bytes of 'a' ending in
 * "zzz" (the detail pane's large-payload tests: 20 MiB, as QA's H4 report).
 */
import { WebSocketServer } from 'ws';

export interface BigStompServer {
  url: string;
  /** The message's size in bytes. */
  messageBytes: number;
  close(): Promise<void>;
}

export const BIG_STOMP_HEAD = 'CONNECTED\nversion:1.2\n\n\0MESSAGE\ndestination:/topic/big\nmessage-id:m-1\nsubscription:sub-0\n\n';

export function bigStompMessage(bodyBytes: number): Buffer {
  const body = Buffer.alloc(bodyBytes, 'a');
  body.write('zzz', bodyBytes - 3, 'latin1');
  return Buffer.concat([Buffer.from(BIG_STOMP_HEAD, 'utf8'), body, Buffer.from([0])]);
}

export async function startBigStompServer(bodyBytes: number): Promise<BigStompServer> {
  const message = bigStompMessage(bodyBytes);
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (protocols) => (protocols.has('v12.stomp') ? 'v12.stomp' : false) });
  wss.on('connection', (socket) => {
    socket.send(message, { binary: false });
    // The client's frames (a STOMP CONNECT the composer may send) are not answered.
    socket.on('error', () => socket.terminate());
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const address = wss.address();
  if (address === null || typeof address === 'string') throw new Error('not a TCP address');
  return {
    url: `ws://127.0.0.1:${address.port}/stomp`,
    messageBytes: message.length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
