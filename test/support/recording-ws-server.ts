/**
 * A `ws` server on 127.0.0.1 (port 0) for reconnect tests: it keeps what each connection read,
 * in order, and lets the test wait until connection n has read so many messages, while the
 * test's own `onMessage` plays the protocol (answers, errors, drops). Close it in afterEach.
 */
import { WebSocketServer, type WebSocket } from 'ws';

export interface RecordingServer {
  url: string;
  /** Each connection's messages as `record` kept them, in the order the server read them. */
  connections: string[][];
  /** Resolves when connection `n` (1-based) has read `count` messages. */
  read(n: number, count: number): Promise<void>;
  close(): Promise<void>;
}

export interface RecordingServerOptions {
  /** The URL's path, e.g. '/stomp'. */
  path: string;
  /** Accepted when the client offers it (else no subprotocol); absent: ws's default choice. */
  subprotocol?: string;
  /** What connection `n` (1-based) does with a message it read. */
  onMessage(n: number, ws: WebSocket, text: string): void;
  /** What is kept of a message; default the whole text. */
  record?(text: string): string;
}

export async function startRecordingServer(options: RecordingServerOptions): Promise<RecordingServer> {
  const connections: string[][] = [];
  const waiters: { n: number; count: number; wake: () => void }[] = [];
  const check = (): void => {
    for (const w of [...waiters]) {
      if ((connections[w.n - 1]?.length ?? 0) >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.wake();
      }
    }
  };
  const { subprotocol } = options;
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    ...(subprotocol !== undefined ? { handleProtocols: (protocols: Set<string>) => (protocols.has(subprotocol) ? subprotocol : false) } : {}),
  });
  wss.on('connection', (ws: WebSocket) => {
    const got: string[] = [];
    connections.push(got);
    const n = connections.length;
    ws.on('message', (data) => {
      const text = String(data);
      got.push(options.record ? options.record(text) : text);
      options.onMessage(n, ws, text);
      check();
    });
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const address = wss.address();
  if (typeof address === 'string' || address === null) throw new Error('the recording server has no port');
  return {
    url: `ws://127.0.0.1:${address.port}${options.path}`,
    connections,
    read: (n, count) =>
      new Promise<void>((wake) => {
        waiters.push({ n, count, wake });
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
