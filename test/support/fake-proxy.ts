/**
 * A tiny scriptable HTTP proxy for tests, on 127.0.0.1 port 0: it reads each CONNECT
 * request head, records it, and lets the test answer with any raw bytes (a refusal, garbage,
 * a drip, nothing) or act as a real tunnel to a local target. Plain TCP or TLS (https://
 * proxy). Also a raw TCP target that echoes and records what it received.
 *
 *   const proxy = await startFakeProxy(({ socket }) => socket.end('HTTP/1.1 403 Forbidden\r\n\r\n'));
 *   … await proxy.close();
 */
import net from 'node:net';
import tls from 'node:tls';

export interface SeenConnect {
  /** The request line, e.g. `CONNECT echo.test:443 HTTP/1.1`. */
  requestLine: string;
  /** Header lines as sent, in order. */
  headers: [string, string][];
  /** The whole request head as text. */
  raw: string;
}

export interface FakeProxyContext {
  socket: net.Socket;
  request: SeenConnect;
  /** First value of a header, case-insensitive. */
  header(name: string): string | undefined;
  /** Writes `answer`, then joins this connection to 127.0.0.1:`port` in both directions. */
  tunnelTo(port: number, answer?: string | Buffer): void;
  /** Keeps the connection (after an answer that did not close it): its next request goes to the handler too. */
  next(): void;
}

export interface FakeProxyOptions {
  /** Serve TLS (an https:// proxy) with this certificate and key (PEM). */
  tls?: { cert: string; key: string };
}

export interface FakeProxy {
  port: number;
  /** Every CONNECT request received, in order. */
  requests: SeenConnect[];
  /** Connections accepted so far. */
  accepted: number;
  /** Client connections still open on the proxy side. */
  openSockets(): number;
  /** Resolves once every accepted connection has closed (or after `ms`, with false). */
  allClosed(ms?: number): Promise<boolean>;
  close(): Promise<void>;
}

const HEAD_END = '\r\n\r\n';
const MAX_HEAD = 64 * 1024;

function parseHead(raw: string): SeenConnect {
  const lines = raw.split('\r\n');
  const headers: [string, string][] = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return { requestLine: lines[0] ?? '', headers, raw };
}

export async function startFakeProxy(
  handler: (context: FakeProxyContext) => void,
  options: FakeProxyOptions = {},
): Promise<FakeProxy> {
  const requests: SeenConnect[] = [];
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const onClosedWaiters: (() => void)[] = [];

  const onConnection = (socket: net.Socket): void => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0) for (const wake of onClosedWaiters.splice(0)) wake();
    });
    let buffered = Buffer.alloc(0);
    const readRequest = (): void => {
      buffered = Buffer.alloc(0);
      socket.on('data', onData);
      socket.resume();
    };
    const onData = (chunk: Buffer): void => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf(HEAD_END);
      if (end < 0) {
        if (buffered.length > MAX_HEAD) socket.destroy();
        return;
      }
      socket.removeListener('data', onData);
      socket.pause();
      const rest = buffered.subarray(end + HEAD_END.length);
      if (rest.length > 0) socket.unshift(rest);
      const request = parseHead(buffered.subarray(0, end).toString('latin1'));
      requests.push(request);
      handler({
        socket,
        request,
        header: (name) => request.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1],
        next: readRequest,
        tunnelTo: (port, answer) => {
          const upstream = net.connect({ host: '127.0.0.1', port });
          sockets.add(upstream);
          upstream.on('error', () => socket.destroy());
          upstream.on('close', () => {
            sockets.delete(upstream);
            socket.destroy();
          });
          socket.on('close', () => upstream.destroy());
          upstream.once('connect', () => {
            if (answer !== undefined) socket.write(answer);
            socket.pipe(upstream);
            upstream.pipe(socket);
            socket.resume();
          });
        },
      });
    };
    readRequest();
  };

  const server = options.tls
    ? tls.createServer({ cert: options.tls.cert, key: options.tls.key }, onConnection)
    : net.createServer(onConnection);
  // A TLS client that rejects our certificate makes the server emit this; it is expected.
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake proxy has no port');

  return {
    port: address.port,
    requests,
    get accepted() {
      return accepted;
    },
    openSockets: () => sockets.size,
    allClosed: (ms = 2000) =>
      new Promise<boolean>((resolve) => {
        if (sockets.size === 0) {
          resolve(true);
          return;
        }
        const timer = setTimeout(() => resolve(false), ms);
        onClosedWaiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      }),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A proxy that tunnels to `targetPort` on 127.0.0.1 only for Basic `username:password`, and
 * answers anything else with 407 offering Basic (and closes).
 */
export function startBasicAuthProxy(username: string, password: string, targetPort: number): Promise<FakeProxy> {
  const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  return startFakeProxy((context) => {
    if (context.header('proxy-authorization') === expected) {
      context.tunnelTo(targetPort, 'HTTP/1.1 200 Connection established\r\n\r\n');
    } else {
      context.socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="t"\r\nContent-Length: 0\r\n\r\n');
    }
  });
}

export interface TcpTarget {
  port: number;
  /** Everything received so far, across connections. */
  received(): Buffer;
  close(): Promise<void>;
}

/** A raw TCP echo server that records what it received. */
export async function startTcpTarget(): Promise<TcpTarget> {
  const chunks: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      socket.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('target has no port');
  return {
    port: address.port,
    received: () => Buffer.concat(chunks),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Reads from `socket` until `bytes` bytes arrived (or `ms` passed), without consuming more than needed. */
export function readBytes(socket: net.Socket, bytes: number, ms = 2000): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    let got = Buffer.alloc(0);
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`only ${got.length} of ${bytes} bytes arrived: ${JSON.stringify(got.toString('latin1'))}`));
    }, ms);
    const onData = (chunk: Buffer): void => {
      got = Buffer.concat([got, chunk]);
      if (got.length >= bytes) {
        cleanup();
        resolve(got);
      }
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      socket.removeListener('data', onData);
      socket.pause();
    };
    socket.on('data', onData);
  });
}
